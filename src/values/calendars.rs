//! Feasts kept by other calendars than the Gregorian one, as Gregorian
//! dates: Orthodox Easter (Julian computus), the Hebrew calendar (exact:
//! it is arithmetic), the tabular Islamic calendar, and the Chinese New
//! Year (astronomical: new moons and solar terms in China's time zone).
//!
//! The tabular Islamic calendar is arithmetic (30-year cycle, leap years 2,
//! 5, 7, 10, 13, 16, 18, 21, 24, 26 and 29; months of 30 and 29 days in
//! turn), counted from the astronomical epoch (Thursday 15 July 622,
//! Julian), which is the nearer of the two usual epochs to the dates
//! observed in 2018-2025. The dates communities observe follow the
//! sighting of the moon and may differ from it by a day (rarely two).

use chrono::{Datelike, Duration, NaiveDate};

/// Days from 1 January of year 1 (CE day 1) to the Julian day number 0.
const JDN_OF_CE_DAY_0: i64 = 1_721_425;

fn from_jdn(jdn: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(jdn - JDN_OF_CE_DAY_0).ok()?)
}

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
/// postponement of Sunday, Wednesday and Friday.
fn hebrew_elapsed(y: i64) -> i64 {
    let months = (235 * y - 234).div_euclid(19);
    let parts = 12_084 + 13_753 * months;
    let day = 29 * months + parts.div_euclid(25_920);
    if (3 * (day + 1)).rem_euclid(7) < 3 {
        day + 1
    } else {
        day
    }
}

/// The other postponements, so that no year is of an impossible length.
fn hebrew_delay(y: i64) -> i64 {
    let (before, this, after) = (
        hebrew_elapsed(y - 1),
        hebrew_elapsed(y),
        hebrew_elapsed(y + 1),
    );
    if after - this == 356 {
        2
    } else if this - before == 382 {
        1
    } else {
        0
    }
}

/// 1 Tishri (Rosh Hashanah) of Hebrew year `y`, as days from CE day 0.
fn hebrew_new_year(y: i64) -> i64 {
    // 1 Tishri of year 1 is 7 October 3761 BCE (Julian), CE day -1373427.
    -1_373_427 + hebrew_elapsed(y) + hebrew_delay(y)
}

/// The Hebrew feasts by their day in the Hebrew calendar, in Gregorian
/// `year`: `rosh_hashanah` (1 Tishri), `yom_kippur` (10 Tishri), `sukkot`
/// (15 Tishri), `hanukkah` (25 Kislev), `passover` (15 Nisan), `shavuot`
/// (6 Sivan), `purim` (14 Adar, Adar II in a leap year).
pub fn hebrew_feast(id: &str, year: i32) -> Option<NaiveDate> {
    if !(1000..=4000).contains(&year) {
        return None;
    }
    // The Hebrew year that begins in the autumn of `year`.
    let autumn = i64::from(year) + 3761;
    let days = match id {
        "rosh_hashanah" => hebrew_new_year(autumn),
        "yom_kippur" => hebrew_new_year(autumn) + 9,
        "sukkot" => hebrew_new_year(autumn) + 14,
        "hanukkah" => {
            let length = hebrew_new_year(autumn + 1) - hebrew_new_year(autumn);
            // Heshvan has 30 days in a complete year (355 or 385 days).
            let heshvan = if length % 10 == 5 { 30 } else { 29 };
            hebrew_new_year(autumn) + 30 + heshvan + 24
        }
        // Nisan to Elul have fixed lengths: 15 Nisan is 163 days before
        // the next Rosh Hashanah, 6 Sivan 113 days.
        "passover" => hebrew_new_year(autumn) - 163,
        "shavuot" => hebrew_new_year(autumn) - 113,
        // 14 Adar (Adar II in a leap year, 29 days) is 30 days before 15 Nisan.
        "purim" => hebrew_new_year(autumn) - 163 - 30,
        _ => return None,
    };
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).ok()?)
}

