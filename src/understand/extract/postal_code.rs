//! Belgian postal codes: four digits ("1050", "B-1050"), or a commune name
//! alone ("Ixelles", "Elsene", "Schaarbeek") read as its code. The codes and
//! names are data (`lexicon/postal_codes_be.csv`); a code outside the
//! Belgian ranges is refused, one inside them but missing from the list is
//! accepted with less confidence (the list is not complete).

use super::{Candidate, Context, Extraction, Reason, Rejected};
use crate::lookup::FastMap;
use crate::understand::normalize::{fold, tokenize, Input};
use crate::values::Value;
use std::sync::OnceLock;

const LEXICON: &str = include_str!("../lexicon/postal_codes_be.csv");

struct Commune {
    code: &'static str,
    name: &'static str,
    /// The folded words of the name, for matching citizen text.
    words: Vec<String>,
}

/// The list's lines as (code, name), in file order.
fn entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    LEXICON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && *l != "code,commune")
        .filter_map(|l| l.split_once(','))
        .map(|(code, name)| (code.trim(), name.trim()))
}

fn communes() -> &'static [Commune] {
    static TABLE: OnceLock<Vec<Commune>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<Commune> = entries()
            .map(|(code, name)| Commune {
                code,
                name,
                words: tokenize(&fold(name))
                    .into_iter()
                    .map(|t| t.text.into())
                    .collect(),
            })
            .collect();
        // Longest names first, so "Woluwe-Saint-Pierre" wins over a shorter
        // name it contains.
        table.sort_by_key(|c| std::cmp::Reverse(c.words.len()));
        table
    })
}

/// The communes (positions in `communes()`, in its order) by the first
/// word of their name: a message word is compared with the names it can
/// start, not with the whole list.
fn communes_by_first_word() -> &'static FastMap<&'static str, Vec<usize>> {
    static INDEX: OnceLock<FastMap<&'static str, Vec<usize>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: FastMap<&'static str, Vec<usize>> = FastMap::default();
        for (i, c) in communes().iter().enumerate() {
            if let Some(first) = c.words.first() {
                index.entry(first.as_str()).or_default().push(i);
            }
        }
        index
    })
}

/// The display name of a postal code (its first line in the list).
pub fn commune_name(code: &str) -> Option<&'static str> {
    entries().find(|(c, _)| *c == code).map(|(_, name)| name)
}

/// Whether a code lies in the ranges bpost uses: 1000-1210 in Brussels
/// (1211-1299 are unused) and 1300-9999 elsewhere.
fn in_belgian_range(code: u32) -> bool {
    (1000..=1210).contains(&code) || (1300..=9999).contains(&code)
}

/// A 4-digit token glued to other digits by punctuation ("12/03/2024",
/// "0470 12 34 56" does not apply: spaces separate words) is part of a
/// date, a time or a longer number, not a postal code.
fn part_of_longer_number(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let glued_before = start >= 2
        && matches!(bytes[start - 1], b'/' | b'.' | b':' | b',' | b'-')
        && bytes[start - 2].is_ascii_digit();
    let glued_after = end + 1 < bytes.len()
        && matches!(bytes[end], b'/' | b'.' | b':' | b',' | b'-')
        && bytes[end + 1].is_ascii_digit();
    glued_before || glued_after
}

