//! The Chinese New Year: new moons and solar terms in China's time zone.

use super::astronomy::{december_solstice, new_moon, solar_term};
use super::from_jdn;
use chrono::NaiveDate;

/// The day in China (UTC+8) of an instant in ephemeris time (ΔT ≈ 69 s).
fn china_day(jde: f64) -> Option<NaiveDate> {
    let local = jde - 69.0 / 86_400.0 + 8.0 / 24.0;
    from_jdn((local + 0.5).floor() as i64)
}

/// The number of the new moon that begins the eleventh month of the
/// Chinese year, the one holding the December solstice of `year`.
fn eleventh_month(year: i32) -> Option<(i64, f64)> {
    let solstice = december_solstice(year);
    let day = china_day(solstice)?;
    let near = ((f64::from(year) - 2000.0 + 11.0 / 12.0) * 12.3685).floor() as i64;
    let k = (near - 3..near + 5)
        .filter(|&k| china_day(new_moon(k as f64)).is_some_and(|d| d <= day))
        .max()?;
    Some((k, solstice))
}

/// The Chinese New Year of `year` (1900-2100): the second new moon after
/// the one that begins the month of the December solstice, or the third
/// when the twelfth or first month would lack its solar term (a leap
/// month between them, as in 2033-2034).
pub fn chinese_new_year(year: i32) -> Option<NaiveDate> {
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let (k, solstice) = eleventh_month(year - 1)?;
    let (next, _) = eleventh_month(year)?;
    let starts = |n: i64| china_day(new_moon((k + n) as f64));
    if next - k == 13 {
        // Thirteen months: the first without its principal term is a leap month.
        let dahan = china_day(solar_term(solstice + 29.5, 300.0))?;
        let yushui = china_day(solar_term(solstice + 59.4, 330.0))?;
        let holds = |n: i64, term: NaiveDate| -> Option<bool> {
            Some(starts(n)? <= term && term < starts(n + 1)?)
        };
        if !holds(1, dahan)? || !holds(2, yushui)? {
            return starts(3);
        }
    }
    starts(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn chinese_new_year_matches_the_published_dates() {
        // Hong Kong Observatory, Gregorian-Lunar calendar conversion tables.
        for date in [
            "1900-01-31",
            "1950-02-17",
            "1985-02-20",
            "1990-01-27",
            "2000-02-05",
            "2001-01-24",
            "2004-01-22",
            "2007-02-18",
            "2010-02-14",
            "2012-01-23",
            "2013-02-10",
            "2014-01-31",
            "2015-02-19",
            "2018-02-16",
            "2020-01-25",
            "2021-02-12",
            "2022-02-01",
            "2023-01-22",
            "2024-02-10",
            "2025-01-29",
            "2026-02-17",
            "2027-02-06",
            "2028-01-26",
            "2030-02-03",
            // After the leap eleventh month of 2033.
            "2034-02-19",
            "2050-01-23",
            "2100-02-09",
        ] {
            let date: NaiveDate = date.parse().unwrap();
            assert_eq!(chinese_new_year(date.year()), Some(date), "{date}");
        }
        assert_eq!(chinese_new_year(1899), None);
    }
}
