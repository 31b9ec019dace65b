//! The Hebrew calendar: exact, it is arithmetic.

use chrono::NaiveDate;

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
/// (6 Sivan), `purim` (14 Adar, Adar II in a leap year), `shemini_atzeret`
/// (22 Tishri), `simchat_torah` (23 Tishri, outside Israel), `tu_bishvat`
/// (15 Shevat), `yom_hashoah` (27 Nisan), `yom_haatzmaut` (5 Iyar),
/// `lag_baomer` (18 Iyar), `tisha_bav` (9 Av), with the shifts Israel
/// publishes: Yom HaShoah and Yom HaAtzmaut move off the days next to
/// the Sabbath, Tisha B'Av off the Sabbath.
///
/// The day itself, not the evening before on which the feast begins.
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
        "shemini_atzeret" => hebrew_new_year(autumn) + 21,
        "simchat_torah" => hebrew_new_year(autumn) + 22,
        // 1 Nisan is 177 days before Rosh Hashanah; Adar (Adar II) has 29
        // days, Adar I 30, Shevat 30.
        "tu_bishvat" => {
            let leap = (7 * (autumn - 1) + 1).rem_euclid(19) < 7;
            hebrew_new_year(autumn) - 177 - 29 - if leap { 30 } else { 0 } - 30 + 14
        }
        "yom_hashoah" => hebrew_new_year(autumn) - 151,
        "yom_haatzmaut" => hebrew_new_year(autumn) - 143,
        "lag_baomer" => hebrew_new_year(autumn) - 130,
        "tisha_bav" => hebrew_new_year(autumn) - 51,
        _ => return None,
    };
    let date = NaiveDate::from_num_days_from_ce_opt(i32::try_from(days).ok()?)?;
    use chrono::Weekday::*;
    let shift = match (id, chrono::Datelike::weekday(&date)) {
        // Not on the eve of the Sabbath, nor right after it.
        ("yom_hashoah", Fri) => -1,
        ("yom_hashoah", Sun) => 1,
        // Not on the Sabbath nor its eve (to Thursday), nor on a Monday
        // (Memorial Day would fall on Sunday): to Tuesday.
        ("yom_haatzmaut", Fri) => -1,
        ("yom_haatzmaut", Sat) => -2,
        ("yom_haatzmaut", Mon) => 1,
        // A fast is not kept on the Sabbath: the day after.
        ("tisha_bav", Sat) => 1,
        _ => 0,
    };
    date.checked_add_signed(chrono::Duration::days(shift))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
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
            // Shifted: Yom HaAtzmaut 2025 from Friday 2 May, 2024 from
            // Monday 13 May; Yom HaShoah 2025 from Friday 25 April;
            // Tisha B'Av 2025 from Saturday 2 August.
            ("yom_haatzmaut", ymd(2025, 5, 1)),
            ("yom_haatzmaut", ymd(2024, 5, 14)),
            ("yom_haatzmaut", ymd(2023, 4, 26)),
            ("yom_hashoah", ymd(2025, 4, 24)),
            ("yom_hashoah", ymd(2024, 5, 6)),
            ("tisha_bav", ymd(2025, 8, 3)),
            ("tisha_bav", ymd(2024, 8, 13)),
            ("tisha_bav", ymd(2018, 7, 22)),
            ("shemini_atzeret", ymd(2025, 10, 14)),
            ("simchat_torah", ymd(2025, 10, 15)),
            ("simchat_torah", ymd(2024, 10, 25)),
            ("lag_baomer", ymd(2024, 5, 26)),
            ("lag_baomer", ymd(2025, 5, 16)),
            ("tu_bishvat", ymd(2024, 1, 25)),
            ("tu_bishvat", ymd(2025, 2, 13)),
            ("tu_bishvat", ymd(2026, 2, 2)),
        ];
        for (id, date) in cases {
            assert_eq!(hebrew_feast(id, date.year()), Some(date), "{id}");
        }
    }
}
