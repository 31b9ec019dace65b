//! Days by their rank in a month: `le 15`, `de 20ste van volgende maand`,
//! `the Nth weekday of`, `the last Friday of June`, `the first week of April
//! on Friday`.

use super::{found, Found, Parser};
use crate::understand::extract::Reason;
use chrono::{Datelike, Duration, Months, NaiveDate};

impl Parser<'_> {
    /// "le 15", "de 27ste", "the 21st", "de 20ste van volgende maand", "le 25 mardi".
    pub(super) fn bare_day(&self, i: usize) -> Option<Found> {
        let article = self.word(i, "article");
        let j = article.unwrap_or(i);
        let (day, end, ordinal) = self.day(j)?;
        let word = !self.tok(j).is_some_and(|t| t.digits);
        // What follows can make a day of a bare number or word: "20 of next
        // month", "derde dag in oktober", "third day of October".
        let followed = {
            let mut k = end;
            let day_word = self.is_text(k, &["day", "dag", "jour"]);
            if day_word {
                k += 1;
            }
            if self.word(k, "connector").is_some() && self.number_word(k, "monthref").is_none() {
                k += 1;
            }
            // A count of months ("15 in 3 months") makes no day of a bare number.
            (day_word && ordinal && self.number_word(k, "month").is_some())
                || self.number_word(k, "monthref").is_some()
        };
        if article.is_none() && (word || !ordinal) && !followed {
            return None;
        }
        if word && !ordinal && !self.is_text(i, &["the", "le"]) && !followed {
            return None;
        }
        // "15 jours", "15 minutes": a count, not a day.
        if self.word(end, "unit").is_some() && !self.is_text(end, &["day", "dag", "jour"]) {
            return None;
        }
        if self.tok(end).is_some_and(|t| t.digits) && self.separator(end) == Some(' ') {
            return None;
        }
        if let Some((wd, wend)) = self.weekday(end, false) {
            return found(self.weekday_and_day(wd, day), i, wend, 0.85, "day_weekday");
        }
        let mut k = end;
        let day_word = self.is_text(k, &["day", "dag", "jour"]);
        if day_word {
            k += 1;
        }
        if self.word(k, "connector").is_some() && self.month_ref(k, false).is_none() {
            k += 1;
        }
        // "the twenty-third day of September", "le troisième jour de mai".
        if let Some((m, mend)) = self.number_word(k, "month").filter(|_| day_word && ordinal) {
            let at_year = if self.word(mend, "connector").is_some() {
                mend + 1
            } else {
                mend
            };
            if let Some((y, 4)) = self.digits(at_year) {
                return found(
                    self.ymd(y as i32, m as u32, day),
                    i,
                    at_year + 1,
                    0.85,
                    "day_of_month_name",
                );
            }
            let mut f = found(
                self.month_day(m as u32, day),
                i,
                mend,
                0.85,
                "day_of_month_name",
            )?;
            f.yearless = Some((m as u32, day));
            return Some(f);
        }
        if let Some((offset, mend)) = self.month_ref(k, false) {
            let first = self.today.with_day(1)?;
            let month = if offset >= 0 {
                first.checked_add_months(Months::new(offset as u32))
            } else {
                first.checked_sub_months(Months::new(offset.unsigned_abs() as u32))
            }?;
            return found(
                self.ymd(month.year(), month.month(), day),
                i,
                mend,
                0.85,
                "day_of_month",
            );
        }
        let confidence = if word { 0.5 } else { 0.6 };
        let mut f = found(self.day_alone(day), i, end, confidence, "day_alone")?;
        f.alt = f
            .date
            .as_ref()
            .ok()
            .and_then(|d| self.day_alone_alternative(day, *d));
        Some(f)
    }

    /// "premier vendredi de juillet", "de tweede maandag van de volgende maand", "third Tuesday".
    pub(super) fn nth_weekday(&self, i: usize) -> Option<Found> {
        let j = self
            .word(i, "article")
            .filter(|_| !self.is_text(i, &["en", "on", "op"]))
            .unwrap_or(i);
        let (n, end, ordinal) = self.day(j)?;
        if !ordinal || !(1..=5).contains(&n) {
            return None;
        }
        let (wd, mut end) = self.weekday(end, false)?;
        let mut k = end;
        if self.word(k, "connector").is_some() && self.month_ref(k, true).is_none() {
            k += 1;
        }
        let first_of = |first: NaiveDate| -> Option<NaiveDate> {
            let shift = (7 + wd.num_days_from_monday() as i64
                - first.weekday().num_days_from_monday() as i64)
                % 7;
            let d = first.checked_add_signed(Duration::days(shift + 7 * (n as i64 - 1)))?;
            (d.month() == first.month()).then_some(d)
        };
        let this_month = self.today.with_day(1)?;
        let date = if let Some((offset, mend)) = self.month_ref(k, true) {
            end = mend;
            let month = if offset >= 0 {
                this_month.checked_add_months(Months::new(offset as u32))
            } else {
                this_month.checked_sub_months(Months::new(offset.unsigned_abs() as u32))
            }?;
            first_of(month)
        } else if let Some((m, mend)) = self.number_word(k, "month") {
            end = mend;
            if let Some((y, yend)) = self.year_at(mend) {
                end = yend;
                first_of(NaiveDate::from_ymd_opt(y, m as u32, 1)?)
            } else {
                let this = self.today.year();
                let years: Vec<i32> = if self.future() {
                    vec![this, this + 1]
                } else {
                    vec![this, this - 1]
                };
                years
                    .into_iter()
                    .filter_map(|y| first_of(NaiveDate::from_ymd_opt(y, m as u32, 1)?))
                    .find(|d| {
                        if self.future() {
                            *d >= self.today
                        } else {
                            *d <= self.today
                        }
                    })
            }
        } else {
            first_of(this_month)
        };
        found(date.ok_or(Reason::NoSuchDate), i, end, 0.85, "nth_weekday")
    }

    /// "1st week of October on Friday", "de eerste week van oktober op
    /// vrijdag": that weekday in the nth week (Monday to Sunday) of the month,
    /// counting the week of the 1st as the first.
    pub(super) fn week_of_month(&self, i: usize) -> Option<Found> {
        let j = self
            .word(i, "article")
            .filter(|_| !self.is_text(i, &["en", "on", "op"]))
            .unwrap_or(i);
        let (n, end, ordinal) = self.day(j)?;
        if !ordinal || !(1..=5).contains(&n) || self.text_word(end, "unit") != Some(("w", end + 1))
        {
            return None;
        }
        let mut k = end + 1;
        if self.word(k, "connector").is_some() {
            k += 1;
        }
        let (m, mend) = self.number_word(k, "month")?;
        let (year, mut k) = match self.digits(mend) {
            Some((y, 4)) => (Some(y as i32), mend + 1),
            _ => (None, mend),
        };
        if self.is_text(k, &["on", "op", "le", "au"]) {
            k += 1;
        }
        let (wd, wend) = self.weekday(k, false)?;
        let day_in = |y: i32| -> Option<NaiveDate> {
            let first = NaiveDate::from_ymd_opt(y, m as u32, 1)?;
            let in_week = first.checked_add_signed(Duration::weeks(n as i64 - 1))?;
            let d = Self::in_week_of(in_week, wd);
            // The first week's Tuesday is in the month even when the 1st is a Sunday.
            if d < first {
                d.checked_add_signed(Duration::weeks(1))
            } else {
                Some(d)
            }
        };
        let date = match year {
            Some(y) => day_in(y),
            None => {
                let this = self.today.year();
                let step = if self.future() { 1 } else { -1 };
                [this, this + step]
                    .into_iter()
                    .filter_map(day_in)
                    .find(|d| self.on_the_policy_side(*d))
            }
        };
        found(
            date.ok_or(Reason::OutOfRange),
            i,
            wend,
            0.85,
            "week_of_month",
        )
    }

    /// "le dernier vendredi de juin", "de laatste zaterdag in juni", "the
    /// last day of the month": the last such day of a month.
    pub(super) fn last_of_month(&self, i: usize) -> Option<Found> {
        let j = self
            .word(i, "article")
            .filter(|_| !self.is_text(i, &["en", "on", "op"]))
            .unwrap_or(i);
        // "the fifth last day", "l'avant-dernier jour", "de voorlaatste dag":
        // counted back from the last one.
        let (nth, j) = if let Some((n, end)) = self.number_word(j, "last_nth") {
            (n, end)
        } else if let Some((n, end, true)) = self.day(j) {
            (i64::from(n), self.word(end, "last")?)
        } else {
            (1, self.word(j, "last")?)
        };
        let (wd, mut end) = match self.weekday(j, false) {
            Some((wd, end)) => (Some(wd), end),
            None if self.is_text(j, &["jour", "dag", "day"]) => (None, j + 1),
            None => return None,
        };
        let mut k = end;
        if self.word(k, "connector").is_some() && self.month_ref(k, true).is_none() {
            k += 1;
        }
        // "le dernier jour de l'année", "the last day of next year".
        if wd.is_none() && nth == 1 {
            let year = self
                .word(k, "year_word")
                .or_else(|| self.word(k, "yearref"));
            if year.is_some() {
                if let Some((date, yend)) = self
                    .period_last_day(end)
                    .filter(|(d, _)| d.month() == 12 && d.day() == 31)
                {
                    return found(Ok(date), i, yend, 0.85, "last_of_month");
                }
            }
        }
        let last_of = |first: NaiveDate| -> Option<NaiveDate> {
            let mut d = first.checked_add_months(Months::new(1))?.pred_opt()?;
            let step = if let Some(wd) = wd {
                while d.weekday() != wd {
                    d = d.pred_opt()?;
                }
                7
            } else {
                1
            };
            let d = d.checked_sub_signed(Duration::days(step * (nth - 1)))?;
            (d.month() == first.month()).then_some(d)
        };
        let this_month = self.today.with_day(1)?;
        let date = if let Some((offset, mend)) = self.month_ref(k, true) {
            end = mend;
            let month = if offset >= 0 {
                this_month.checked_add_months(Months::new(offset as u32))
            } else {
                this_month.checked_sub_months(Months::new(offset.unsigned_abs() as u32))
            }?;
            last_of(month)
        } else {
            let (m, mend) = self.number_word(k, "month")?;
            end = mend;
            if let Some((y, yend)) = self.year_at(mend) {
                end = yend;
                last_of(NaiveDate::from_ymd_opt(y, m as u32, 1)?)
            } else {
                let this = self.today.year();
                let step = if self.future() { 1 } else { -1 };
                [this, this + step]
                    .into_iter()
                    .filter_map(|y| last_of(NaiveDate::from_ymd_opt(y, m as u32, 1)?))
                    .find(|d| self.on_the_policy_side(*d))
            }
        };
        found(
            date.ok_or(Reason::OutOfRange),
            i,
            end,
            0.85,
            "last_of_month",
        )
    }

    /// A month said from this one, as months from today's: "next month",
    /// "le mois prochain", "volgende maand" (the lexicon's `monthref`), or
    /// a count of months, with the month named first or not: "in 3
    /// months", "the month in 3 months", "3 months from now", "dans deux
    /// mois", "du mois dans deux mois", "over twee maanden", "2 months
    /// ago". A bare count ("of 3 months") only where `bare` allows it.
    pub(super) fn month_ref(&self, k: usize, bare: bool) -> Option<(i64, usize)> {
        if let Some((offset, end)) = self.number_word(k, "monthref") {
            // "the month in 3 months", "de maand over twee maanden".
            if offset == 0 {
                if let Some(count) = self.months_from_now(end, true) {
                    return Some(count);
                }
            }
            return Some((offset, end));
        }
        if self.is_text(k, &["month", "mois", "maand"]) {
            return self.months_from_now(k + 1, true);
        }
        self.months_from_now(k, bare)
    }

    /// A count of whole months ahead or back: "in 3 months", "dans deux
    /// mois", "over twee maanden", "2 months from now", "il y a deux mois",
    /// "drie maanden geleden"; "3 months" alone when `bare`.
    fn months_from_now(&self, k: usize, bare: bool) -> Option<(i64, usize)> {
        let (prefix, j) = if let Some(end) = self.word(k, "in") {
            (Some(1), end)
        } else if let Some(end) = self.word(k, "ago_before") {
            (Some(-1), end)
        } else {
            (None, k)
        };
        let (span, end) = self.span(j)?;
        let in_years = (j..end).any(|t| self.text_word(t, "unit").is_some_and(|(u, _)| u != "m"));
        if span.months <= 0 || span.days != 0 || span.working_days != 0 || in_years {
            return None;
        }
        let suffix = if let Some(e) = self.word(end, "ago_after") {
            Some((-1, e))
        } else if let Some(e) = self.word(end, "later") {
            Some((1, e))
        } else {
            self.word(end, "from")
                .and_then(|e| self.word(e, "now"))
                .map(|e| (1, e))
        };
        let (sign, end) = match (prefix, suffix) {
            (Some(p), None) => (p, end),
            (None, Some((s, e))) => (s, e),
            (None, None) if bare => (1, end),
            _ => return None,
        };
        Some((sign * span.months, end))
    }
}
