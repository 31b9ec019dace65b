//! Cutting a message into atoms: digit literals, words (Dutch compounds
//! split into their pieces) and symbols.

use super::literal::scan_literal;
use super::{lexicon, Atom, AtomKind, Literal};
use crate::understand::normalize::Folded;
use crate::values::Lang;
use rust_decimal::Decimal;

pub(super) fn is_vulgar_fraction(c: char) -> Option<(i64, i64)> {
    Some(match c {
        '½' => (1, 2),
        '⅓' => (1, 3),
        '⅔' => (2, 3),
        '¼' => (1, 4),
        '¾' => (3, 4),
        '⅕' => (1, 5),
        '⅖' => (2, 5),
        '⅗' => (3, 5),
        '⅘' => (4, 5),
        '⅙' => (1, 6),
        '⅚' => (5, 6),
        '⅛' => (1, 8),
        '⅜' => (3, 8),
        '⅝' => (5, 8),
        '⅞' => (7, 8),
        _ => return None,
    })
}

/// Cuts folded text into atoms. `original` (when known) tells capitals apart:
/// "10M" is ten million, "10m" ten metres.
pub(crate) fn lex(text: &str, original: Option<(&str, &Folded)>, lang: Lang) -> Vec<Atom> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
    let ch = |i: usize| chars.get(i).map(|c| c.1);
    let mut atoms = Vec::new();
    let mut i = 0;
    let mut token = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let glued_left = i > 0 && chars[i - 1].1.is_alphanumeric();
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let starts_decimal =
            matches!(c, '.' | ',') && ch(i + 1).is_some_and(|n| n.is_ascii_digit()) && !glued_left;
        if c.is_ascii_digit() || starts_decimal {
            let (lit, next) = scan_literal(&chars, i, text, original, lang);
            atoms.push(Atom {
                kind: AtomKind::Literal(lit),
                start: byte_at(i),
                end: byte_at(next),
                glued_left,
                word_start: true,
                word_end: true,
                token,
                entry: None,
            });
            token += 1;
            i = next;
        } else if let Some((n, d)) = is_vulgar_fraction(c) {
            atoms.push(Atom {
                kind: AtomKind::Literal(Literal {
                    value: Decimal::from(n) / Decimal::from(d),
                    ordinal: false,
                    slash: true,
                    rejected: false,
                    plain_integer: false,
                }),
                start: byte_at(i),
                end: byte_at(i + 1),
                glued_left,
                word_start: true,
                word_end: true,
                token,
                entry: None,
            });
            i += 1;
        } else if c.is_alphanumeric() {
            let mut j = i;
            while ch(j).is_some_and(|c| c.is_alphanumeric()) {
                j += 1;
            }
            let (s, e) = (byte_at(i), byte_at(j));
            push_word(&mut atoms, &text[s..e], s, glued_left, token, lang);
            token += 1;
            i = j;
        } else {
            atoms.push(Atom {
                kind: AtomKind::Sym(c),
                start: byte_at(i),
                end: byte_at(i + 1),
                glued_left,
                word_start: true,
                word_end: true,
                token,
                entry: None,
            });
            i += 1;
        }
    }
    atoms
}

pub(super) fn push_word(
    atoms: &mut Vec<Atom>,
    word: &str,
    start: usize,
    glued_left: bool,
    token: usize,
    lang: Lang,
) {
    let lex = lexicon::lexicon(lang);
    let entry = lex.lookup(word);
    let pieces = if entry.is_none() {
        lex.split_compound(word)
    } else {
        None
    };
    match pieces {
        Some(pieces) => {
            let last = pieces.len() - 1;
            for (n, (s, e)) in pieces.into_iter().enumerate() {
                let piece = &word[s..e];
                atoms.push(Atom {
                    kind: AtomKind::Word(piece.to_string()),
                    start: start + s,
                    end: start + e,
                    glued_left: glued_left || n > 0,
                    word_start: n == 0,
                    word_end: n == last,
                    token,
                    entry: Some((lang, lex.lookup(piece))),
                });
            }
        }
        None => atoms.push(Atom {
            kind: AtomKind::Word(word.to_string()),
            start,
            end: start + word.len(),
            glued_left,
            word_start: true,
            word_end: true,
            token,
            entry: Some((lang, entry)),
        }),
    }
}

pub(super) fn digit_run(chars: &[(usize, char)], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| c.1.is_ascii_digit()) {
        i += 1;
    }
    i
}

pub(super) fn is_upper(original: Option<(&str, &Folded)>, range: std::ops::Range<usize>) -> bool {
    original.is_some_and(|(o, f)| {
        o.get(f.original_span(range))
            .is_some_and(|s| !s.is_empty() && s.chars().all(|c| c.is_uppercase()))
    })
}
