//! The types a form slot can have, as flow authors write them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// A slot's type: what the extractor looks for in a citizen's message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SlotType {
    Date,
    Time,
    Number,
    Money,
    YesNo,
    Email,
    Phone,
    Iban,
    /// Belgian national register number or BIS number.
    NationalNumber,
    /// Belgian structured communication `+++ddd/dddd/ddddd+++`.
    StructuredCommunication,
    PostalCode,
    Plate,
    /// A person's name.
    Name,
    /// Free text: the whole message.
    Text,
    /// A web address, normalised with its scheme (`https://www.bruyeres.be`).
    Url,
    /// One of the options of a declared choice, by the choice's name.
    Choice(String),
    /// A value with a declared shape (`pattern request_reference
    /// "CR-dddd-dddd"`), its declaration shared.
    Pattern(Arc<PatternType>),
}

/// A declared `pattern`: its name and its shapes as written (see
/// `understand::shape` for what a shape's letters mean).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PatternType {
    pub name: String,
    pub shapes: Vec<String>,
}

impl SlotType {
    /// The built-in type names, as written in flows.
    pub const BUILTIN: [(&'static str, SlotType); 15] = [
        ("date", SlotType::Date),
        ("time", SlotType::Time),
        ("number", SlotType::Number),
        ("money", SlotType::Money),
        ("yesno", SlotType::YesNo),
        ("email", SlotType::Email),
        ("phone", SlotType::Phone),
        ("iban", SlotType::Iban),
        ("national_number", SlotType::NationalNumber),
        (
            "structured_communication",
            SlotType::StructuredCommunication,
        ),
        ("postal_code", SlotType::PostalCode),
        ("plate", SlotType::Plate),
        ("name", SlotType::Name),
        ("text", SlotType::Text),
        ("url", SlotType::Url),
    ];

    pub fn builtin(name: &str) -> Option<SlotType> {
        Self::BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.clone())
    }

    pub fn name(&self) -> &str {
        match self {
            SlotType::Choice(name) => name,
            SlotType::Pattern(p) => &p.name,
            other => Self::BUILTIN
                .iter()
                .find(|(_, t)| t == other)
                .map(|(n, _)| *n)
                .unwrap_or("text"),
        }
    }
}

impl fmt::Display for SlotType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
