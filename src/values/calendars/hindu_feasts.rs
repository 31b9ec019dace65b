//! Hindu, Sikh, Jain and Buddhist festivals of India, with the rules
//! almanacs keep them by: a tithi of a lunar month, on the day on which it
//! holds at the moment its rite is due, or the sun's entry into a sign.

use super::hindu::{
    india_day, lunations_named, sankranti, sun_times, tithi_span, Lunation, ASHADHA, ASHVIN,
    BHADRAPADA, CHAITRA, KARTIKA, MAGHA, PAUSHA, PHALGUNA, SHRAVANA, VAISHAKHA,
};
use chrono::{Datelike, Duration, NaiveDate};

/// The moment of the day a rite is due, at which its tithi must hold.
#[derive(Debug, Clone, Copy)]
enum Kala {
    /// Sunrise (udaya tithi): most jayantis, Ugadi, Ratha Yatra.
    Sunrise,
    /// Midday, the third fifth of daytime (madhyahna): Rama's and
    /// Ganesha's births.
    Midday,
    /// The afternoon, the fourth fifth of daytime (aparahna), from its
    /// beginning: Dussehra, Bhai Dooj.
    Afternoon,
    /// Dusk, the 144 minutes after sunset (pradosh), at their middle:
    /// Lakshmi Puja.
    Dusk,
    /// The end of dusk: a tithi begun during it counts (Dhanteras).
    DuskEnd,
    /// Moonrise of the fourth waning day, about three hours after sunset:
    /// Karva Chauth.
    Moonrise,
    /// Midnight (nishita), of the night after the day: Shiva's night.
    Midnight,
}

/// When a full-moon rite may be done once Bhadra (the inauspicious first
/// half of the full-moon tithi) is over.
#[derive(Debug, Clone, Copy)]
enum Bhadra {
    /// From sunset to midnight: Holika Dahan's bonfire. When Bhadra
    /// lasts past midnight, the next day if the full moon holds three
    /// watches (nine hours) after its sunrise, else the first evening it
    /// holds (in Bhadra).
    Night,
    /// From the afternoon (aparahna) to the end of dusk: Raksha Bandhan.
    /// Else the next day, in the morning before the full moon ends.
    Afternoon,
}

#[derive(Debug, Clone, Copy)]
enum Rule {
    /// The full moon of a month, on the first day on which it holds
    /// without Bhadra during the rite's hours; or else on the day it ends
    /// (the rite done in the morning before it ends), then days after.
    FullMoonAfterBhadra(u8, Bhadra, i64),
    /// Tithi (1-15 waxing, 16-30 waning) of a lunar month at a kala, then
    /// days after it.
    Lunar {
        month: u8,
        tithi: u8,
        kala: Kala,
        offset: i64,
    },
    /// The sun's entry into the sidereal sign at `longitude`: on that day,
    /// or the next when it comes after sunset (`sunset_rule`), then days
    /// after it.
    Solar {
        longitude: f64,
        sunset_rule: bool,
        offset: i64,
    },
}

const fn lunar(month: u8, tithi: u8, kala: Kala) -> Rule {
    Rule::Lunar {
        month,
        tithi,
        kala,
        offset: 0,
    }
}

