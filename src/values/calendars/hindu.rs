//! The Hindu lunisolar calendar as Indian almanacs (panchangs) compute it,
//! for New Delhi: the lunar day (tithi) is the twelve-degree step of the
//! moon's elongation from the sun; a month runs from new moon to new moon
//! (amanta) and is named by the sidereal sign the sun is in when it
//! begins (the month begun with the sun in Pisces is Chaitra); a month
//! in which the sun enters no sign is an extra (adhika) month, and takes
//! the next month's name. Sidereal longitudes use Lahiri's ayanamsa.
//!
//! A festival is a tithi of a month, kept on the day on which the tithi
//! holds at the moment of the day its rite is due (sunrise, midday, the
//! afternoon, dusk or midnight), see `hindu_feasts`.

use super::astronomy::{elongation_time, new_moon, sidereal_sun, sun_event, DELTA_T};
use super::from_jdn;
use chrono::{Datelike, NaiveDate};

/// New Delhi: latitude, longitude, and India's time zone (UTC+5:30), days.
const LAT: f64 = 28.6139;
const LON: f64 = 77.2090;
pub(super) const IST: f64 = 5.5 / 24.0;

/// The lunar months, amanta, from Chaitra (0) to Phalguna (11).
pub(super) const CHAITRA: u8 = 0;
pub(super) const VAISHAKHA: u8 = 1;
pub(super) const ASHADHA: u8 = 3;
pub(super) const SHRAVANA: u8 = 4;
pub(super) const BHADRAPADA: u8 = 5;
pub(super) const ASHVIN: u8 = 6;
pub(super) const KARTIKA: u8 = 7;
pub(super) const PAUSHA: u8 = 9;
pub(super) const MAGHA: u8 = 10;
pub(super) const PHALGUNA: u8 = 11;

/// One lunation: the new moons that begin and end it (jde), its name and
/// whether it is an extra month.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lunation {
    pub start: f64,
    pub end: f64,
    pub month: u8,
    pub adhika: bool,
}

/// The lunation that begins at new moon number `k`.
fn lunation(k: i64) -> Lunation {
    let start = new_moon(k as f64);
    let end = new_moon((k + 1) as f64);
    let sign = |jde: f64| (sidereal_sun(jde) / 30.0).floor() as i64;
    let (first, next) = (sign(start), sign(end));
    Lunation {
        start,
        end,
        month: (first + 1).rem_euclid(12) as u8,
        adhika: first == next,
    }
}

/// The ordinary (not extra) lunar month `month` that begins in the
/// Gregorian year `year` or in its last weeks before.
pub(super) fn lunations_named(month: u8, year: i32) -> Vec<Lunation> {
    // New moon 0 is 6 January 2000; a lunation is 29.53 days.
    let first = ((f64::from(year) - 2000.0) * 12.368_5).floor() as i64 - 2;
    (first..first + 16)
        .map(lunation)
        .filter(|l| l.month == month && !l.adhika)
        .collect()
}

/// The jd (universal time) of local midnight that begins `date` in India.
pub(super) fn midnight(date: NaiveDate) -> f64 {
    f64::from(date.num_days_from_ce()) + 1_721_424.5 - IST
}

/// The civil day in India of an instant in ephemeris time.
pub(super) fn india_day(jde: f64) -> Option<NaiveDate> {
    from_jdn((jde - DELTA_T + IST + 0.5).floor() as i64)
}

/// Sunrise and sunset in New Delhi on `date`, as jde.
pub(super) fn sun_times(date: NaiveDate) -> Option<(f64, f64)> {
    let m = midnight(date);
    let rise = sun_event(m, LAT, LON, true)?;
    let set = sun_event(m, LAT, LON, false)?;
    Some((rise + DELTA_T, set + DELTA_T))
}

/// When a tithi (1-30 in a lunation: 1-15 of the waxing moon, 16-30 of
/// the waning one, 30 being the new moon's) begins and ends, as jde.
pub(super) fn tithi_span(l: &Lunation, tithi: u8) -> (f64, f64) {
    let angle = |n: u8| f64::from(n) * 12.0;
    let start = if tithi <= 1 {
        l.start
    } else {
        elongation_time(l.start, angle(tithi - 1))
    };
    let end = if tithi >= 30 {
        l.end
    } else {
        elongation_time(l.start, angle(tithi))
    };
    (start, end)
}

/// The day in India on which the sun enters the sidereal sign starting at
/// `longitude` in Gregorian `year` (a sankranti), with the instant.
pub(super) fn sankranti(year: i32, longitude: f64) -> Option<(NaiveDate, f64)> {
    // Mesha (0°) around 14 April; a sign a month.
    let start = f64::from(NaiveDate::from_ymd_opt(year, 1, 1)?.num_days_from_ce()) + 1_721_424.5;
    let guess = start + 103.0 + longitude / 0.985_65;
    let guess = if guess > start + 370.0 {
        guess - 365.25
    } else {
        guess
    };
    let jde = super::astronomy::sidereal_ingress(guess, longitude);
    let day = india_day(jde)?;
    (day.year() == year).then_some((day, jde))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn months_are_named_by_the_sun_sign_at_their_new_moon() {
        // Chaitra 2025 began at the new moon of 29 March 2025 (Ugadi 30 March).
        let chaitra = lunations_named(CHAITRA, 2025);
        assert_eq!(india_day(chaitra[0].start), Some(ymd(2025, 3, 29)));
        // 2023 had an extra Shravana (18 July - 16 August 2023): the
        // ordinary one began at the new moon of 16 August.
        let shravana = lunations_named(SHRAVANA, 2023);
        assert_eq!(shravana.len(), 1);
        assert_eq!(india_day(shravana[0].start), Some(ymd(2023, 8, 16)));
    }

    #[test]
    fn the_sun_enters_capricorn_around_the_fourteenth_of_january() {
        // Makar Sankranti: 14 January 2018 at 13:45 IST, 14 January 2019
        // at 19:50 IST (after sunset: kept on the 15th).
        let (day, jde) = sankranti(2019, 270.0).unwrap();
        assert_eq!(day, ymd(2019, 1, 14));
        let (_, set) = sun_times(day).unwrap();
        assert!(jde > set);
        assert_eq!(sankranti(2018, 270.0).unwrap().0, ymd(2018, 1, 14));
        assert_eq!(sankranti(2018, 0.0).unwrap().0, ymd(2018, 4, 14));
    }
}
