//! Named days and public holidays (`lundi de Pâques`, `Kerstmis`,
//! `Thanksgiving`), in the year said or the nearest one by the policy.

use super::{found, Found, Parser};
use crate::understand::extract::{DateOrder, Reason};
use crate::values::holidays;
use chrono::Datelike;

impl Parser<'_> {
    /// Holidays by name, in the year given or the next (last) one.
    pub(super) fn holiday(&self, i: usize, depth: u8) -> Option<Found> {
        // "the closest Christmas to today", "the second closest xmas".
        let (closest, i_mod) = match self.closest_rank(i) {
            Some((rank, end)) => (Some(rank), end),
            None => (None, i),
        };
        let (modifier, j) = match self.text_word(i_mod, "wdmod").filter(|_| closest.is_none()) {
            Some((m, end)) => (Some(m), end),
            None => (None, i_mod),
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
        if let Some((y, yend)) = self.year_at(k) {
            year = Some(y);
            end = yend;
        } else if let Some((offset, yend)) = self
            .number_word(end, "yearref")
            .or_else(|| self.number_word(k, "yearref"))
        {
            year = Some(self.today.year() + offset as i32);
            end = yend;
        } else if let Some(shifted) = self.year_shift(end, depth) {
            // "Christmas in two years", "Pâques il y a deux ans", "Kerstmis
            // over twee jaar": the day in the year that the shift lands in.
            year = Some(shifted.0);
            end = shifted.1;
        }
        let date = if let Some(y) = year {
            holidays::holiday_date(id, y).ok_or(Reason::OutOfRange)
        } else if let Some(rank) = closest {
            // Nearest first, whichever side of today.
            if self.is_text(end, &["to", "from"]) && self.word(end + 1, "now").is_some() {
                end = self.word(end + 1, "now").unwrap_or(end);
            }
            let this = self.today.year();
            let mut days: Vec<_> = (this - 6..=this + 6)
                .filter_map(|y| holidays::holiday_date(id, y))
                .collect();
            days.sort_by_key(|d| ((*d - self.today).num_days().abs(), *d));
            days.get(rank - 1).copied().ok_or(Reason::OutOfRange)
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

    /// "the closest", "the second closest", "the 3rd nearest": the rank.
    fn closest_rank(&self, i: usize) -> Option<(usize, usize)> {
        if let Some(end) = self.word(i, "closest") {
            return Some((1, end));
        }
        let k = if self.is_text(i, &["the"]) { i + 1 } else { i };
        let (rank, end) = if self.is_text(k, &["second"]) {
            (2, k + 1)
        } else {
            let (n, end, ordinal) = self.day(k)?;
            ordinal.then_some((n as usize, end))?
        };
        let end = self.word(end, "closest")?;
        (1..=10).contains(&rank).then_some((rank, end))
    }

    /// A shift from now after a named day ("in two years", "3 months ago",
    /// "dans deux ans", "over twee jaar", "six years hence"): the year it
    /// lands in, and where it ends.
    fn year_shift(&self, k: usize, depth: u8) -> Option<(i32, usize)> {
        if depth >= super::MAX_DEPTH {
            return None;
        }
        let shift = self.offset(k, depth + 1)?;
        let from_now = shift.rule == "offset" && shift.start == k;
        let date = shift.date.ok().filter(|_| from_now)?;
        Some((date.year(), shift.end))
    }
}