const FEASTS: &[(&str, Rule)] = &[
    // Lakshmi Puja: the new moon of Ashvin at dusk.
    ("diwali", lunar(ASHVIN, 30, Kala::Dusk)),
    ("dhanteras", lunar(ASHVIN, 28, Kala::DuskEnd)),
    // Choti Diwali, as people keep it: the eve of Lakshmi Puja.
    (
        "choti_diwali",
        Rule::Lunar {
            month: ASHVIN,
            tithi: 30,
            kala: Kala::Dusk,
            offset: -1,
        },
    ),
    ("bhai_dooj", lunar(KARTIKA, 2, Kala::Afternoon)),
    // Chhath's main day, the evening offering to the setting sun.
    ("chhath", lunar(KARTIKA, 6, Kala::Sunrise)),
    ("maha_saptami", lunar(ASHVIN, 7, Kala::Sunrise)),
    ("dussehra", lunar(ASHVIN, 10, Kala::Afternoon)),
    ("karva_chauth", lunar(ASHVIN, 19, Kala::Moonrise)),
    (
        "raksha_bandhan",
        Rule::FullMoonAfterBhadra(SHRAVANA, Bhadra::Afternoon, 0),
    ),
    // Krishna's birth, as India's holiday lists keep it: the day at whose
    // sunrise the eighth waning tithi holds (the Vaishnava rule; the
    // Smarta rule, ashtami at midnight, is a day earlier in some years).
    ("janmashtami", lunar(SHRAVANA, 23, Kala::Sunrise)),
    ("ganesh_chaturthi", lunar(BHADRAPADA, 4, Kala::Midday)),
    ("rama_navami", lunar(CHAITRA, 9, Kala::Midday)),
    ("maha_shivaratri", lunar(MAGHA, 29, Kala::Midnight)),
    ("vasant_panchami", lunar(MAGHA, 5, Kala::Sunrise)),
    (
        "holika_dahan",
        Rule::FullMoonAfterBhadra(PHALGUNA, Bhadra::Night, 0),
    ),
    // Holi (Dhulandi): the morning after Holika Dahan.
    (
        "holi",
        Rule::FullMoonAfterBhadra(PHALGUNA, Bhadra::Night, 1),
    ),
    ("ugadi", lunar(CHAITRA, 1, Kala::Sunrise)),
    ("ratha_yatra", lunar(ASHADHA, 2, Kala::Sunrise)),
    ("mahavir_jayanti", lunar(CHAITRA, 13, Kala::Sunrise)),
    ("ravidas_jayanti", lunar(MAGHA, 15, Kala::Sunrise)),
    ("valmiki_jayanti", lunar(ASHVIN, 15, Kala::Sunrise)),
    ("guru_gobind_singh_jayanti", lunar(PAUSHA, 7, Kala::Sunrise)),
    ("buddha_purnima", lunar(VAISHAKHA, 15, Kala::Sunrise)),
    (
        "makar_sankranti",
        Rule::Solar {
            longitude: 270.0,
            sunset_rule: true,
            offset: 0,
        },
    ),
    (
        "bhogi",
        Rule::Solar {
            longitude: 270.0,
            sunset_rule: true,
            offset: -1,
        },
    ),
    (
        "mattu_pongal",
        Rule::Solar {
            longitude: 270.0,
            sunset_rule: true,
            offset: 1,
        },
    ),
    (
        "kaanum_pongal",
        Rule::Solar {
            longitude: 270.0,
            sunset_rule: true,
            offset: 2,
        },
    ),
    (
        "vaisakhi",
        Rule::Solar {
            longitude: 0.0,
            sunset_rule: false,
            offset: 0,
        },
    ),
    // 25 Boishakh of the Bengali solar calendar, whose month begins the
    // day after the sun enters Aries.
    (
        "rabindra_jayanti",
        Rule::Solar {
            longitude: 0.0,
            sunset_rule: false,
            offset: 25,
        },
    ),
];

/// The instant (jde) of `kala` on `date` in New Delhi.
fn kala_at(date: NaiveDate, kala: Kala) -> Option<f64> {
    let (rise, set) = sun_times(date)?;
    let day = set - rise;
    Some(match kala {
        Kala::Sunrise => rise,
        Kala::Midday => rise + 0.5 * day,
        Kala::Afternoon => rise + 0.6 * day,
        Kala::Dusk => set + 72.0 / 1440.0,
        Kala::DuskEnd => set + 144.0 / 1440.0,
        Kala::Moonrise => set + 3.0 / 24.0,
        // Midway between sunset and the next sunrise.
        Kala::Midnight => set + (rise + 1.0 - set) / 2.0,
    })
}

/// The day in `l` on which `tithi` holds at `kala`; when it holds at no
/// day's kala (a short tithi, begun after one and ended before the next),
/// the day at whose sunrise it holds, or else the day within which it
/// passed.
fn lunar_day(l: &Lunation, tithi: u8, kala: Kala) -> Option<NaiveDate> {
    let (start, end) = tithi_span(l, tithi);
    let days = || days_around(start, end);
    let holds =
        |kala: Kala| days().find(|d| kala_at(*d, kala).is_some_and(|at| start <= at && at < end));
    holds(kala).or_else(|| holds(Kala::Sunrise)).or_else(|| {
        days()
            .filter(|d| kala_at(*d, kala).is_some_and(|at| at < start))
            .last()
    })
}

/// The days in India from the one before `start` to the one after `end`.
fn days_around(start: f64, end: f64) -> impl Iterator<Item = NaiveDate> {
    let first = india_day(start).and_then(|d| d.pred_opt());
    let last = india_day(end).and_then(|d| d.succ_opt());
    first
        .into_iter()
        .flat_map(|d| d.iter_days())
        .take_while(move |d| last.is_some_and(|l| *d <= l))
}

