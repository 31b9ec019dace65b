//! Values, slot types and languages: the data every layer shares.

mod lang;
mod slot_type;
mod types;
mod value;

pub mod calendars;
pub mod checkdigits;
pub mod format;
pub mod holidays;
pub mod url;

pub use lang::Lang;
pub use slot_type::{PatternType, SlotType};
pub use types::Type;
pub use value::{format_money_normal, Duration, Value};
