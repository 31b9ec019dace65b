//! Values with a declared shape (`pattern request_reference "CR-dddd-dddd"
//! or "RC-dddd-dddd"`): reading a shape, and finding values of it inside
//! a sentence ("ma référence c'est cr 2025 0042 je pense" holds
//! `CR-2025-0042`).
//!
//! In a shape, `d` is a digit, `a` a letter, `x` a letter or a digit;
//! capitals and digits stand for themselves; `-`, `/`, `.`, `_` and a space
//! separate parts. A citizen may type the letters in any case and write
//! any of those separators, or none, where the shape has one; the value is
//! written as the shape writes it, letters in capitals.

use crate::understand::extract::{Candidate, Extraction};
use crate::understand::normalize::Input;
use crate::values::{PatternType, Value};

/// The longest shape, in characters.
pub const MAX_SHAPE_CHARS: usize = 64;

const SEPARATORS: &[char] = &['-', '/', '.', '_', ' '];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Digit,
    Letter,
    Either,
    /// A capital or a digit, as written.
    Literal(char),
    /// A separator: any of `SEPARATORS` or none; the value writes this one.
    Separator(char),
}

/// Why a shape cannot be read; `at` is the byte offset of the character at
/// fault, `None` when the whole shape is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeError {
    pub at: Option<usize>,
    pub message: String,
}

/// Reads a shape.
pub fn parse(shape: &str) -> Result<Vec<Unit>, ShapeError> {
    if shape.trim().is_empty() {
        return Err(ShapeError {
            at: None,
            message: "the shape is empty".into(),
        });
    }
    if shape.chars().count() > MAX_SHAPE_CHARS {
        return Err(ShapeError {
            at: None,
            message: format!("a shape has at most {MAX_SHAPE_CHARS} characters"),
        });
    }
    let mut units = Vec::new();
    for (offset, c) in shape.char_indices() {
        units.push(match c {
            'd' => Unit::Digit,
            'a' => Unit::Letter,
            'x' => Unit::Either,
            'A'..='Z' | '0'..='9' => Unit::Literal(c),
            c if SEPARATORS.contains(&c) => Unit::Separator(c),
            _ => {
                return Err(ShapeError {
                    at: Some(offset),
                    message: format!("`{c}` cannot be part of a shape"),
                })
            }
        });
    }
    if matches!(units.first(), Some(Unit::Separator(_)))
        || matches!(units.last(), Some(Unit::Separator(_)))
    {
        return Err(ShapeError {
            at: None,
            message: "a shape does not start or end with a separator".into(),
        });
    }
    if !units
        .iter()
        .any(|u| matches!(u, Unit::Digit | Unit::Letter | Unit::Either))
    {
        return Err(ShapeError {
            at: None,
            message: "the shape has no `d`, `a` or `x`: it matches one text only".into(),
        });
    }
    Ok(units)
}

/// Matches `units` from `at` in `chars`; returns where the match ends and
/// the value in normal form.
fn match_at(units: &[Unit], chars: &[(usize, char)], at: usize, out: &mut String) -> Option<usize> {
    let Some((unit, rest)) = units.split_first() else {
        return Some(at);
    };
    let next = chars.get(at).map(|&(_, c)| c);
    let mut take = |ok: bool, written: Option<char>| -> Option<usize> {
        if !ok {
            return None;
        }
        let len = out.len();
        out.extend(written);
        match match_at(rest, chars, at + 1, out) {
            Some(end) => Some(end),
            None => {
                out.truncate(len);
                None
            }
        }
    };
    match *unit {
        Unit::Digit => take(next.is_some_and(|c| c.is_ascii_digit()), next),
        Unit::Letter => take(
            next.is_some_and(|c| c.is_ascii_alphabetic()),
            next.map(|c| c.to_ascii_uppercase()),
        ),
        Unit::Either => take(
            next.is_some_and(|c| c.is_ascii_alphanumeric()),
            next.map(|c| c.to_ascii_uppercase()),
        ),
        Unit::Literal(l) => take(next.is_some_and(|c| c.to_ascii_uppercase() == l), Some(l)),
        Unit::Separator(s) => {
            let len = out.len();
            out.push(s);
            // One separator of any kind, or none.
            if next.is_some_and(|c| SEPARATORS.contains(&c)) {
                if let Some(end) = match_at(rest, chars, at + 1, out) {
                    return Some(end);
                }
            }
            let found = match_at(rest, chars, at, out);
            if found.is_none() {
                out.truncate(len);
            }
            found
        }
    }
}