/// The full moon of `l` kept after Bhadra (see `Rule::FullMoonAfterBhadra`).
fn full_moon_after_bhadra(l: &Lunation, bhadra: Bhadra) -> Option<NaiveDate> {
    let (start, end) = tithi_span(l, 15);
    let free = (start + end) / 2.0;
    let window = |d: NaiveDate| -> Option<(f64, f64)> {
        let (rise, set) = sun_times(d)?;
        Some(match bhadra {
            Bhadra::Night => (set, set + (rise + 1.0 - set) / 2.0),
            Bhadra::Afternoon => (rise + 0.6 * (set - rise), set + 144.0 / 1440.0),
        })
    };
    if let Some(day) = days_around(start, end)
        .find(|d| window(*d).is_some_and(|(from, to)| free.max(from) < end.min(to)))
    {
        return Some(day);
    }
    let last = india_day(end)?;
    match bhadra {
        Bhadra::Afternoon => Some(last),
        Bhadra::Night => {
            let (rise, _) = sun_times(last)?;
            if end - rise >= 9.0 / 24.0 {
                Some(last)
            } else {
                // The first evening the full moon holds, in Bhadra.
                days_around(start, end)
                    .find(|d| window(*d).is_some_and(|(from, to)| start.max(from) < end.min(to)))
                    .or(Some(last))
            }
        }
    }
}

