//! Feasts kept by other calendars than the Gregorian one, as Gregorian
//! dates, a file per calendar: Orthodox Easter (Julian computus), the
//! Hebrew calendar (exact: it is arithmetic), the Islamic calendar, the
//! Chinese New Year (new moons and solar terms in China's time zone), the
//! Hindu lunisolar and solar calendars (tithis at sunrise in New Delhi)
//! and the Parsi (Shahenshahi) year. `astronomy` holds the sun's and the
//! moon's positions they are computed from.

mod astronomy;
mod chinese;
mod hebrew;
mod hindu;
mod hindu_feasts;
mod islamic;
mod orthodox;
mod parsi;

pub use chinese::chinese_new_year;
pub use hebrew::hebrew_feast;
pub use hindu_feasts::hindu_feast;
pub use islamic::islamic_day;
pub use orthodox::orthodox_easter;
pub use parsi::parsi_new_year;

use chrono::NaiveDate;

/// Days from 1 January of year 1 (CE day 1) to the Julian day number 0.
const JDN_OF_CE_DAY_0: i64 = 1_721_425;

fn from_jdn(jdn: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(jdn - JDN_OF_CE_DAY_0).ok()?)
}
