//! The injected clock: `--now` fixes it, otherwise the system's local time.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime};

/// Reads `--now`: RFC 3339 (the wall-clock time in its offset is used),
/// or a plain `YYYY-MM-DDTHH:MM[:SS]` or `YYYY-MM-DD`.
pub fn parse_now(s: &str) -> Result<NaiveDateTime, String> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt.naive_local());
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(dt);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(dt) = d.and_hms_opt(9, 0, 0) {
            return Ok(dt);
        }
    }
    Err(format!(
        "`{s}` is not a date and time: write it like 2025-04-14T10:00:00+02:00"
    ))
}

pub fn system_now() -> NaiveDateTime {
    Local::now().naive_local()
}
