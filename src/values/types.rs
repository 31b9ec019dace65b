//! Static types, for the checker: what an expression, slot or action
//! result holds.

use super::SlotType;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// Not known statically (a host's action result field not declared).
    Any,
    Nothing,
    Bool,
    Number,
    Money,
    Text,
    Date,
    Time,
    Duration,
    List(Box<Type>),
    /// Named fields; `None` when the fields are not known.
    Record(Option<Vec<(String, Type)>>),
    /// A data table, by name (only as a function argument).
    Table(String),
}

impl Type {
    /// The type of the value a slot of this type holds.
    pub fn of_slot(slot: &SlotType) -> Type {
        match slot {
            SlotType::Date => Type::Date,
            SlotType::Time => Type::Time,
            SlotType::Number => Type::Number,
            SlotType::Money => Type::Money,
            SlotType::YesNo => Type::Bool,
            _ => Type::Text,
        }
    }

    /// The type named in a declaration (`amount: money`, `price: money`).
    pub fn from_name(name: &str) -> Option<Type> {
        Some(match name {
            "any" => Type::Any,
            "bool" | "yesno" => Type::Bool,
            "number" => Type::Number,
            "money" => Type::Money,
            "date" => Type::Date,
            "time" => Type::Time,
            "duration" => Type::Duration,
            "record" => Type::Record(None),
            "list" => Type::List(Box::new(Type::Any)),
            other => Type::of_slot(&SlotType::builtin(other)?),
        })
    }

    /// Whether a value of type `other` may stand where `self` is expected.
    pub fn accepts(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Any, _) | (_, Type::Any) | (_, Type::Nothing) => true,
            (Type::List(a), Type::List(b)) => a.accepts(b),
            (Type::Record(_), Type::Record(_)) => true,
            (a, b) => a == b,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Any => f.write_str("any value"),
            Type::Nothing => f.write_str("nothing"),
            Type::Bool => f.write_str("yes/no"),
            Type::Number => f.write_str("number"),
            Type::Money => f.write_str("money"),
            Type::Text => f.write_str("text"),
            Type::Date => f.write_str("date"),
            Type::Time => f.write_str("time"),
            Type::Duration => f.write_str("duration"),
            Type::List(t) => write!(f, "list of {t}"),
            Type::Record(_) => f.write_str("record"),
            Type::Table(name) => write!(f, "table `{name}`"),
        }
    }
}
