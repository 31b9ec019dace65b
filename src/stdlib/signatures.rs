//! The built-in functions flows can call, with their signatures. The
//! checker reads this table; `stdlib::call` implements each entry.

use crate::values::Type;

/// What an argument must be.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    Is(Type),
    /// Any value.
    Any,
    /// A number or an amount of money.
    Numeric,
    /// Two values of one comparable type (numbers, money, dates, times, texts).
    Comparable,
    /// The name of a declared data table.
    Table,
}

/// What the result is.
#[derive(Debug, Clone, PartialEq)]
pub enum Returns {
    Is(Type),
    /// The type of the first argument.
    FirstArg,
    /// A row of the table given as first argument (or nothing).
    TableRow,
    /// The rows of the table given as first argument.
    TableRows,
}

#[derive(Debug, Clone)]
pub struct Builtin {
    pub name: &'static str,
    pub params: &'static [Param],
    pub returns: Returns,
    pub doc: &'static str,
}

macro_rules! builtin {
    ($name:literal, [$($p:expr),*], $ret:expr, $doc:literal) => {
        Builtin { name: $name, params: &[$($p),*], returns: $ret, doc: $doc }
    };
}

use Param as P;
use Returns as R;

pub static BUILTINS: &[Builtin] = &[
    builtin!("today", [], R::Is(Type::Date), "The session's current date (the clock is injected)."),
    builtin!("now", [], R::Is(Type::Time), "The session's current time of day."),
    builtin!("year", [P::Is(Type::Date)], R::Is(Type::Number), "The year of a date."),
    builtin!("month", [P::Is(Type::Date)], R::Is(Type::Number), "The month of a date, 1 to 12."),
    builtin!("day", [P::Is(Type::Date)], R::Is(Type::Number), "The day of the month of a date."),
    builtin!("weekday", [P::Is(Type::Date)], R::Is(Type::Number), "1 for Monday to 7 for Sunday."),
    builtin!("weekday_name", [P::Is(Type::Date)], R::Is(Type::Text), "The weekday's name in the session's language."),
    builtin!("week", [P::Is(Type::Date)], R::Is(Type::Number), "The ISO week number, 1 to 53 (weeks start on Monday)."),
    builtin!("age", [P::Is(Type::Date)], R::Is(Type::Number), "Full years from a date to today."),
    builtin!("days_between", [P::Is(Type::Date), P::Is(Type::Date)], R::Is(Type::Number), "Days from the first date to the second."),
    builtin!("easter", [P::Is(Type::Number)], R::Is(Type::Date), "Easter Sunday of a year."),
    builtin!("holiday", [P::Is(Type::Text), P::Is(Type::Number)], R::Is(Type::Date), "The date of a public holiday by id (`easter_monday`, `all_saints`...) in a year."),
    builtin!("is_holiday", [P::Is(Type::Date)], R::Is(Type::Bool), "Whether a date is a legal public holiday in the bot's country."),
    builtin!("holiday_name", [P::Is(Type::Date)], R::Is(Type::Text), "The holiday's name in the session's language, or an empty text."),
    builtin!("next_working_day", [P::Is(Type::Date)], R::Is(Type::Date), "The first day after the date that is neither a weekend nor a public holiday."),
    builtin!("format", [P::Any], R::Is(Type::Text), "A value written for the citizen, in the session's language."),
    builtin!("format_long", [P::Is(Type::Date)], R::Is(Type::Text), "A date with its weekday, in the session's language."),
    builtin!("format_numeric", [P::Is(Type::Date)], R::Is(Type::Text), "A date in digits as the bot reads them: 03/05/2024, or 05/03/2024 with `dates month_first`."),
    builtin!("url_encode", [P::Any], R::Is(Type::Text), "A value percent-encoded for a web address (letters, digits and -._~ stay; links encode what they interpolate by themselves)."),
    builtin!("upper", [P::Is(Type::Text)], R::Is(Type::Text), "Upper case."),
    builtin!("lower", [P::Is(Type::Text)], R::Is(Type::Text), "Lower case."),
    builtin!("length", [P::Any], R::Is(Type::Number), "Characters of a text, or items of a list."),
    builtin!("contains", [P::Is(Type::Text), P::Is(Type::Text)], R::Is(Type::Bool), "Whether a text contains another, ignoring case and accents."),
    builtin!("round", [P::Numeric, P::Is(Type::Number)], R::FirstArg, "Rounds to a number of decimals."),
    builtin!("min", [P::Comparable, P::Comparable], R::FirstArg, "The smaller of two values."),
    builtin!("max", [P::Comparable, P::Comparable], R::FirstArg, "The larger of two values."),
    builtin!("lookup", [P::Table, P::Is(Type::Text), P::Any], R::TableRow, "The first row of a table whose column equals the value, or nothing."),
    builtin!("rows", [P::Table, P::Is(Type::Text), P::Any], R::TableRows, "All rows of a table whose column equals the value."),
    builtin!("structured_communication", [P::Is(Type::Number)], R::Is(Type::Text), "A valid Belgian structured communication (+++ddd/dddd/ddddd+++) built from a number."),
    builtin!("new_structured_communication", [], R::Is(Type::Text), "A fresh valid structured communication, from the session's seeded randomness."),
    builtin!("summary", [], R::Is(Type::Text), "The current form's slots with their labels and values, one per line, in the session's language."),
    builtin!("language", [], R::Is(Type::Text), "The session's language code."),
    builtin!("interrupted", [], R::Is(Type::Text), "The name of the flow the current one interrupted (a question asked in the middle of a form), or nothing."),
    builtin!("is_valid", [P::Is(Type::Text), P::Is(Type::Text)], R::Is(Type::Bool), "Whether a text is a valid value of a slot type given by name (`iban`, `national_number`...)."),
];

pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}
