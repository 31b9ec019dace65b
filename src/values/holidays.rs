//! Public holidays of Belgium and France, and days people name as dates
//! (Mother's Day, Thanksgiving), computed for any Gregorian year.
//!
//! The dates are fixed, follow Easter (anonymous Gregorian computus) or fall
//! on the nth weekday of a month.
//! Which days are legal holidays in which country is data (`LEGAL`), so a
//! commune-specific closure can be added without touching the computation.

use crate::values::{calendars, Lang};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

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
    /// The first day of the Chinese year.
    ChineseNewYear,
}

struct Definition {
    id: &'static str,
    rule: Rule,
    /// Names in French, Dutch and English.
    names: [&'static str; 3],
}

const DEFINITIONS: &[Definition] = &[
    Definition {
        id: "new_year",
        rule: Rule::Fixed { month: 1, day: 1 },
        names: ["jour de l'An", "Nieuwjaar", "New Year's Day"],
    },
    Definition {
        id: "good_friday",
        rule: Rule::Easter(-2),
        names: ["Vendredi saint", "Goede Vrijdag", "Good Friday"],
    },
    Definition {
        id: "easter_sunday",
        rule: Rule::Easter(0),
        names: ["Pâques", "Pasen", "Easter Sunday"],
    },
    Definition {
        id: "easter_monday",
        rule: Rule::Easter(1),
        names: ["lundi de Pâques", "Paasmaandag", "Easter Monday"],
    },
    Definition {
        id: "labour_day",
        rule: Rule::Fixed { month: 5, day: 1 },
        names: ["fête du Travail", "Dag van de Arbeid", "Labour Day"],
    },
    Definition {
        id: "victory_day",
        rule: Rule::Fixed { month: 5, day: 8 },
        names: [
            "Victoire 1945",
            "Dag van de Overwinning",
            "Victory in Europe Day",
        ],
    },
    Definition {
        id: "ascension",
        rule: Rule::Easter(39),
        names: ["Ascension", "Onze-Lieve-Heer-Hemelvaart", "Ascension Day"],
    },
    Definition {
        id: "whit_sunday",
        rule: Rule::Easter(49),
        names: ["Pentecôte", "Pinksteren", "Whit Sunday"],
    },
    Definition {
        id: "whit_monday",
        rule: Rule::Easter(50),
        names: ["lundi de Pentecôte", "Pinkstermaandag", "Whit Monday"],
    },
    Definition {
        id: "flemish_community_day",
        rule: Rule::Fixed { month: 7, day: 11 },
        names: [
            "fête de la Communauté flamande",
            "Feestdag van de Vlaamse Gemeenschap",
            "Flemish Community Day",
        ],
    },
    Definition {
        id: "bastille_day",
        rule: Rule::Fixed { month: 7, day: 14 },
        names: [
            "fête nationale (14 juillet)",
            "Quatorze juillet",
            "Bastille Day",
        ],
    },
    Definition {
        id: "national_day",
        rule: Rule::Fixed { month: 7, day: 21 },
        names: [
            "fête nationale",
            "nationale feestdag",
            "Belgian National Day",
        ],
    },
    Definition {
        id: "assumption",
        rule: Rule::Fixed { month: 8, day: 15 },
        names: [
            "Assomption",
            "Onze-Lieve-Vrouw-Hemelvaart",
            "Assumption Day",
        ],
    },
    Definition {
        id: "french_community_day",
        rule: Rule::Fixed { month: 9, day: 27 },
        names: [
            "fête de la Fédération Wallonie-Bruxelles",
            "Feestdag van de Franse Gemeenschap",
            "French Community Day",
        ],
    },
    Definition {
        id: "all_saints",
        rule: Rule::Fixed { month: 11, day: 1 },
        names: ["Toussaint", "Allerheiligen", "All Saints' Day"],
    },
    Definition {
        id: "all_souls",
        rule: Rule::Fixed { month: 11, day: 2 },
        names: ["jour des Morts", "Allerzielen", "All Souls' Day"],
    },
    Definition {
        id: "armistice",
        rule: Rule::Fixed { month: 11, day: 11 },
        names: ["Armistice", "Wapenstilstand", "Armistice Day"],
    },
    Definition {
        id: "kings_feast",
        rule: Rule::Fixed { month: 11, day: 15 },
        names: ["fête du Roi", "Koningsdag", "King's Feast"],
    },
    Definition {
        id: "christmas_eve",
        rule: Rule::Fixed { month: 12, day: 24 },
        names: ["veille de Noël", "Kerstavond", "Christmas Eve"],
    },
    Definition {
        id: "christmas",
        rule: Rule::Fixed { month: 12, day: 25 },
        names: ["Noël", "Kerstmis", "Christmas Day"],
    },
    Definition {
        id: "boxing_day",
        rule: Rule::Fixed { month: 12, day: 26 },
        names: ["lendemain de Noël", "Tweede Kerstdag", "Boxing Day"],
    },
    Definition {
        id: "new_years_eve",
        rule: Rule::Fixed { month: 12, day: 31 },
        names: ["Saint-Sylvestre", "Oudejaarsavond", "New Year's Eve"],
    },
    // Days that are no public holiday but that people name as dates. The
    // Belgian date is the one a Belgian bot reads; the `us_` variants are
    // read only in US English (see `lexicon/dates/`, kind `holiday_us`).
    Definition {
        id: "sinterklaas",
        rule: Rule::Fixed { month: 12, day: 6 },
        names: ["Saint-Nicolas", "Sinterklaas", "St Nicholas Day"],
    },
    Definition {
        id: "nl_sinterklaas_eve",
        rule: Rule::Fixed { month: 12, day: 5 },
        names: [
            "veille de la Saint-Nicolas",
            "Pakjesavond",
            "St Nicholas' Eve",
        ],
    },
    Definition {
        id: "shrove_tuesday",
        rule: Rule::Easter(-47),
        names: ["Mardi gras", "Vastenavond", "Shrove Tuesday"],
    },
    Definition {
        id: "ash_wednesday",
        rule: Rule::Easter(-46),
        names: ["mercredi des Cendres", "Aswoensdag", "Ash Wednesday"],
    },
    Definition {
        id: "palm_sunday",
        rule: Rule::Easter(-7),
        names: ["dimanche des Rameaux", "Palmzondag", "Palm Sunday"],
    },
    Definition {
        id: "maundy_thursday",
        rule: Rule::Easter(-3),
        names: ["Jeudi saint", "Witte Donderdag", "Maundy Thursday"],
    },
    Definition {
        id: "holy_saturday",
        rule: Rule::Easter(-1),
        names: ["Samedi saint", "Stille Zaterdag", "Holy Saturday"],
    },
    Definition {
        id: "trinity_sunday",
        rule: Rule::Easter(56),
        names: [
            "dimanche de la Trinité",
            "Drievuldigheidszondag",
            "Trinity Sunday",
        ],
    },
    Definition {
        id: "valentines_day",
        rule: Rule::Fixed { month: 2, day: 14 },
        names: ["Saint-Valentin", "Valentijnsdag", "Valentine's Day"],
    },
    Definition {
        id: "st_patricks_day",
        rule: Rule::Fixed { month: 3, day: 17 },
        names: ["Saint-Patrick", "Sint-Patricksdag", "St Patrick's Day"],
    },
    Definition {
        id: "earth_day",
        rule: Rule::Fixed { month: 4, day: 22 },
        names: ["Jour de la Terre", "Dag van de Aarde", "Earth Day"],
    },
    Definition {
        id: "mothers_day",
        rule: Rule::Nth {
            month: 5,
            weekday: Weekday::Sun,
            nth: 2,
            offset: 0,
        },
        names: ["fête des Mères", "Moederdag", "Mother's Day"],
    },
    Definition {
        id: "fathers_day",
        rule: Rule::Nth {
            month: 6,
            weekday: Weekday::Sun,
            nth: 2,
            offset: 0,
        },
        names: ["fête des Pères", "Vaderdag", "Father's Day"],
    },
    Definition {
        id: "halloween",
        rule: Rule::Fixed { month: 10, day: 31 },
        names: ["Halloween", "Halloween", "Halloween"],
    },
    Definition {
        id: "thanksgiving",
        rule: Rule::Nth {
            month: 11,
            weekday: Weekday::Thu,
            nth: 4,
            offset: 0,
        },
        names: ["Thanksgiving", "Thanksgiving", "Thanksgiving"],
    },
    Definition {
        id: "black_friday",
        rule: Rule::Nth {
            month: 11,
            weekday: Weekday::Thu,
            nth: 4,
            offset: 1,
        },
        names: ["Black Friday", "Black Friday", "Black Friday"],
    },
    Definition {
        id: "cyber_monday",
        rule: Rule::Nth {
            month: 11,
            weekday: Weekday::Thu,
            nth: 4,
            offset: 4,
        },
        names: ["Cyber Monday", "Cyber Monday", "Cyber Monday"],
    },
    Definition {
        id: "nl_kings_day",
        rule: Rule::Fixed { month: 4, day: 27 },
        names: [
            "fête du Roi (Pays-Bas)",
            "Koningsdag",
            "King's Day (Netherlands)",
        ],
    },
    Definition {
        id: "nl_liberation_day",
        rule: Rule::Fixed { month: 5, day: 5 },
        names: [
            "jour de la Libération (Pays-Bas)",
            "Bevrijdingsdag",
            "Liberation Day (Netherlands)",
        ],
    },
    Definition {
        id: "mlk_day",
        rule: Rule::Nth {
            month: 1,
            weekday: Weekday::Mon,
            nth: 3,
            offset: 0,
        },
        names: [
            "jour de Martin Luther King",
            "Martin Luther Kingdag",
            "Martin Luther King Day",
        ],
    },
    Definition {
        id: "presidents_day",
        rule: Rule::Nth {
            month: 2,
            weekday: Weekday::Mon,
            nth: 3,
            offset: 0,
        },
        names: ["jour des Présidents", "Presidentendag", "Presidents' Day"],
    },
    Definition {
        id: "us_fathers_day",
        rule: Rule::Nth {
            month: 6,
            weekday: Weekday::Sun,
            nth: 3,
            offset: 0,
        },
        names: [
            "fête des Pères (États-Unis)",
            "Vaderdag (Verenigde Staten)",
            "Father's Day",
        ],
    },
    Definition {
        id: "us_independence_day",
        rule: Rule::Fixed { month: 7, day: 4 },
        names: [
            "fête de l'Indépendance américaine",
            "Onafhankelijkheidsdag (Verenigde Staten)",
            "Independence Day",
        ],
    },
    Definition {
        id: "us_labor_day",
        rule: Rule::Nth {
            month: 9,
            weekday: Weekday::Mon,
            nth: 1,
            offset: 0,
        },
        names: [
            "fête du Travail (États-Unis)",
            "Dag van de Arbeid (Verenigde Staten)",
            "Labor Day",
        ],
    },
    Definition {
        id: "chinese_new_year",
        rule: Rule::ChineseNewYear,
        names: ["Nouvel An chinois", "Chinees Nieuwjaar", "Chinese New Year"],
    },
    Definition {
        id: "orthodox_easter",
        rule: Rule::OrthodoxEaster(0),
        names: ["Pâques orthodoxe", "Orthodox Pasen", "Orthodox Easter"],
    },
    Definition {
        id: "orthodox_good_friday",
        rule: Rule::OrthodoxEaster(-2),
        names: [
            "Vendredi saint orthodoxe",
            "Orthodoxe Goede Vrijdag",
            "Orthodox Good Friday",
        ],
    },
    Definition {
        id: "eid_al_fitr",
        rule: Rule::Islamic(10, 1),
        names: ["Aïd el-Fitr", "Suikerfeest", "Eid al-Fitr"],
    },
    Definition {
        id: "eid_al_adha",
        rule: Rule::Islamic(12, 10),
        names: ["Aïd el-Kebir", "Offerfeest", "Eid al-Adha"],
    },
    Definition {
        id: "islamic_new_year",
        rule: Rule::Islamic(1, 1),
        names: [
            "Nouvel An musulman",
            "Islamitisch Nieuwjaar",
            "Islamic New Year",
        ],
    },
    Definition {
        id: "ramadan",
        rule: Rule::Islamic(9, 1),
        names: [
            "début du ramadan",
            "begin van de ramadan",
            "start of Ramadan",
        ],
    },
    Definition {
        id: "rosh_hashanah",
        rule: Rule::Hebrew("rosh_hashanah"),
        names: ["Roch Hachana", "Joods Nieuwjaar", "Rosh Hashanah"],
    },
    Definition {
        id: "yom_kippur",
        rule: Rule::Hebrew("yom_kippur"),
        names: ["Yom Kippour", "Jom Kipoer", "Yom Kippur"],
    },
    Definition {
        id: "sukkot",
        rule: Rule::Hebrew("sukkot"),
        names: ["Souccot", "Soekot", "Sukkot"],
    },
    Definition {
        id: "hanukkah",
        rule: Rule::Hebrew("hanukkah"),
        names: ["Hanoukka", "Chanoeka", "Hanukkah"],
    },
    Definition {
        id: "passover",
        rule: Rule::Hebrew("passover"),
        names: ["Pessa'h", "Pesach", "Passover"],
    },
    Definition {
        id: "shavuot",
        rule: Rule::Hebrew("shavuot"),
        names: ["Chavouot", "Sjavoeot", "Shavuot"],
    },
    Definition {
        id: "purim",
        rule: Rule::Hebrew("purim"),
        names: ["Pourim", "Poerim", "Purim"],
    },
];

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

const IDS: &[&str] = &[
    "new_year",
    "good_friday",
    "easter_sunday",
    "easter_monday",
    "labour_day",
    "victory_day",
    "ascension",
    "whit_sunday",
    "whit_monday",
    "flemish_community_day",
    "bastille_day",
    "national_day",
    "assumption",
    "french_community_day",
    "all_saints",
    "all_souls",
    "armistice",
    "kings_feast",
    "christmas_eve",
    "christmas",
    "boxing_day",
    "new_years_eve",
    "sinterklaas",
    "nl_sinterklaas_eve",
    "shrove_tuesday",
    "ash_wednesday",
    "palm_sunday",
    "maundy_thursday",
    "holy_saturday",
    "trinity_sunday",
    "valentines_day",
    "st_patricks_day",
    "earth_day",
    "mothers_day",
    "fathers_day",
    "halloween",
    "thanksgiving",
    "black_friday",
    "cyber_monday",
    "nl_kings_day",
    "nl_liberation_day",
    "mlk_day",
    "presidents_day",
    "us_fathers_day",
    "us_independence_day",
    "us_labor_day",
    "chinese_new_year",
    "orthodox_easter",
    "orthodox_good_friday",
    "eid_al_fitr",
    "eid_al_adha",
    "islamic_new_year",
    "ramadan",
    "rosh_hashanah",
    "yom_kippur",
    "sukkot",
    "hanukkah",
    "passover",
    "shavuot",
    "purim",
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
    DEFINITIONS.iter().find(|d| d.id == id)
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

pub fn holiday_ids() -> &'static [&'static str] {
    IDS
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
