//! A weekday counted from an anchor that is a date or a named day: the
//! Nth one after or before it (`the third Tuesday after Christmas 2014`,
//! `le premier dimanche après Pâques`, `de zondag voor Pasen`), or the one
//! nearest to it (`the closest Monday to Oct 5th`, `le lundi le plus proche
//! du 5 octobre`, `de maandag het dichtst bij 5 oktober`).

use super::{found, Found, Parser};
use crate::understand::extract::Reason;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

impl Parser<'_> {
    pub(super) fn anchor_weekday(&self, i: usize, depth: u8) -> Option<Found> {
        let mut j = self
            .word(i, "article")
            .filter(|_| !self.is_text(i, &["en", "on", "op"]))
            .unwrap_or(i);
        // "third", "3rd", "premier", "tweede": which one; the first when unsaid.
        let nth = match self.day(j) {
            Some((n, end, true)) if (1..=5).contains(&n) => {
                j = end;
                n as i64
            }
            Some(_) if self.weekday(j, false).is_none() => return None,
            _ => 1,
        };
        let closest_before = self.word(j, "closest");
        // "Mon", "lun.", "ma" only with what follows: "closest Mon to", "Tue after".
        let (wd, mut k) = self.weekday(closest_before.unwrap_or(j), true)?;
        let closest_after = self.word(k, "closest");
        let sign = if closest_before.or(closest_after).is_some() {
            k = closest_after.unwrap_or(k);
            // "closest to", "le plus proche du", "het dichtst bij".
            if self.is_text(k, &["to", "of", "du", "de", "bij"]) {
                k += 1;
            }
            0
        } else if let Some(end) = self.word(k, "from") {
            k = end;
            1
        } else if let Some(end) = self.word(k, "before") {
            k = end;
            -1
        } else {
            return None;
        };
        let anchor = self.anchor_at(k, depth)?;
        let date = anchor
            .date
            .and_then(|d| Self::weekday_from(d, wd, nth, sign).ok_or(Reason::OutOfRange));
        found(date, i, anchor.end, 0.85, "anchor_weekday")
    }

    /// The date or named day at `k`, after up to two small words ("the",
    /// "la", "de", "van de").
    pub(super) fn anchor_at(&self, mut k: usize, depth: u8) -> Option<Found> {
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
        tries
            .into_iter()
            .filter_map(|k| self.parse_at(k, depth + 1))
            .max_by_key(|f| f.end)
    }

    /// The `nth` `wd` after `anchor` (`sign` 1), before it (-1), or the
    /// `nth` nearest to it (0: the anchor itself when it is that weekday).
    pub(super) fn weekday_from(
        anchor: NaiveDate,
        wd: Weekday,
        nth: i64,
        sign: i64,
    ) -> Option<NaiveDate> {
        let ahead = (7 + wd.num_days_from_monday() as i64
            - anchor.weekday().num_days_from_monday() as i64)
            % 7;
        let days = match sign {
            1 => (if ahead == 0 { 7 } else { ahead }) + 7 * (nth - 1),
            -1 => -((if ahead == 0 { 7 } else { 7 - ahead }) + 7 * (nth - 1)),
            _ => {
                // Every such weekday within `nth` weeks, nearest first.
                let mut near: Vec<i64> = (-nth - 1..=nth).map(|w| ahead + 7 * w).collect();
                near.sort_by_key(|d| (d.abs(), *d));
                *near.get(usize::try_from(nth - 1).ok()?)?
            }
        };
        anchor.checked_add_signed(Duration::days(days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_nth_weekday_after_or_before_a_day() {
        // Christmas 2014 was a Thursday.
        let xmas = ymd(2014, 12, 25);
        assert_eq!(
            Parser::weekday_from(xmas, Weekday::Tue, 3, 1),
            Some(ymd(2015, 1, 13))
        );
        assert_eq!(
            Parser::weekday_from(xmas, Weekday::Thu, 1, 1),
            Some(ymd(2015, 1, 1))
        );
        assert_eq!(
            Parser::weekday_from(xmas, Weekday::Sun, 1, -1),
            Some(ymd(2014, 12, 21))
        );
        assert_eq!(
            Parser::weekday_from(xmas, Weekday::Thu, 2, -1),
            Some(ymd(2014, 12, 11))
        );
    }

    #[test]
    fn the_nearest_weekday_to_a_day() {
        // 5 October 2013 was a Saturday: Monday the 7th is two days away,
        // Monday 30 September five.
        let oct5 = ymd(2013, 10, 5);
        assert_eq!(
            Parser::weekday_from(oct5, Weekday::Mon, 1, 0),
            Some(ymd(2013, 10, 7))
        );
        assert_eq!(
            Parser::weekday_from(oct5, Weekday::Mon, 2, 0),
            Some(ymd(2013, 9, 30))
        );
        assert_eq!(Parser::weekday_from(oct5, Weekday::Sat, 1, 0), Some(oct5));
    }
}
