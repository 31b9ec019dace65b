//! Public holidays of Belgium and France, and days people name as dates
//! (Mother's Day, Thanksgiving), computed for any Gregorian year.
//!
//! The dates are fixed, follow Easter (anonymous Gregorian computus) or fall
//! on the nth weekday of a month.
//! Which days are legal holidays in which country is data (`LEGAL`), so a
//! commune-specific closure can be added without touching the computation.

mod definitions;
mod world;

use crate::values::{calendars, Lang};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use definitions::DEFINITIONS;
use serde::{Deserialize, Serialize};
use world::WORLD;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Country {
    Be,
    Fr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub id: &'static str,
    pub date: NaiveDate,
}

/// How a holiday's date is found in a given year.
#[derive(Debug, Clone, Copy)]
enum Rule {
    Fixed {
        month: u32,
        day: u32,
    },
    /// Days after Easter Sunday (negative: before).
    Easter(i64),
    /// The `nth` `weekday` of `month` (`-1`: the last one), plus `offset` days:
    /// Thanksgiving is the fourth Thursday of November, Black Friday the day after.
    Nth {
        month: u32,
        weekday: Weekday,
        nth: i8,
        offset: i64,
    },
    /// Days after Orthodox Easter Sunday (Julian computus).
    OrthodoxEaster(i64),
    /// A day of the tabular Islamic calendar: month, day.
    Islamic(u32, u32),
    /// A feast of the Hebrew calendar, by its id in `calendars::hebrew_feast`.
    Hebrew(&'static str),
    /// The last Friday of an Islamic month (Jumu'atul-Wida: of Ramadan).
    IslamicLastFriday(u32),
    /// The first day of the Chinese year.
    ChineseNewYear,
    /// A festival of India's calendars, by its id in `calendars::hindu_feast`.
    Hindu(&'static str),
    /// The Parsi New Year (Shahenshahi calendar).
    ParsiNewYear,
    /// A fixed day, moved to the nearest weekday when it falls on a
    /// weekend (Saturday to Friday, Sunday to Monday): Boss's Day.
    NearestWeekday {
        month: u32,
        day: u32,
    },
}

struct Definition {
    id: &'static str,
    rule: Rule,
    /// Names in French, Dutch and English.
    names: [&'static str; 3],
}

const LEGAL_BE: &[&str] = &[
    "new_year",
    "easter_monday",
    "labour_day",
    "ascension",
    "whit_monday",
    "national_day",
    "assumption",
    "all_saints",
    "armistice",
    "christmas",
];

/// Code du travail L3133-1.
const LEGAL_FR: &[&str] = &[
    "new_year",
    "easter_monday",
    "labour_day",
    "victory_day",
    "ascension",
    "whit_monday",
    "bastille_day",
    "assumption",
    "all_saints",
    "armistice",
    "christmas",
];

fn supported(year: i32) -> bool {
    (1583..=9999).contains(&year)
}

/// Easter Sunday by the anonymous Gregorian computus (Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    if !supported(year) {
        return None;
    }
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

fn definition(id: &str) -> Option<&'static Definition> {
    DEFINITIONS.iter().chain(WORLD).find(|d| d.id == id)
}

/// The date of any known holiday in `year`, whichever country keeps it.
pub fn holiday_date(id: &str, year: i32) -> Option<NaiveDate> {
    if !supported(year) {
        return None;
    }
    rule_date(definition(id)?.rule, year)
}

fn rule_date(rule: Rule, year: i32) -> Option<NaiveDate> {
    if !supported(year) {
        return None;
    }
    match rule {
        Rule::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month, day),
        Rule::Easter(offset) => easter_sunday(year)?.checked_add_signed(Duration::days(offset)),
        Rule::OrthodoxEaster(offset) => {
            calendars::orthodox_easter(year)?.checked_add_signed(Duration::days(offset))
        }
        Rule::Islamic(month, day) => calendars::islamic_day(year, month, day),
        Rule::Hebrew(id) => calendars::hebrew_feast(id, year),
        Rule::ChineseNewYear => calendars::chinese_new_year(year),
        Rule::Hindu(id) => calendars::hindu_feast(id, year),
        Rule::ParsiNewYear => calendars::parsi_new_year(year),
        Rule::IslamicLastFriday(month) => {
            // The Friday before the first of the next month, within its
            // Gregorian year.
            let next = if month == 12 { 1 } else { month + 1 };
            let first = calendars::islamic_day(year, month, 1)?;
            let end = (year..=year + 1)
                .filter_map(|y| calendars::islamic_day(y, next, 1))
                .find(|d| *d > first)?;
            let back = (end.weekday().num_days_from_monday() + 7
                - Weekday::Fri.num_days_from_monday())
                % 7;
            let back = if back == 0 { 7 } else { back };
            end.checked_sub_signed(Duration::days(i64::from(back)))
        }
        Rule::NearestWeekday { month, day } => {
            let date = NaiveDate::from_ymd_opt(year, month, day)?;
            let shift = match date.weekday() {
                Weekday::Sat => -1,
                Weekday::Sun => 1,
                _ => 0,
            };
            date.checked_add_signed(Duration::days(shift))
        }
        Rule::Nth {
            month,
            weekday,
            nth,
            offset,
        } => {
            let day = if nth > 0 {
                NaiveDate::from_weekday_of_month_opt(year, month, weekday, nth as u8)?
            } else {
                // The last one: a week back from the first of next month's.
                let next = NaiveDate::from_ymd_opt(year, month, 1)?
                    .checked_add_months(chrono::Months::new(1))?;
                let back = (7 + next.weekday().num_days_from_monday() as i64
                    - weekday.num_days_from_monday() as i64
                    - 1)
                    % 7
                    + 1;
                next.checked_sub_signed(Duration::days(back))?
            };
            day.checked_add_signed(Duration::days(offset))
        }
    }
}

