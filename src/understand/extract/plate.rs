//! Belgian licence plates: the current "1-ABC-234" (also typed "1ABC234",
//! "1 abc 234") and the older "ABC-123" and "123-ABC". Normal form: upper
//! case with dashes.

use super::{Candidate, Context, Extraction};
use crate::understand::normalize::Input;
use crate::values::Value;
use std::ops::Range;

fn is_plate_separator(b: u8) -> bool {
    matches!(b, b'-' | b' ' | b'.')
}

/// The shapes of plates, as runs of digits (`9`) and letters (`A`).
const SHAPES: &[(&str, &str)] = &[
    ("9AAA999", "plate_current"),
    ("AAA999", "plate_letters_first"),
    ("999AAA", "plate_digits_first"),
];

/// Tries to read `shape` at folded byte `start`: each part may be followed
/// by one separator; the whole must sit between word boundaries.
fn read_shape(bytes: &[u8], start: usize, shape: &str) -> Option<(String, Range<usize>)> {
    let kinds = shape.as_bytes();
    let mut parts: Vec<String> = Vec::new();
    let mut i = start;
    let mut k = 0;
    while k < kinds.len() {
        let kind = kinds[k];
        let run = kinds[k..].iter().take_while(|&&c| c == kind).count();
        let mut part = String::new();
        for _ in 0..run {
            let b = *bytes.get(i)?;
            let ok = if kind == b'9' {
                b.is_ascii_digit()
            } else {
                b.is_ascii_lowercase()
            };
            if !ok {
                return None;
            }
            part.push(b.to_ascii_uppercase() as char);
            i += 1;
        }
        parts.push(part);
        k += run;
        if k < kinds.len() && bytes.get(i).copied().is_some_and(is_plate_separator) {
            i += 1;
        }
    }
    if bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some((parts.join("-"), start..i))
}

pub fn extract(input: &Input, _ctx: &Context) -> Extraction {
    let bytes = input.folded.text.as_bytes();
    let mut found = Extraction::default();
    let mut i = 0;
    while i < bytes.len() {
        let at_word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if !at_word_start || !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let read = SHAPES
            .iter()
            .find_map(|(shape, rule)| read_shape(bytes, i, shape).map(|r| (r, *rule)));
        match read {
            Some(((plate, range), rule)) => {
                // A bare "abc 123" in a sentence could be anything; the
                // current shape is distinctive.
                let confidence = if rule == "plate_current" { 1.0 } else { 0.8 };
                found.candidates.push(Candidate {
                    value: Value::text(plate),
                    span: input.folded.original_span(range.clone()),
                    confidence,
                    rule: rule.to_string(),
                });
                i = range.end;
            }
            None => i += 1,
        }
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

    fn best(text: &str) -> Option<(String, String)> {
        test_support::best_text(&extract(&Input::new(text), &ctx()), text)
    }

    #[test]
    fn current_plates() {
        assert_eq!(
            best("ma plaque est 1-ABC-234 merci"),
            Some(("1-ABC-234".into(), "1-ABC-234".into()))
        );
        assert_eq!(best("nummerplaat 1ABC234").unwrap().0, "1-ABC-234");
        assert_eq!(best("my plate is 1 abc 234").unwrap().0, "1-ABC-234");
    }

    #[test]
    fn older_plates() {
        assert_eq!(best("ABC-123").unwrap().0, "ABC-123");
        assert_eq!(best("mijn oude plaat is 123-abc").unwrap().0, "123-ABC");
    }

    #[test]
    fn not_plates() {
        assert_eq!(best("le 12 mai à 14h"), None);
        assert_eq!(best("1-ABC-2345"), None);
        assert_eq!(best("BE68 5390 0754 7034"), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(s in "\\PC{0,80}|[0-9a-zA-Z -]{0,40}") {
            let _ = extract(&Input::new(&s), &ctx());
        }
    }
}
