//! Calendar arithmetic and the resolution policy: which year a day and
//! month without one fall in, which week a weekday is in, how a span is added.

use super::{Parser, Span};
use crate::understand::extract::{DatePolicy, Reason};
use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};

impl Parser<'_> {
    pub(super) fn future(&self) -> bool {
        self.policy == DatePolicy::Future
    }

    pub(super) fn two_digit_year(&self, yy: u32) -> i32 {
        let this_year = self.today.year();
        let year = 2000 + yy as i32;
        let limit = if self.future() {
            this_year + 20
        } else {
            this_year
        };
        if year <= limit {
            year
        } else {
            year - 100
        }
    }

    pub(super) fn ymd(&self, year: i32, month: u32, day: u32) -> Result<NaiveDate, Reason> {
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1..=9999).contains(&year) {
            return Err(Reason::OutOfRange);
        }
        NaiveDate::from_ymd_opt(year, month, day).ok_or(Reason::NoSuchDate)
    }

    /// Day and month without a year: the next (or last) time it comes.
    pub(super) fn month_day(&self, month: u32, day: u32) -> Result<NaiveDate, Reason> {
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(Reason::OutOfRange);
        }
        // 29 February exists only every four years, 30 February never.
        if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
            return Err(Reason::NoSuchDate);
        }
        let year = self.today.year();
        if self.this_year {
            return self.ymd(year, month, day);
        }
        for k in 0..9 {
            let y = if self.future() { year + k } else { year - k };
            if let Some(d) = NaiveDate::from_ymd_opt(y, month, day) {
                if (self.future() && d >= self.today) || (!self.future() && d <= self.today) {
                    return Ok(d);
                }
            }
        }
        Err(Reason::OutOfRange)
    }

    /// A day of the month alone: this month, or the next (or last) one that has it.
    pub(super) fn day_alone(&self, day: u32) -> Result<NaiveDate, Reason> {
        let first = self.today.with_day(1).ok_or(Reason::OutOfRange)?;
        for k in 0..4u32 {
            let month = if self.future() {
                first.checked_add_months(Months::new(k))
            } else {
                first.checked_sub_months(Months::new(k))
            };
            if let Some(d) = month.and_then(|m| m.with_day(day)) {
                if (self.future() && d >= self.today) || (!self.future() && d <= self.today) {
                    return Ok(d);
                }
            }
        }
        Err(Reason::NoSuchDate)
    }

    /// The other reading of a day of the month alone, when it is the likelier
    /// one in time: said on the 29th, "le 27" read ahead is a month away,
    /// but two days ago is as plausible; said on the 2nd, "the 30th" read
    /// back is a month ago, but four weeks ahead is as plausible.
    pub(super) fn day_alone_alternative(&self, day: u32, chosen: NaiveDate) -> Option<NaiveDate> {
        let other = Parser {
            policy: match self.policy {
                DatePolicy::Future => DatePolicy::Past,
                DatePolicy::Past => DatePolicy::Future,
            },
            ..*self
        };
        let alt = other.day_alone(day).ok()?;
        let away = |d: NaiveDate| (d - self.today).num_days().abs();
        (away(alt) <= 7 && away(chosen) > 20).then_some(alt)
    }

    /// "vrijdag de 22ste": this month if it fits, else the nearest month
    /// (by the policy) where that day is that weekday.
    pub(super) fn weekday_and_day(&self, wd: Weekday, day: u32) -> Result<NaiveDate, Reason> {
        let first = self.today.with_day(1).ok_or(Reason::OutOfRange)?;
        if let Some(d) = first.with_day(day) {
            if d.weekday() == wd {
                return Ok(d);
            }
        }
        for k in 1..=36u32 {
            let month = if self.future() {
                first.checked_add_months(Months::new(k))
            } else {
                first.checked_sub_months(Months::new(k))
            };
            if let Some(d) = month.and_then(|m| m.with_day(day)) {
                if d.weekday() == wd {
                    return Ok(d);
                }
            }
        }
        Err(Reason::NoSuchDate)
    }

    /// Whether `d` is today or on the side of today the policy reads.
    pub(super) fn on_the_policy_side(&self, d: NaiveDate) -> bool {
        if self.future() {
            d >= self.today
        } else {
            d <= self.today
        }
    }

    pub(super) fn week_start(&self, weeks: i64) -> Option<NaiveDate> {
        let monday =
            self.today - Duration::days(self.today.weekday().num_days_from_monday() as i64);
        monday.checked_add_signed(Duration::weeks(weeks))
    }

    pub(super) fn in_week(&self, weeks: i64, wd: Weekday) -> Result<NaiveDate, Reason> {
        self.week_start(weeks)
            .and_then(|m| m.checked_add_signed(Duration::days(wd.num_days_from_monday() as i64)))
            .ok_or(Reason::OutOfRange)
    }

    /// The next `wd` after today (or today itself when `today_counts`), or the last one before.
    pub(super) fn nearest_weekday(
        &self,
        wd: Weekday,
        forward: bool,
        today_counts: bool,
    ) -> NaiveDate {
        let mut d = self.today;
        for k in 0..8 {
            if (k > 0 || today_counts) && d.weekday() == wd {
                return d;
            }
            d = if forward { d.succ_opt() } else { d.pred_opt() }.unwrap_or(d);
        }
        self.today
    }

    pub(super) fn shift(
        &self,
        from: NaiveDate,
        span: Span,
        sign: i64,
    ) -> Result<NaiveDate, Reason> {
        let months = span.months.checked_mul(sign).ok_or(Reason::OutOfRange)?;
        let months_u = u32::try_from(months.unsigned_abs()).map_err(|_| Reason::OutOfRange)?;
        let mut d = if months >= 0 {
            from.checked_add_months(Months::new(months_u))
        } else {
            from.checked_sub_months(Months::new(months_u))
        }
        .ok_or(Reason::OutOfRange)?;
        let days = span.days.checked_mul(sign).ok_or(Reason::OutOfRange)?;
        if days.abs() > 3_000_000 {
            return Err(Reason::OutOfRange);
        }
        d = d
            .checked_add_signed(Duration::days(days))
            .ok_or(Reason::OutOfRange)?;
        let mut left = span.working_days.min(10_000);
        while left > 0 {
            d = if sign > 0 { d.succ_opt() } else { d.pred_opt() }.ok_or(Reason::OutOfRange)?;
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// The `wd` of the week (Monday to Sunday) holding `day`.
    pub(super) fn in_week_of(day: NaiveDate, wd: Weekday) -> NaiveDate {
        let shift = wd.num_days_from_monday() as i64 - day.weekday().num_days_from_monday() as i64;
        day.checked_add_signed(Duration::days(shift)).unwrap_or(day)
    }
}