/// The date of the Hindu (Sikh, Jain, Buddhist) festival `id` in `year`.
pub fn hindu_feast(id: &str, year: i32) -> Option<NaiveDate> {
    if !(1900..=2100).contains(&year) {
        return None;
    }
    let rule = FEASTS.iter().find(|(name, _)| *name == id)?.1;
    let in_year = |days: Vec<NaiveDate>| -> Option<NaiveDate> {
        days.into_iter().filter(|d| d.year() == year).min()
    };
    let date = match rule {
        Rule::FullMoonAfterBhadra(month, bhadra, offset) => in_year(
            [year - 1, year]
                .into_iter()
                .flat_map(|y| lunations_named(month, y))
                .filter_map(|l| full_moon_after_bhadra(&l, bhadra))
                .filter_map(|d| d.checked_add_signed(Duration::days(offset)))
                .collect(),
        )?,
        Rule::Lunar {
            month,
            tithi,
            kala,
            offset,
        } => {
            // The month's lunations around the year (one in most years);
            // the day that falls in the year asked.
            in_year(
                [year - 1, year]
                    .into_iter()
                    .flat_map(|y| lunations_named(month, y))
                    .filter_map(|l| lunar_day(&l, tithi, kala))
                    .filter_map(|d| d.checked_add_signed(Duration::days(offset)))
                    .collect(),
            )?
        }
        Rule::Solar {
            longitude,
            sunset_rule,
            offset,
        } => {
            let (day, at) = sankranti(year, longitude)?;
            let after_sunset = sun_times(day).is_some_and(|(_, set)| at > set);
            let day = if sunset_rule && after_sunset {
                day.succ_opt()?
            } else {
                day
            };
            day.checked_add_signed(Duration::days(offset))?
        }
    };
    Some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(id: &str, dates: &[&str]) {
        let wrong: Vec<String> = dates
            .iter()
            .map(|d| d.parse::<NaiveDate>().unwrap())
            .filter_map(|d| {
                let got = hindu_feast(id, d.year());
                (got != Some(d)).then(|| format!("{d} (computed {got:?})"))
            })
            .collect();
        assert!(wrong.is_empty(), "{id}: {wrong:?}");
    }

    #[test]
    fn diwali_and_its_days() {
        // Government of India holiday lists (Deepavali), Drik Panchang.
        check(
            "diwali",
            &[
                "2019-10-27",
                "2020-11-14",
                "2021-11-04",
                "2022-10-24",
                "2023-11-12",
                "2025-10-20",
                "2026-11-08",
            ],
        );
        check("dhanteras", &["2019-10-25", "2023-11-10", "2025-10-18"]);
        check("choti_diwali", &["2019-10-26", "2023-11-11"]);
        check("bhai_dooj", &["2019-10-29", "2021-11-06", "2025-10-23"]);
        check("chhath", &["2019-11-02", "2023-11-19", "2025-10-27"]);
    }

    #[test]
    fn the_autumn_festivals() {
        check(
            "dussehra",
            &[
                "2020-10-25",
                "2021-10-15",
                "2022-10-05",
                "2023-10-24",
                "2024-10-12",
                "2025-10-02",
            ],
        );
        check("maha_saptami", &["2021-10-12", "2023-10-21"]);
        check(
            "karva_chauth",
            &[
                "2018-10-27",
                "2021-10-24",
                "2022-10-13",
                "2023-11-01",
                "2024-10-20",
                "2025-10-10",
            ],
        );
        check(
            "valmiki_jayanti",
            &["2018-10-24", "2019-10-13", "2023-10-28", "2025-10-07"],
        );
    }

    #[test]
    fn the_summer_festivals() {
        check(
            "raksha_bandhan",
            &[
                "2018-08-26",
                "2019-08-15",
                "2021-08-22",
                "2024-08-19",
                "2025-08-09",
                "2026-08-28",
            ],
        );
        check(
            "janmashtami",
            &["2019-08-24", "2021-08-30", "2024-08-26", "2025-08-16"],
        );
        check(
            "ganesh_chaturthi",
            &[
                "2019-09-02",
                "2020-08-22",
                "2022-08-31",
                "2023-09-19",
                "2024-09-07",
                "2025-08-27",
            ],
        );
        check(
            "ratha_yatra",
            &["2018-07-14", "2023-06-20", "2024-07-07", "2025-06-27"],
        );
    }

    #[test]
    fn the_spring_festivals() {
        check(
            "holi",
            &[
                "2019-03-21",
                "2020-03-10",
                "2022-03-18",
                "2023-03-08",
                "2024-03-25",
                "2025-03-14",
                "2026-03-04",
            ],
        );
        check("holika_dahan", &["2019-03-20", "2024-03-24", "2025-03-13"]);
        check(
            "rama_navami",
            &[
                "2020-04-02",
                "2021-04-21",
                "2023-03-30",
                "2024-04-17",
                "2025-04-06",
            ],
        );
        check(
            "mahavir_jayanti",
            &["2020-04-06", "2023-04-04", "2024-04-21", "2025-04-10"],
        );
        check(
            "ugadi",
            &["2018-03-18", "2023-03-22", "2024-04-09", "2025-03-30"],
        );
        check(
            "buddha_purnima",
            &["2020-05-07", "2023-05-05", "2024-05-23", "2025-05-12"],
        );
    }

    #[test]
    fn the_winter_festivals() {
        check(
            "maha_shivaratri",
            &[
                "2020-02-21",
                "2023-02-18",
                "2024-03-08",
                "2025-02-26",
                "2026-02-15",
            ],
        );
        check(
            "vasant_panchami",
            &["2019-02-10", "2023-01-26", "2024-02-14", "2025-02-02"],
        );
        check(
            "ravidas_jayanti",
            &["2018-01-31", "2019-02-19", "2024-02-24", "2025-02-12"],
        );
        check("guru_gobind_singh_jayanti", &["2014-01-07", "2025-01-06"]);
    }

    #[test]
    fn the_solar_festivals() {
        check(
            "makar_sankranti",
            &[
                "2018-01-14",
                "2019-01-15",
                "2024-01-15",
                "2025-01-14",
                "2026-01-14",
            ],
        );
        check("bhogi", &["2018-01-13"]);
        check("mattu_pongal", &["2018-01-15"]);
        check("kaanum_pongal", &["2018-01-16"]);
        check(
            "vaisakhi",
            &[
                "2018-04-14",
                "2019-04-14",
                "2020-04-13",
                "2023-04-14",
                "2024-04-13",
            ],
        );
        check("rabindra_jayanti", &["2018-05-09", "2019-05-09"]);
        assert_eq!(hindu_feast("diwali", 1899), None);
        assert_eq!(hindu_feast("nope", 2020), None);
    }

    #[test]
    fn every_festival_falls_in_its_season_every_year() {
        // Diwali between mid-October and mid-November, Holi between late
        // February and late March, Makar Sankranti 13-16 January, over two
        // centuries; no year without them, and no panic on any year.
        for year in 1900..=2100 {
            let diwali = hindu_feast("diwali", year).unwrap();
            assert!((287..=321).contains(&diwali.ordinal0()), "{diwali}");
            let Some(holi) = hindu_feast("holi", year) else {
                panic!("no Holi in {year}")
            };
            let spring = (holi.month() == 2 && holi.day() >= 24) || holi.month() == 3;
            assert!(spring, "{holi}");
            let sankranti = hindu_feast("makar_sankranti", year).unwrap();
            assert!(
                sankranti.month() == 1 && (13..=16).contains(&sankranti.day()),
                "{sankranti}"
            );
            for (id, _) in FEASTS {
                let _ = hindu_feast(id, year);
            }
        }
    }
}
