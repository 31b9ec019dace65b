//! Positions of the sun and the moon, new moons and sunrise, after Meeus,
//! *Astronomical Algorithms* (2nd ed.), to the precision calendars need:
//! a minute or so for new moons, a few arc-minutes for the moon's
//! longitude, about a minute for sunrise and sunset.
//!
//! Instants are Julian days. `jde` is in terrestrial (ephemeris) time, the
//! time of the formulas; `jd` in universal time, the time of clocks. They
//! differ by ΔT, taken as 69 s (its value around 2015-2025; a minute off
//! a century away moves no date but one within a minute of midnight).

/// ΔT in days.
pub(super) const DELTA_T: f64 = 69.0 / 86_400.0;

/// The Julian ephemeris day of new moon number `k` (0: 6 January 2000),
/// by Meeus, *Astronomical Algorithms*, ch. 49 (to a minute or so).
pub(super) fn new_moon(k: f64) -> f64 {
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
pub(super) fn december_solstice(year: i32) -> f64 {
    let y = (f64::from(year) - 2000.0) / 1000.0;
    2_451_900.059_52 + 365_242.740_49 * y - 0.062_23 * y * y - 0.008_23 * y.powi(3)
        + 0.000_32 * y.powi(4)
}

/// The sun's apparent longitude in degrees (Meeus ch. 25, to 0.01°).
pub(super) fn sun_longitude(jde: f64) -> f64 {
    let t = (jde - 2_451_545.0) / 36_525.0;
    let l0 = 280.466_46 + 36_000.769_83 * t + 0.000_303_2 * t * t;
    let m = (357.529_11 + 35_999.050_29 * t - 0.000_153_7 * t * t).to_radians();
    let c = (1.914_602 - 0.004_817 * t - 0.000_014 * t * t) * m.sin()
        + (0.019_993 - 0.000_101 * t) * (2.0 * m).sin()
        + 0.000_289 * (3.0 * m).sin();
    let o = (125.04 - 1934.136 * t).to_radians();
    (l0 + c - 0.005_69 - 0.004_78 * o.sin()).rem_euclid(360.0)
}

/// When the sun, its longitude given by `sun`, reaches `longitude`, from a
/// guess within a month (Newton's steps at the sun's mean daily motion).
fn sun_reaches(sun: fn(f64) -> f64, guess: f64, longitude: f64) -> f64 {
    let mut jde = guess;
    for _ in 0..8 {
        let behind = (longitude - sun(jde) + 540.0).rem_euclid(360.0) - 180.0;
        jde += behind / 0.985_65;
    }
    jde
}

/// When the sun reaches `longitude`, starting from a guess within a month.
pub(super) fn solar_term(guess: f64, longitude: f64) -> f64 {
    sun_reaches(sun_longitude, guess, longitude)
}

/// The moon's apparent longitude in degrees (Meeus ch. 47: the periodic
/// terms down to 0.0005°, to about 0.01°).
pub(super) fn moon_longitude(jde: f64) -> f64 {
    moon_position(jde).0
}

/// The moon's apparent longitude and its latitude in degrees (Meeus
/// ch. 47; the latitude from its twenty largest terms, to about 0.01°).
pub(super) fn moon_position(jde: f64) -> (f64, f64) {
    let t = (jde - 2_451_545.0) / 36_525.0;
    let (t2, t3, t4) = (t * t, t * t * t, t * t * t * t);
    let lp = 218.316_447_7 + 481_267.881_234_21 * t - 0.001_578_6 * t2 + t3 / 538_841.0
        - t4 / 65_194_000.0;
    let d = 297.850_192_1 + 445_267.111_403_4 * t - 0.001_881_9 * t2 + t3 / 545_868.0
        - t4 / 113_065_000.0;
    let m = 357.529_109_2 + 35_999.050_290_9 * t - 0.000_153_6 * t2 + t3 / 24_490_000.0;
    let mp = 134.963_396_4 + 477_198.867_505_5 * t + 0.008_741_4 * t2 + t3 / 69_699.0
        - t4 / 14_712_000.0;
    let f = 93.272_095 + 483_202.017_523_3 * t - 0.003_653_9 * t2 - t3 / 3_526_000.0
        + t4 / 863_310_000.0;
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    // Multiples of D, M, M', F and the coefficient in millionths of a degree.
    const TERMS: [(i8, i8, i8, i8, f64); 50] = [
        (0, 0, 1, 0, 6_288_774.0),
        (2, 0, -1, 0, 1_274_027.0),
        (2, 0, 0, 0, 658_314.0),
        (0, 0, 2, 0, 213_618.0),
        (0, 1, 0, 0, -185_116.0),
        (0, 0, 0, 2, -114_332.0),
        (2, 0, -2, 0, 58_793.0),
        (2, -1, -1, 0, 57_066.0),
        (2, 0, 1, 0, 53_322.0),
        (2, -1, 0, 0, 45_758.0),
        (0, 1, -1, 0, -40_923.0),
        (1, 0, 0, 0, -34_720.0),
        (0, 1, 1, 0, -30_383.0),
        (2, 0, 0, -2, 15_327.0),
        (0, 0, 1, 2, -12_528.0),
        (0, 0, 1, -2, 10_980.0),
        (4, 0, -1, 0, 10_675.0),
        (0, 0, 3, 0, 10_034.0),
        (4, 0, -2, 0, 8_548.0),
        (2, 1, -1, 0, -7_888.0),
        (2, 1, 0, 0, -6_766.0),
        (1, 0, -1, 0, -5_163.0),
        (1, 1, 0, 0, 4_987.0),
        (2, -1, 1, 0, 4_036.0),
        (2, 0, 2, 0, 3_994.0),
        (4, 0, 0, 0, 3_861.0),
        (2, 0, -3, 0, 3_665.0),
        (0, 1, -2, 0, -2_689.0),
        (2, 0, -1, 2, -2_602.0),
        (2, -1, -2, 0, 2_390.0),
        (1, 0, 1, 0, -2_348.0),
        (2, -2, 0, 0, 2_236.0),
        (0, 1, 2, 0, -2_120.0),
        (0, 2, 0, 0, -2_069.0),
        (2, -2, -1, 0, 2_048.0),
        (2, 0, 1, -2, -1_773.0),
        (2, 0, 0, 2, -1_595.0),
        (4, -1, -1, 0, 1_215.0),
        (0, 0, 2, 2, -1_110.0),
        (3, 0, -1, 0, -892.0),
        (2, 1, 1, 0, -810.0),
        (4, -1, -2, 0, 759.0),
        (0, 2, -1, 0, -713.0),
        (2, 2, -1, 0, -700.0),
        (2, 1, -2, 0, 691.0),
        (2, -1, 0, -2, 596.0),
        (4, 0, 1, 0, 549.0),
        (0, 0, 4, 0, 537.0),
        (4, -1, 0, 0, 520.0),
        (1, 0, -2, 0, -487.0),
    ];
    let sum: f64 = TERMS
        .iter()
        .map(|&(kd, km, kmp, kf, c)| {
            let arg =
                f64::from(kd) * d + f64::from(km) * m + f64::from(kmp) * mp + f64::from(kf) * f;
            // Terms with the sun's anomaly shrink with the orbit's eccentricity.
            c * e.powi(i32::from(km.unsigned_abs())) * arg.to_radians().sin()
        })
        .sum();
    let a1 = 119.75 + 131.849 * t;
    let a2 = 53.09 + 479_264.29 * t;
    let extra = 3958.0 * a1.to_radians().sin()
        + 1962.0 * (lp - f).to_radians().sin()
        + 318.0 * a2.to_radians().sin();
    // Nutation in longitude, its main term (as in `sun_longitude`).
    let o = (125.04 - 1934.136 * t).to_radians();
    let longitude = (lp + (sum + extra) / 1e6 - 0.004_78 * o.sin()).rem_euclid(360.0);
    const LATITUDE: [(i8, i8, i8, i8, f64); 20] = [
        (0, 0, 0, 1, 5_128_122.0),
        (0, 0, 1, 1, 280_602.0),
        (0, 0, 1, -1, 277_693.0),
        (2, 0, 0, -1, 173_237.0),
        (2, 0, -1, 1, 55_413.0),
        (2, 0, -1, -1, 46_271.0),
        (2, 0, 0, 1, 32_573.0),
        (0, 0, 2, 1, 17_198.0),
        (2, 0, 1, -1, 9_266.0),
        (0, 0, 2, -1, 8_822.0),
        (2, -1, 0, -1, 8_216.0),
        (2, 0, -2, -1, 4_324.0),
        (2, 0, 1, 1, 4_200.0),
        (2, 1, 0, -1, -3_359.0),
        (2, -1, -1, 1, 2_463.0),
        (2, -1, 0, 1, 2_211.0),
        (2, -1, -1, -1, 2_065.0),
        (0, 1, -1, -1, -1_870.0),
        (4, 0, -1, -1, 1_828.0),
        (0, 1, 0, 1, -1_794.0),
    ];
    let a3 = 313.45 + 481_266.484 * t;
    let sin = |x: f64| x.to_radians().sin();
    let beta: f64 = LATITUDE
        .iter()
        .map(|&(kd, km, kmp, kf, c)| {
            let arg =
                f64::from(kd) * d + f64::from(km) * m + f64::from(kmp) * mp + f64::from(kf) * f;
            c * e.powi(i32::from(km.unsigned_abs())) * sin(arg)
        })
        .sum::<f64>()
        - 2235.0 * sin(lp)
        + 382.0 * sin(a3)
        + 175.0 * sin(a1 - f)
        + 175.0 * sin(a1 + f)
        + 127.0 * sin(lp - mp)
        - 115.0 * sin(lp + mp);
    (longitude, beta / 1e6)
}

/// The moon's geocentric altitude in degrees at `jd` (universal time) seen
/// from `lat`, `lon` (degrees, east positive).
pub(super) fn moon_altitude(jd: f64, lat: f64, lon: f64) -> f64 {
    let (lambda, beta) = moon_position(jd + DELTA_T);
    let (lambda, beta) = (lambda.to_radians(), beta.to_radians());
    let eps = 23.439_3_f64.to_radians();
    let ra = (lambda.sin() * eps.cos() - beta.tan() * eps.sin()).atan2(lambda.cos());
    let dec = (beta.sin() * eps.cos() + beta.cos() * eps.sin() * lambda.sin()).asin();
    // Greenwich mean sidereal time (Meeus 12.4), then the local hour angle.
    let gmst = 280.460_618_37 + 360.985_647_366_29 * (jd - 2_451_545.0);
    let h = (gmst + lon).to_radians() - ra;
    let phi = lat.to_radians();
    (phi.sin() * dec.sin() + phi.cos() * dec.cos() * h.cos())
        .asin()
        .to_degrees()
}

/// The moon's elongation from the sun, 0-360°: 0 at new moon, 180 at full.
pub(super) fn elongation(jde: f64) -> f64 {
    (moon_longitude(jde) - sun_longitude(jde)).rem_euclid(360.0)
}

/// When the elongation reaches `angle` (degrees) in the lunation that
/// begins at new moon `start` (jde).
pub(super) fn elongation_time(start: f64, angle: f64) -> f64 {
    // The moon gains 12.19° a day on the sun, on average.
    let mut jde = start + angle / 12.190_75;
    for _ in 0..8 {
        let behind = (angle - elongation(jde) + 540.0).rem_euclid(360.0) - 180.0;
        jde += behind / 12.190_75;
    }
    jde
}

/// Lahiri's ayanamsa in degrees, the sidereal zodiac's offset from the
/// tropical one that Indian almanacs use (23°51'11" at J2000, precessing
/// 50.29" a year).
pub(super) fn ayanamsa(jde: f64) -> f64 {
    23.853 + (jde - 2_451_545.0) / 365.25 * 50.29 / 3600.0
}

/// The sun's sidereal longitude (Lahiri), degrees.
pub(super) fn sidereal_sun(jde: f64) -> f64 {
    (sun_longitude(jde) - ayanamsa(jde)).rem_euclid(360.0)
}

/// When the sidereal sun reaches `longitude`, from a guess within a month.
pub(super) fn sidereal_ingress(guess: f64, longitude: f64) -> f64 {
    sun_reaches(sidereal_sun, guess, longitude)
}

/// Sunrise (`rise`) or sunset of the civil day that begins at `midnight`
/// (a jd, in universal time, of the place's local midnight), at `lat`,
/// `lon` (degrees, east positive), for the sun's upper limb at the
/// horizon with refraction (-0.833°). None where the sun neither rises
/// nor sets that day.
pub(super) fn sun_event(midnight: f64, lat: f64, lon: f64, rise: bool) -> Option<f64> {
    let mut jd = midnight + if rise { 0.25 } else { 0.75 };
    for _ in 0..3 {
        let n = jd + DELTA_T - 2_451_545.0;
        let l = (280.460 + 0.985_647_4 * n).rem_euclid(360.0);
        let g = (357.528 + 0.985_600_3 * n).to_radians();
        let lambda = (l + 1.915 * g.sin() + 0.020 * (2.0 * g).sin()).to_radians();
        let eps = (23.439 - 0.000_000_4 * n).to_radians();
        let ra = (eps.cos() * lambda.sin())
            .atan2(lambda.cos())
            .to_degrees()
            .rem_euclid(360.0);
        let dec = (eps.sin() * lambda.sin()).asin();
        // The equation of time, in degrees of the sun's hour angle.
        let eot = (l - ra + 540.0).rem_euclid(360.0) - 180.0;
        let phi = lat.to_radians();
        let cos_h =
            ((-0.833_f64).to_radians().sin() - phi.sin() * dec.sin()) / (phi.cos() * dec.cos());
        if !(-1.0..=1.0).contains(&cos_h) {
            return None;
        }
        let h = cos_h.acos().to_degrees();
        // Noon in universal time, as a fraction of the UT day.
        let noon = (180.0 - lon - eot) / 360.0;
        let offset = if rise { -h } else { h } / 360.0;
        let day = (jd - 0.5).floor() + 0.5;
        let mut guess = day + noon + offset;
        // Keep the event on the civil day asked.
        if guess < midnight {
            guess += 1.0;
        } else if guess >= midnight + 1.0 {
            guess -= 1.0;
        }
        jd = guess;
    }
    Some(jd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_moon_is_where_meeus_puts_it() {
        // Meeus, example 47.a: 1992 April 12, 0h TD, apparent longitude
        // 133.167265° (with the full nutation, 0.004610° here).
        let l = moon_longitude(2_448_724.5);
        assert!((l - 133.167_265).abs() < 0.01, "{l}");
    }

    #[test]
    fn new_moons_have_no_elongation_and_full_moons_half_a_turn() {
        // New moon 0 (6 January 2000, 18:14 UT).
        let e = elongation(new_moon(0.0));
        assert!(e.min(360.0 - e) < 0.02, "{e}");
        let full = elongation_time(new_moon(0.0), 180.0);
        // Full moon of 21 January 2000, 04:40 UT (eclipse): jd 2451564.69.
        assert!((full - DELTA_T - 2_451_564.695).abs() < 0.01, "{full}");
    }

    #[test]
    fn sunrise_and_sunset_in_new_delhi() {
        // 1 January 2025 (local midnight 18:30 UT the day before): sunrise
        // 07:14 and sunset 17:36 IST by India's meteorological department.
        let midnight = 2_460_676.5 - 5.5 / 24.0;
        let rise = sun_event(midnight, 28.6139, 77.2090, true).unwrap();
        let set = sun_event(midnight, 28.6139, 77.2090, false).unwrap();
        let ist = |jd: f64| ((jd + 0.5 + 5.5 / 24.0).fract() * 1440.0).round();
        assert!(
            (ist(rise) - (7.0 * 60.0 + 14.0)).abs() <= 2.0,
            "{}",
            ist(rise)
        );
        assert!(
            (ist(set) - (17.0 * 60.0 + 36.0)).abs() <= 2.0,
            "{}",
            ist(set)
        );
        // No sunrise at the pole in winter, no panic.
        assert!(sun_event(midnight, 89.9, 0.0, true).is_none());
    }
}
