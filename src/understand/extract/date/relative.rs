//! Days named from today (`demain`, `overmorgen`, `the day before
//! yesterday`) and a signed count added to a date (`tomorrow +3 days`).

use super::{found, Found, Parser};
use crate::understand::extract::Reason;
use chrono::Duration;

impl Parser<'_> {
    /// aujourd'hui, morgen, the day after tomorrow... and the vaguer "my
    /// day", "de afgelopen dag", read only when nothing more precise is said.
    pub(super) fn relative_word(&self, i: usize) -> Option<Found> {
        let (n, end, confidence) = match self.number_word(i, "rel") {
            Some((n, end)) => (n, end, 0.9),
            None => {
                let (n, end) = self.number_word(i, "rel_vague")?;
                (n, end, 0.5)
            }
        };
        let date = self
            .today
            .checked_add_signed(Duration::days(n))
            .ok_or(Reason::OutOfRange);
        found(date, i, end, confidence, "relative_word")
    }

    /// "next tuesday +10 days", "2023-12-29 -10days": a date shifted by a
    /// signed count of units.
    pub(super) fn plus_minus(&self, f: Found) -> Found {
        let Some(sign) = self.signed_count(f.end) else {
            return f;
        };
        let Some((span, end)) = self.span(f.end) else {
            return f;
        };
        Found {
            date: f.date.and_then(|d| self.shift(d, span, sign)),
            end,
            rule: "date_arithmetic",
            ..f
        }
    }

    /// +1 or -1 when token `i` is a count written "+10" or "-10" (a sign
    /// right before it, a blank before the sign) followed by a unit.
    pub(super) fn signed_count(&self, i: usize) -> Option<i64> {
        let (prev, cur) = (self.tok(i.checked_sub(1)?)?, self.tok(i)?);
        let between = self.folded.get(prev.end..cur.start)?;
        if !cur.digits || !between.starts_with(' ') || self.word(i + 1, "unit").is_none() {
            return None;
        }
        match between.trim_start() {
            "+" => Some(1),
            "-" => Some(-1),
            _ => None,
        }
    }
}
