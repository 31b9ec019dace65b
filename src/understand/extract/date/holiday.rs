//! Named days and public holidays (`lundi de Pâques`, `Kerstmis`,
//! `Thanksgiving`), in the year said or the nearest one by the policy.

use super::{found, Found, Parser};
use crate::understand::extract::{DateOrder, Reason};
use crate::values::holidays;
use chrono::Datelike;

impl Parser<'_> {
    /// Holidays by name, in the year given or the next (last) one.
    pub(super) fn holiday(&self, i: usize) -> Option<Found> {
        let (modifier, j) = match self.text_word(i, "wdmod") {
            Some((m, end)) => (Some(m), end),
            None => (None, i),
        };
        // "Father's Day" is another Sunday in the US than in Belgium.
        let us = if self.order == DateOrder::MonthFirst {
            self.text_word(j, "holiday_us")
        } else {
            None
        };
        let (id, mut end, confidence) = match us.or_else(|| self.text_word(j, "holiday")) {
            Some((id, end)) => (id, end, 0.9),
            // "la fête nationale" names what the day is: any other date said wins.
            None => {
                let (id, end) = self.text_word(j, "holiday_generic")?;
                (id, end, 0.7)
            }
        };
        let mut year = None;
        let mut k = end;
        if self.word(k, "connector").is_some() && self.number_word(k, "yearref").is_none() {
            k += 1;
        }
        if let Some((n, 4)) = self.digits(k) {
            year = Some(n as i32);
            end = k + 1;
        } else if let Some((offset, yend)) = self
            .number_word(end, "yearref")
            .or_else(|| self.number_word(k, "yearref"))
        {
            year = Some(self.today.year() + offset as i32);
            end = yend;
        }
        let date = if let Some(y) = year {
            holidays::holiday_date(id, y).ok_or(Reason::OutOfRange)
        } else {
            let this = self.today.year();
            let (forward, strict) = match modifier {
                Some("next" | "coming") => (true, true),
                Some("prev" | "past") => (false, true),
                Some(_) => (self.future(), false),
                None => (self.future(), false),
            };
            let candidates = (this - 1..=this + 1).filter_map(|y| holidays::holiday_date(id, y));
            let pick = if forward {
                candidates
                    .filter(|d| *d > self.today || (!strict && *d == self.today))
                    .min()
            } else {
                candidates
                    .filter(|d| *d < self.today || (!strict && *d == self.today))
                    .max()
            };
            pick.ok_or(Reason::OutOfRange)
        };
        found(date, i, end, confidence, "holiday")
    }
}
