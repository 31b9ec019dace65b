//! Placeholder with the agreed API; replaced by the real calendar.
use crate::values::Lang;
use chrono::NaiveDate;
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Country {
    Be,
    Fr,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub id: &'static str,
    pub date: NaiveDate,
}
pub fn easter_sunday(_year: i32) -> Option<NaiveDate> {
    None
}
pub fn holidays(_c: Country, _year: i32) -> Vec<Holiday> {
    vec![]
}
pub fn holiday_on(_c: Country, _date: NaiveDate) -> Option<Holiday> {
    None
}
pub fn holiday_date(_id: &str, _year: i32) -> Option<NaiveDate> {
    None
}
pub fn holiday_name(_id: &str, _lang: Lang) -> Option<&'static str> {
    None
}
pub fn holiday_ids() -> &'static [&'static str] {
    &[]
}
