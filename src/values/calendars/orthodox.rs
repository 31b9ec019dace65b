//! Orthodox Easter: the Julian computus, as a Gregorian date.

use chrono::{Duration, NaiveDate};

/// Orthodox Easter Sunday: the Julian computus, in the Gregorian calendar.
pub fn orthodox_easter(year: i32) -> Option<NaiveDate> {
    if !(1583..=4099).contains(&year) {
        return None;
    }
    let (a, b, c) = (year % 4, year % 7, year % 19);
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    // The Julian date, then the days the Julian calendar is behind.
    let julian = NaiveDate::from_ymd_opt(year, month as u32, day as u32)?;
    let behind = year / 100 - year / 400 - 2;
    julian.checked_add_signed(Duration::days(i64::from(behind)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn orthodox_easter_matches_published_dates() {
        for (y, m, d) in [
            (2018, 4, 8),
            (2020, 4, 19),
            (2021, 5, 2),
            (2022, 4, 24),
            (2023, 4, 16),
            (2024, 5, 5),
            (2025, 4, 20),
            (2026, 4, 12),
            (2027, 5, 2),
        ] {
            assert_eq!(orthodox_easter(y), Some(ymd(y, m, d)), "{y}");
        }
    }
}
