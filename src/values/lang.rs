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
        // Compared in place rather than lowercased into a new string: a
        // bot's every text line names its language and is read this way.
        let is = |codes: [&str; 3]| codes.iter().any(|c| s.eq_ignore_ascii_case(c));
        if is(["fr", "fr-be", "fr-fr"]) {
            Ok(Lang::Fr)
        } else if is(["nl", "nl-be", "nl-nl"]) {
            Ok(Lang::Nl)
        } else if is(["en", "en-gb", "en-us"]) {
            Ok(Lang::En)
        } else {
            Err(format!(
                "unknown language `{}` (guichet speaks fr, nl and en)",
                s.to_ascii_lowercase()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_in_any_case_with_or_without_region() {
        for (code, lang) in [
            ("fr", Lang::Fr),
            ("FR", Lang::Fr),
            ("fr-BE", Lang::Fr),
            ("Fr-fr", Lang::Fr),
            ("nl", Lang::Nl),
            ("NL-be", Lang::Nl),
            ("nl-nl", Lang::Nl),
            ("en", Lang::En),
            ("en-GB", Lang::En),
            ("EN-us", Lang::En),
        ] {
            assert_eq!(code.parse::<Lang>(), Ok(lang), "{code}");
        }
    }

    #[test]
    fn other_codes_are_refused_in_lowercase() {
        for code in ["de", "", "f", "fr-", "fr-ca", "english"] {
            assert!(code.parse::<Lang>().is_err(), "{code}");
        }
        assert_eq!(
            "DE".parse::<Lang>(),
            Err("unknown language `de` (guichet speaks fr, nl and en)".to_string())
        );
    }
}