/// The values of the pattern type in a message, leftmost first; a value
/// stands apart from letters and digits around it.
pub fn extract(pattern: &PatternType, input: &Input) -> Extraction {
    let shapes: Vec<Vec<Unit>> = pattern
        .shapes
        .iter()
        .filter_map(|s| parse(s).ok())
        .collect();
    let text = &input.original;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = Extraction::default();
    let mut at = 0;
    while at < chars.len() {
        let starts_word = at == 0 || !chars[at - 1].1.is_alphanumeric();
        let mut best: Option<(usize, String)> = None;
        if starts_word && chars[at].1.is_ascii_alphanumeric() {
            for units in &shapes {
                let mut value = String::new();
                if let Some(end) = match_at(units, &chars, at, &mut value) {
                    let apart = chars.get(end).is_none_or(|&(_, c)| !c.is_alphanumeric());
                    if apart && best.as_ref().is_none_or(|(e, _)| end > *e) {
                        best = Some((end, value));
                    }
                }
            }
        }
        match best {
            Some((end, value)) => {
                let start_byte = chars[at].0;
                let end_byte = chars.get(end).map_or(text.len(), |&(b, _)| b);
                found.candidates.push(Candidate {
                    value: Value::text(value),
                    span: start_byte..end_byte,
                    confidence: 0.95,
                    rule: format!("pattern {}", pattern.name),
                });
                at = end.max(at + 1);
            }
            None => at += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> PatternType {
        PatternType {
            name: "request_reference".into(),
            shapes: vec!["CR-dddd-dddd".into(), "RC-dddd-dddd".into()],
        }
    }

    fn values(text: &str) -> Vec<(String, String)> {
        extract(&reference(), &Input::new(text))
            .candidates
            .into_iter()
            .map(|c| {
                let Value::Text(v) = c.value else {
                    panic!("not a text")
                };
                (v, text[c.span].to_string())
            })
            .collect()
    }

    #[test]
    fn a_reference_inside_a_sentence_in_its_normal_form() {
        assert_eq!(
            values("où en est ma demande CR-2026-0042 ?"),
            [("CR-2026-0042".into(), "CR-2026-0042".into())]
        );
        assert_eq!(
            values("ma référence c'est cr-2025-0042 je pense"),
            [("CR-2025-0042".into(), "cr-2025-0042".into())]
        );
        assert_eq!(
            values("c'est le RC 2025 0311"),
            [("RC-2025-0311".into(), "RC 2025 0311".into())]
        );
        assert_eq!(
            values("cr20250042"),
            [("CR-2025-0042".into(), "cr20250042".into())]
        );
        assert_eq!(values("CR/2025/0042, RC.2025.0001").len(), 2);
    }

    #[test]
    fn a_value_stands_apart_and_has_every_digit() {
        assert!(values("XCR-2025-0042").is_empty());
        assert!(values("CR-2025-00421").is_empty());
        assert!(values("CR-2025-004").is_empty());
        assert!(values("CR--2025-0042").is_empty());
        assert!(values("je n'ai pas de référence").is_empty());
        assert!(values("").is_empty());
    }

    #[test]
    fn shapes_that_cannot_be_read() {
        assert!(parse("CR-dddd-dddd").is_ok());
        assert!(parse("aa dd xx").is_ok());
        for (shape, at) in [
            ("CR-éddd", Some(3)),
            ("cr-dddd", Some(0)),
            ("", None),
            ("-dddd", None),
            ("CR-2025", None),
        ] {
            let e = parse(shape).expect_err(shape);
            assert_eq!(e.at, at, "{shape}: {}", e.message);
        }
        assert!(parse(&"d".repeat(MAX_SHAPE_CHARS + 1)).is_err());
    }

    #[test]
    fn odd_text_does_not_break_it() {
        for text in [
            "🙂CR-2025-0042🙂",
            "CR-2025-0042\u{301}",
            "ÇR-2025-0042",
            "CR-２０２５-0042",
        ] {
            for c in extract(&reference(), &Input::new(text)).candidates {
                assert!(text.is_char_boundary(c.span.start) && text.is_char_boundary(c.span.end));
            }
        }
    }
}
