//! Year modifiers and anchored days: a day and month whose year is said
//! relative to this one ("le 3 mars de l'année dernière", "3 maart vorig
//! jaar", "the 12th of August next year"), and a day counted from an
//! anchor that is itself a date or a named day ("la veille de Noël", "le
//! lendemain de la Toussaint", "de dag na Pasen", "the day before
//! Christmas").

use super::{Found, Parser};
use chrono::{Datelike, Duration};

impl Parser<'_> {
    /// A date read without its year, followed by a year said relative to
    /// this one: that year's day.
    pub(super) fn year_modifier(&self, f: Found) -> Found {
        let Some((month, day)) = f.yearless else {
            return f;
        };
        if f.date.is_err() {
            return f;
        }
        let at = |k: usize| self.number_word(k, "yearref");
        let Some((offset, end)) = at(f.end).or_else(|| at(self.word(f.end, "connector")?)) else {
            return f;
        };
        let Some(year) = i32::try_from(offset)
            .ok()
            .and_then(|o| self.today.year().checked_add(o))
        else {
            return f;
        };
        Found {
            date: self.ymd(year, month, day),
            end,
            rule: "year_modifier",
            yearless: None,
            alt: None,
            ..f
        }
    }

    /// "la veille de Noël", "the day after New Year's Day", "de dag voor
    /// 1 mei": the anchor's date moved by the phrase's days.
    pub(super) fn anchored_day(&self, i: usize, depth: u8) -> Option<Found> {
        let (shift, mut k) = self.number_word(i, "anchor_shift")?;
        // "de la", "du", "of the", "van de": up to two small words before the anchor.
        let mut tries = vec![k];
        for _ in 0..2 {
            match self
                .word(k, "connector")
                .or_else(|| self.word(k, "article"))
                .or_else(|| self.is_text(k, &["la", "l"]).then_some(k + 1))
            {
                Some(next) => {
                    k = next;
                    tries.push(k);
                }
                None => break,
            }
        }
        let anchor = tries
            .into_iter()
            .filter_map(|k| self.parse_at(k, depth + 1))
            .max_by_key(|f| f.end)?;
        let date = anchor.date.and_then(|d| {
            d.checked_add_signed(Duration::days(shift))
                .ok_or(crate::understand::extract::Reason::OutOfRange)
        });
        Some(Found {
            date,
            start: i,
            end: anchor.end,
            confidence: anchor.confidence.max(0.85),
            rule: "anchored_day",
            yearless: None,
            alt: None,
        })
    }
}
