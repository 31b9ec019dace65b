//! The Parsi New Year (Navroz) of the Shahenshahi calendar, which Parsis
//! in India keep: a year of 365 days with no leap day, so that its first
//! day comes a day earlier in the Gregorian calendar every four years.

use chrono::{Duration, NaiveDate};

/// 1 Farvardin of the Shahenshahi year beginning in Gregorian `year`.
pub fn parsi_new_year(year: i32) -> Option<NaiveDate> {
    if !(1600..=2400).contains(&year) {
        return None;
    }
    // Navroz of 1387 Y.Z. fell on 17 August 2018.
    let epoch = NaiveDate::from_ymd_opt(2018, 8, 17)?;
    epoch.checked_add_signed(Duration::days(365 * (i64::from(year) - 2018)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn navroz_moves_a_day_earlier_every_four_years() {
        // Parsi New Year as India's holiday lists give it.
        for date in [
            "2018-08-17",
            "2019-08-17",
            "2021-08-16",
            "2022-08-16",
            "2023-08-16",
            "2024-08-15",
            "2025-08-15",
        ] {
            let date: NaiveDate = date.parse().unwrap();
            assert_eq!(parsi_new_year(chrono::Datelike::year(&date)), Some(date));
        }
        assert_eq!(parsi_new_year(i32::MAX), None);
    }
}
