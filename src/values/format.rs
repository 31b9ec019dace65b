//! Placeholder with the agreed API; replaced by the real formatting.
use crate::values::{Lang, Value};
use chrono::NaiveDate;
pub fn format_value(v: &Value, _lang: Lang) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Null => String::new(),
        other => other
            .to_normal_json()
            .to_string()
            .trim_matches('"')
            .to_string(),
    }
}
pub fn format_date_long(d: NaiveDate, _lang: Lang) -> String {
    d.to_string()
}
pub fn weekday_name(_d: NaiveDate, _lang: Lang) -> &'static str {
    ""
}
pub fn month_name(_m: u32, _lang: Lang) -> &'static str {
    ""
}