/// The Julian ephemeris day of new moon number `k` (0: 6 January 2000),
/// by Meeus, *Astronomical Algorithms*, ch. 49 (to a minute or so).
fn new_moon(k: f64) -> f64 {
    let t = k / 1236.85;
    let (t2, t3, t4) = (t * t, t * t * t, t * t * t * t);
    let jde = 2_451_550.097_66 + 29.530_588_861 * k + 0.000_154_37 * t2 - 0.000_000_150 * t3
        + 0.000_000_000_73 * t4;
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    let m = (2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3).to_radians();
    let mp = (201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3
        - 0.000_000_058 * t4)
        .to_radians();
    let f = (160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3
        + 0.000_000_011 * t4)
        .to_radians();
    let o = (124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3).to_radians();
    let terms = [
        (-0.40720, mp, 0),
        (0.17241, m, 1),
        (0.01608, 2.0 * mp, 0),
        (0.01039, 2.0 * f, 0),
        (0.00739, mp - m, 1),
        (-0.00514, mp + m, 1),
        (0.00208, 2.0 * m, 2),
        (-0.00111, mp - 2.0 * f, 0),
        (-0.00057, mp + 2.0 * f, 0),
        (0.00056, 2.0 * mp + m, 1),
        (-0.00042, 3.0 * mp, 0),
        (0.00042, m + 2.0 * f, 1),
        (0.00038, m - 2.0 * f, 1),
        (-0.00024, 2.0 * mp - m, 1),
        (-0.00017, o, 0),
        (-0.00007, mp + 2.0 * m, 0),
        (0.00004, 2.0 * mp - 2.0 * f, 0),
        (0.00004, 3.0 * m, 0),
        (0.00003, mp + m - 2.0 * f, 0),
        (0.00003, 2.0 * mp + 2.0 * f, 0),
        (-0.00003, mp + m + 2.0 * f, 0),
        (0.00003, mp - m + 2.0 * f, 0),
        (-0.00002, mp - m - 2.0 * f, 0),
        (-0.00002, 3.0 * mp + m, 0),
        (0.00002, 4.0 * mp, 0),
    ];
    jde + terms
        .iter()
        .map(|&(a, x, pow)| a * e.powi(pow) * x.sin())
        .sum::<f64>()
}

/// The December solstice of `year` (Meeus ch. 27, mean; to a quarter hour).
fn december_solstice(year: i32) -> f64 {
    let y = (f64::from(year) - 2000.0) / 1000.0;
    2_451_900.059_52 + 365_242.740_49 * y - 0.062_23 * y * y - 0.008_23 * y.powi(3)
        + 0.000_32 * y.powi(4)
}

/// The sun's apparent longitude in degrees (Meeus ch. 25, to 0.01°).
fn sun_longitude(jde: f64) -> f64 {
    let t = (jde - 2_451_545.0) / 36_525.0;
    let l0 = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t * t;
    let m = (357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t * t).to_radians();
    let c = (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * m.sin()
        + (0.019_993 - 0.000_101 * t) * (2.0 * m).sin()
        + 0.000_289 * (3.0 * m).sin();
    let o = (125.04 - 1934.136 * t).to_radians();
    (l0 + c - 0.005_69 - 0.004_78 * o.sin()).rem_euclid(360.0)
}

/// When the sun reaches `longitude`, starting from a guess within a month.
fn solar_term(guess: f64, longitude: f64) -> f64 {
    let mut jde = guess;
    for _ in 0..8 {
        let behind = (longitude - sun_longitude(jde) + 540.0).rem_euclid(360.0) - 180.0;
        jde += behind / 0.985_65;
    }
    jde
}

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

    #[test]
    fn hebrew_feasts_match_published_dates() {
        // Rosh Hashanah and Yom Kippur 2018-2026, Passover (15 Nisan) and
        // Hanukkah (25 Kislev), as Jewish calendars publish them (the day,
        // not the evening before).
        let cases = [
            ("rosh_hashanah", ymd(2018, 9, 10)),
            ("rosh_hashanah", ymd(2023, 9, 16)),
            ("rosh_hashanah", ymd(2024, 10, 3)),
            ("rosh_hashanah", ymd(2025, 9, 23)),
            ("rosh_hashanah", ymd(2026, 9, 12)),
            ("yom_kippur", ymd(2018, 9, 19)),
            ("yom_kippur", ymd(2024, 10, 12)),
            ("yom_kippur", ymd(2025, 10, 2)),
            ("passover", ymd(2018, 3, 31)),
            ("passover", ymd(2024, 4, 23)),
            ("passover", ymd(2025, 4, 13)),
            ("passover", ymd(2026, 4, 2)),
            ("hanukkah", ymd(2023, 12, 8)),
            ("hanukkah", ymd(2024, 12, 26)),
            ("hanukkah", ymd(2025, 12, 15)),
            ("shavuot", ymd(2025, 6, 2)),
            ("purim", ymd(2025, 3, 14)),
            ("purim", ymd(2024, 3, 24)),
        ];
        for (id, date) in cases {
            assert_eq!(hebrew_feast(id, date.year()), Some(date), "{id}");
        }
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
        assert_eq!(hebrew_feast("passover", i32::MIN), None);
        assert_eq!(orthodox_easter(i32::MAX), None);
    }

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
