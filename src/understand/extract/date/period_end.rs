//! The end of a month or a year, read as its last day: `fin du mois`, `à la
//! fin de l'année prochaine`, `fin mars`, `eind van de maand`, `einde
//! volgend jaar`, `eind 2026`, `the end of the month`, `end of March 2027`,
//! and `the last day of the year`, `le dernier jour de l'année`, `de laatste
//! dag van het jaar`.

use super::{found, Found, Parser};
use chrono::{Datelike, Months, NaiveDate};

impl Parser<'_> {
    /// "fin du mois", "eind van volgend jaar", "the end of March".
    pub(super) fn period_end(&self, i: usize) -> Option<Found> {
        let j = self.word(i, "period_end")?;
        let (date, end) = self.period_last_day(j)?;
        found(Ok(date), i, end, 0.8, "period_end")
    }

    /// The last day of the month or year named at `k` (after an optional
    /// connector): a month said relative to this one, a month name with or
    /// without its year, a year said relative to this one, or a year in
    /// digits.
    pub(super) fn period_last_day(&self, k: usize) -> Option<(NaiveDate, usize)> {
        let k = match self.word(k, "connector") {
            Some(next)
                if self.number_word(k, "monthref").is_none()
                    && self.number_word(k, "yearref").is_none()
                    && self.word(k, "year_word").is_none() =>
            {
                next
            }
            _ => k,
        };
        let last_of_month = |first: NaiveDate| first.checked_add_months(Months::new(1))?.pred_opt();
        let this_month = self.today.with_day(1)?;
        if let Some((offset, end)) = self.number_word(k, "monthref") {
            let month = if offset >= 0 {
                this_month.checked_add_months(Months::new(offset as u32))
            } else {
                this_month.checked_sub_months(Months::new(offset.unsigned_abs() as u32))
            }?;
            return Some((last_of_month(month)?, end));
        }
        let year_end = |y: i32| NaiveDate::from_ymd_opt(y, 12, 31);
        if let Some((offset, end)) = self.number_word(k, "yearref") {
            return Some((year_end(self.today.year() + offset as i32)?, end));
        }
        if let Some(end) = self.word(k, "year_word") {
            return Some((year_end(self.today.year())?, end));
        }
        if let Some((m, mend)) = self.number_word(k, "month") {
            if let Some((y, yend)) = self.year_at(mend) {
                return Some((
                    last_of_month(NaiveDate::from_ymd_opt(y, m as u32, 1)?)?,
                    yend,
                ));
            }
            // This year's month, or the next one's once it is over (the
            // past one's under the past policy).
            let this = self.today.year();
            let step = if self.future() { 1 } else { -1 };
            let date = [this, this + step]
                .into_iter()
                .filter_map(|y| last_of_month(NaiveDate::from_ymd_opt(y, m as u32, 1)?))
                .find(|d| self.on_the_policy_side(*d))?;
            return Some((date, mend));
        }
        let (y, end) = self.year_at(k)?;
        Some((year_end(y)?, end))
    }
}