/// The legal public holidays of `country` in `year`, sorted by date.
pub fn holidays(country: Country, year: i32) -> Vec<Holiday> {
    let legal = match country {
        Country::Be => LEGAL_BE,
        Country::Fr => LEGAL_FR,
    };
    let mut days: Vec<Holiday> = DEFINITIONS
        .iter()
        .filter(|d| legal.contains(&d.id))
        .filter_map(|d| holiday_date(d.id, year).map(|date| Holiday { id: d.id, date }))
        .collect();
    days.sort_by_key(|h| h.date);
    days
}

/// The legal holiday of `country` falling on `date`, if any.
pub fn holiday_on(country: Country, date: NaiveDate) -> Option<Holiday> {
    use chrono::Datelike;
    holidays(country, date.year())
        .into_iter()
        .find(|h| h.date == date)
}

pub fn holiday_name(id: &str, lang: Lang) -> Option<&'static str> {
    let names = definition(id)?.names;
    Some(match lang {
        Lang::Fr => names[0],
        Lang::Nl => names[1],
        Lang::En => names[2],
    })
}

/// Every holiday's id, in the order of their definitions.
pub fn holiday_ids() -> impl Iterator<Item = &'static str> {
    DEFINITIONS.iter().chain(WORLD).map(|d| d.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn days_counted_in_weekdays() {
        assert_eq!(holiday_date("thanksgiving", 2016), Some(ymd(2016, 11, 24)));
        assert_eq!(holiday_date("thanksgiving", 2010), Some(ymd(2010, 11, 25)));
        assert_eq!(holiday_date("black_friday", 2010), Some(ymd(2010, 11, 26)));
        assert_eq!(holiday_date("cyber_monday", 2015), Some(ymd(2015, 11, 30)));
        assert_eq!(holiday_date("mothers_day", 2017), Some(ymd(2017, 5, 14)));
        // Belgium keeps Father's Day on the second Sunday of June, the US on the third.
        assert_eq!(holiday_date("fathers_day", 2017), Some(ymd(2017, 6, 11)));
        assert_eq!(holiday_date("us_fathers_day", 2017), Some(ymd(2017, 6, 18)));
        assert_eq!(holiday_date("mlk_day", 2019), Some(ymd(2019, 1, 21)));
        assert_eq!(holiday_date("presidents_day", 2017), Some(ymd(2017, 2, 20)));
        assert_eq!(holiday_date("us_labor_day", 2017), Some(ymd(2017, 9, 4)));
        for id in holiday_ids() {
            assert!(holiday_date(id, 2024).is_some(), "{id}");
            assert!(holiday_name(id, Lang::Nl).is_some(), "{id}");
        }
    }

    #[test]
    fn the_last_weekday_of_a_month() {
        let last_monday_of_may = Rule::Nth {
            month: 5,
            weekday: Weekday::Mon,
            nth: -1,
            offset: 0,
        };
        assert_eq!(rule_date(last_monday_of_may, 2024), Some(ymd(2024, 5, 27)));
        assert_eq!(rule_date(last_monday_of_may, 2021), Some(ymd(2021, 5, 31)));
    }

    #[test]
    fn easter_dates_match_known_vectors() {
        assert_eq!(easter_sunday(2024), Some(ymd(2024, 3, 31)));
        assert_eq!(easter_sunday(2025), Some(ymd(2025, 4, 20)));
        assert_eq!(easter_sunday(2019), Some(ymd(2019, 4, 21)));
        assert_eq!(easter_sunday(1583), Some(ymd(1583, 4, 10)));
        assert_eq!(easter_sunday(1582), None);
        assert_eq!(easter_sunday(10000), None);
        assert_eq!(easter_sunday(i32::MIN), None);
    }

    #[test]
    fn movable_feasts_follow_easter() {
        for (year, monday, ascension, whit) in [
            (2025, ymd(2025, 4, 21), ymd(2025, 5, 29), ymd(2025, 6, 9)),
            (2026, ymd(2026, 4, 6), ymd(2026, 5, 14), ymd(2026, 5, 25)),
            (2027, ymd(2027, 3, 29), ymd(2027, 5, 6), ymd(2027, 5, 17)),
        ] {
            assert_eq!(holiday_date("easter_monday", year), Some(monday));
            assert_eq!(holiday_date("ascension", year), Some(ascension));
            assert_eq!(holiday_date("whit_monday", year), Some(whit));
        }
        assert_eq!(holiday_date("good_friday", 2025), Some(ymd(2025, 4, 18)));
    }

    #[test]
    fn belgium_has_ten_and_france_eleven() {
        let be = holidays(Country::Be, 2025);
        assert_eq!(be.len(), 10);
        assert!(be.windows(2).all(|w| w[0].date < w[1].date));
        assert_eq!(be[0].id, "new_year");
        assert_eq!(be[9].id, "christmas");
        assert!(be.iter().any(|h| h.id == "national_day"));
        let fr = holidays(Country::Fr, 2025);
        assert_eq!(fr.len(), 11);
        assert!(fr.iter().any(|h| h.id == "victory_day"));
        assert!(!fr.iter().any(|h| h.id == "national_day"));
        assert!(holidays(Country::Be, 1000).is_empty());
    }

    #[test]
    fn holiday_on_a_date() {
        let h = holiday_on(Country::Be, ymd(2025, 7, 21)).unwrap();
        assert_eq!(h.id, "national_day");
        assert_eq!(holiday_on(Country::Fr, ymd(2025, 7, 21)), None);
        assert_eq!(
            holiday_on(Country::Fr, ymd(2025, 7, 14)).map(|h| h.id),
            Some("bastille_day")
        );
    }

    #[test]
    fn every_id_has_a_date_and_names() {
        for id in holiday_ids() {
            assert!(holiday_date(id, 2025).is_some(), "{id}");
            for lang in Lang::ALL {
                assert!(holiday_name(id, lang).is_some(), "{id} {lang}");
            }
        }
        assert_eq!(
            holiday_name("easter_monday", Lang::Fr),
            Some("lundi de Pâques")
        );
        assert_eq!(holiday_name("easter_monday", Lang::Nl), Some("Paasmaandag"));
        assert_eq!(
            holiday_name("easter_monday", Lang::En),
            Some("Easter Monday")
        );
        assert_eq!(holiday_name("nope", Lang::En), None);
        assert_eq!(holiday_date("nope", 2025), None);
    }
}
