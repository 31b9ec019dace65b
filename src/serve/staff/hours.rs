//! Opening hours of the staff who answer hand-overs: time ranges per
//! weekday, closed on the bot's public holidays (`holidays be` in the bot
//! declares the country). Read from `[staff.hours]`:
//!
//! ```toml
//! [staff.hours]
//! mon = "08:30-12:30, 13:30-16:30"
//! wed = "08:30-12:30"
//! ```
//!
//! A day not named is closed. Without `[staff.hours]`, staff are always
//! there (the claim timeout still applies).

use crate::values::holidays::{self, Country};
use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime, Weekday};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OpeningHours {
    /// Monday first: the day's ranges, start included, end excluded.
    days: [Vec<(NaiveTime, NaiveTime)>; 7],
}

pub const DAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl OpeningHours {
    /// Reads `{"mon": "08:30-12:30, 13:30-16:30", ...}`.
    pub fn parse(days: &BTreeMap<String, String>) -> Result<OpeningHours, String> {
        let mut out = OpeningHours::default();
        for (key, ranges) in days {
            let Some(i) = DAY_KEYS.iter().position(|d| d == key) else {
                return Err(format!(
                    "staff.hours.{key}: the days are mon, tue, wed, thu, fri, sat, sun"
                ));
            };
            for range in ranges.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                let (a, b) = range.split_once('-').ok_or_else(|| {
                    format!("staff.hours.{key}: `{range}` is not a range like 08:30-12:30")
                })?;
                let time = |t: &str| {
                    NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| {
                        format!("staff.hours.{key}: `{}` is not a time like 08:30", t.trim())
                    })
                };
                let (start, end) = (time(a)?, time(b)?);
                if end <= start {
                    return Err(format!(
                        "staff.hours.{key}: `{range}` ends before it starts"
                    ));
                }
                out.days[i].push((start, end));
            }
            out.days[i].sort();
        }
        Ok(out)
    }

    fn day(&self, w: Weekday) -> &[(NaiveTime, NaiveTime)] {
        &self.days[w.num_days_from_monday() as usize]
    }

    /// Whether staff are there at `at` (the commune's wall-clock time).
    pub fn is_open(&self, at: NaiveDateTime, country: Country) -> bool {
        if holidays::holiday_on(country, at.date()).is_some() {
            return false;
        }
        let t = at.time();
        self.day(at.weekday())
            .iter()
            .any(|(start, end)| *start <= t && t < *end)
    }

    /// The next time staff are there, after `at`, within three weeks.
    pub fn next_opening(&self, at: NaiveDateTime, country: Country) -> Option<NaiveDateTime> {
        for offset in 0..21 {
            let date = at.date() + Duration::days(offset);
            if holidays::holiday_on(country, date).is_some() {
                continue;
            }
            for (start, _) in self.day(date.weekday()) {
                let when = date.and_time(*start);
                if when > at {
                    return Some(when);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn hours_per_weekday_closed_on_holidays() {
        let mut days = BTreeMap::new();
        days.insert("mon".to_string(), "08:30-12:30, 13:30-16:00".to_string());
        days.insert("tue".to_string(), "08:30-12:30".to_string());
        let h = OpeningHours::parse(&days).unwrap();
        // 2026-03-09 is a Monday.
        assert!(h.is_open(at("2026-03-09 09:00"), Country::Be));
        assert!(!h.is_open(at("2026-03-09 12:45"), Country::Be));
        assert!(!h.is_open(at("2026-03-09 16:00"), Country::Be));
        assert!(
            !h.is_open(at("2026-03-11 10:00"), Country::Be),
            "Wednesday is closed"
        );
        assert_eq!(
            h.next_opening(at("2026-03-09 12:45"), Country::Be),
            Some(at("2026-03-09 13:30"))
        );
        assert_eq!(
            h.next_opening(at("2026-03-10 13:00"), Country::Be),
            Some(at("2026-03-16 08:30"))
        );
        // Easter Monday 2026 is 6 April: closed, the next opening is Tuesday.
        assert!(!h.is_open(at("2026-04-06 09:00"), Country::Be));
        assert_eq!(
            h.next_opening(at("2026-04-05 20:00"), Country::Be),
            Some(at("2026-04-07 08:30"))
        );
        let mut bad = BTreeMap::new();
        bad.insert("lun".to_string(), "08:30-12:00".to_string());
        assert!(OpeningHours::parse(&bad).is_err());
        bad.clear();
        bad.insert("mon".to_string(), "12:00-08:00".to_string());
        assert!(OpeningHours::parse(&bad).is_err());
    }
}