pub fn extract(input: &Input, _ctx: &Context) -> Extraction {
    let text = &input.folded.text;
    let mut found = Extraction::default();
    let mut codes_found: Vec<String> = Vec::new();
    for token in &input.tokens {
        if token.text.len() != 4 || !token.text.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if part_of_longer_number(text, token.start, token.end) {
            continue;
        }
        let span = input.folded.original_span(token.start..token.end);
        let Ok(code) = token.text.parse::<u32>() else {
            continue;
        };
        if !in_belgian_range(code) {
            found.rejected.push(Rejected {
                span,
                reason: Reason::UnknownPostalCode,
            });
            continue;
        }
        let (confidence, rule) = match commune_name(&token.text) {
            Some(name) => (1.0, format!("postal_code {name}")),
            None => (0.6, "postal_code_unlisted".to_string()),
        };
        codes_found.push(token.text.to_string());
        found.candidates.push(Candidate {
            value: Value::text(token.text.clone()),
            span,
            confidence,
            rule,
        });
    }
    let words: Vec<&str> = input.tokens.iter().map(|t| t.text.as_str()).collect();
    let mut i = 0;
    while i < words.len() {
        let hit = communes_by_first_word()
            .get(words[i])
            .into_iter()
            .flatten()
            .filter_map(|&j| communes().get(j))
            .find(|c| {
                words
                    .get(i..i + c.words.len())
                    .is_some_and(|w| w.iter().zip(&c.words).all(|(a, b)| a == b))
            });
        let Some(commune) = hit else {
            i += 1;
            continue;
        };
        let first = &input.tokens[i];
        let last = &input.tokens[i + commune.words.len() - 1];
        i += commune.words.len();
        if codes_found.iter().any(|c| c == commune.code) {
            continue;
        }
        let span = input.folded.original_span(first.start..last.end);
        // "forest", "spa", "mol" are also common words; a capital shows the
        // citizen meant the place.
        let capitalised = input
            .original
            .get(span.clone())
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_uppercase);
        found.candidates.push(Candidate {
            value: Value::text(commune.code),
            span,
            confidence: if capitalised { 0.9 } else { 0.7 },
            rule: format!("commune {}", commune.name),
        });
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::extract::test_support;
    use crate::values::Lang;
    use proptest::prelude::*;

    fn ctx() -> Context<'static> {
        test_support::context(Lang::Fr)
    }

    fn best(text: &str) -> Option<(String, String, String)> {
        let found = extract(&Input::new(text), &ctx());
        found.best().map(|c| {
            let Value::Text(v) = &c.value else { panic!() };
            (v.clone(), text[c.span.clone()].to_string(), c.rule.clone())
        })
    }

    #[test]
    fn codes_in_sentences() {
        let (code, span, rule) = best("j'habite au 1050 Bruxelles").unwrap();
        assert_eq!((code.as_str(), span.as_str()), ("1050", "1050"));
        assert!(rule.contains("Ixelles"));
        assert_eq!(best("postcode B-9000").unwrap().0, "9000");
        assert_eq!(best("my postcode is 3000").unwrap().0, "3000");
    }

    #[test]
    fn commune_names_alone() {
        for (text, code) in [
            ("Ixelles", "1050"),
            ("ik woon in Elsene", "1050"),
            ("Schaerbeek", "1030"),
            ("Schaarbeek", "1030"),
            ("I live in Woluwe-Saint-Pierre", "1150"),
            ("à saint-josse-ten-noode", "1210"),
            ("Liège", "4000"),
        ] {
            assert_eq!(best(text).unwrap().0, code, "{text}");
        }
        assert!(best("Elsene").unwrap().2.contains("Elsene"));
    }

    #[test]
    fn impossible_codes_are_refused() {
        let found = extract(&Input::new("0999"), &ctx());
        assert!(found.candidates.is_empty());
        assert_eq!(found.rejected[0].reason, Reason::UnknownPostalCode);
        let found = extract(&Input::new("code 1250"), &ctx());
        assert_eq!(found.rejected[0].reason, Reason::UnknownPostalCode);
        assert!(best("le 12/03/2024").is_none());
    }

    #[test]
    fn names_of_codes() {
        assert_eq!(commune_name("1050"), Some("Ixelles"));
        assert_eq!(commune_name("1000"), Some("Bruxelles"));
        assert_eq!(commune_name("1211"), None);
        assert_eq!(commune_name("code"), None);
        assert_eq!(
            commune_name("# A code may have several lines (French"),
            None
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(s in "\\PC{0,80}|[0-9 ./-]{0,30}") {
            let _ = extract(&Input::new(&s), &ctx());
        }
    }
}
