//! Feasts kept by other calendars than the Gregorian one, as Gregorian
//! dates: Orthodox Easter (Julian computus), the Hebrew calendar (exact:
//! it is arithmetic) and the tabular Islamic calendar.
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
}
