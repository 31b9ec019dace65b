//! The tabular Islamic calendar.
//!
//! It is arithmetic (30-year cycle, leap years 2, 5, 7, 10, 13, 16, 18,
//! 21, 24, 26 and 29; months of 30 and 29 days in turn), counted from the
//! astronomical epoch (Thursday 15 July 622, Julian), which is the nearer
//! of the two usual epochs to the dates observed in 2018-2025. The dates
//! communities observe follow the sighting of the moon and may differ
//! from it by a day (rarely two).

use super::from_jdn;
use chrono::{Datelike, NaiveDate};

/// A day of the tabular Islamic calendar (astronomical epoch, 15 July 622).
fn islamic_to_jdn(year: i64, month: i64, day: i64) -> i64 {
    day + (59 * (month - 1) + 1) / 2 + (year - 1) * 354 + (3 + 11 * year).div_euclid(30) + 1_948_438
}

/// Day `day` of Islamic month `month` (1 Muharram ... 12 Dhu al-Hijja)
/// falling in Gregorian `year` (the first, when a year holds two).
pub fn islamic_day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1000..=4000).contains(&year) {
        return None;
    }
    // An Islamic year is 354 or 355 days: the Gregorian year holds the day
    // of one of these Islamic years.
    let approx = (i64::from(year) - 622) * 33 / 32;
    (approx - 1..=approx + 2)
        .filter_map(|iy| from_jdn(islamic_to_jdn(iy, i64::from(month), i64::from(day))))
        .find(|d| d.year() == year)
}

/// Days from the Hebrew epoch to the molad of Tishri of year `y`, with the

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn islamic_days_are_within_a_day_of_the_observed_ones() {
        // Observed dates (Saudi Arabia and most of Europe's communities);
        // 1950-1988 as Duckling's corpus gives them.
        let cases = [
            (10, 1, ymd(1950, 7, 16)),
            (10, 1, ymd(1975, 10, 6)),
            (10, 1, ymd(1988, 5, 16)),
            (12, 10, ymd(1966, 4, 1)),
            (12, 10, ymd(1980, 10, 19)),
            (10, 1, ymd(2018, 6, 15)),
            (10, 1, ymd(2023, 4, 21)),
            (10, 1, ymd(2024, 4, 10)),
            (10, 1, ymd(2025, 3, 30)),
            (12, 10, ymd(2018, 8, 21)),
            (12, 10, ymd(2023, 6, 28)),
            (12, 10, ymd(2024, 6, 16)),
            (12, 10, ymd(2025, 6, 6)),
            (1, 1, ymd(2018, 9, 11)),
            (1, 1, ymd(2024, 7, 7)),
            (1, 1, ymd(2025, 6, 26)),
        ];
        for (month, day, observed) in cases {
            let tabular = islamic_day(observed.year(), month, day).unwrap();
            let off = (tabular - observed).num_days().abs();
            assert!(off <= 1, "{month}/{day}: {tabular} for {observed}");
        }
    }

    #[test]
    fn the_tabular_islamic_calendar_is_exact_arithmetic() {
        // 1 Muharram 1 AH is 15 July 622 (Julian), 18 July 622 proleptic Gregorian.
        assert_eq!(from_jdn(islamic_to_jdn(1, 1, 1)), Some(ymd(622, 7, 18)));
        // Out of range: nothing, no panic.
        assert_eq!(islamic_day(i32::MAX, 1, 1), None);
        assert_eq!(super::super::hebrew_feast("passover", i32::MIN), None);
        assert_eq!(super::super::orthodox_easter(i32::MAX), None);
    }
}
