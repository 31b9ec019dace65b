//! The languages a bot can speak.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language the citizen-facing texts exist in.
///
/// guichet knows how to read values (dates, numbers, yes/no...) in these three;
/// a bot declares which of them it speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fr,
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fr, Lang::Nl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language's own name, as a citizen would recognise it on a button.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "fr" | "fr-be" | "fr-fr" => Ok(Lang::Fr),
            "nl" | "nl-be" | "nl-nl" => Ok(Lang::Nl),
            "en" | "en-gb" | "en-us" => Ok(Lang::En),
            other => Err(format!(
                "unknown language `{other}` (guichet speaks fr, nl and en)"
            )),
        }
    }
}
