//! The word lists behind the date and time extractors, and the word
//! splitting they share.
//!
//! The words themselves live in `lexicon/date_words.txt` so that a
//! maintainer can add a month abbreviation or a holiday name without
//! touching the matching code.

use crate::understand::normalize::{fold, Input};
use crate::values::Lang;
use std::collections::HashMap;
use std::sync::OnceLock;

const DATE_WORDS: &str = include_str!("../lexicon/date_words.txt");

/// One phrase of the lexicon: what it is (`kind`), what it means (`value`),
/// and its words after folding and splitting.
#[derive(Debug)]
pub(crate) struct Entry {
    pub kind: String,
    /// Set when the phrase means something else in the other languages
    /// ("hier" is yesterday in French, here in Dutch).
    pub lang: Option<Lang>,
    pub value: String,
    pub words: Vec<String>,
}

impl Entry {
    pub fn number(&self) -> Option<i64> {
        self.value.parse().ok()
    }
}

pub(crate) struct Lexicon {
    by_first_word: HashMap<String, Vec<Entry>>,
}

impl Lexicon {
    /// Every entry of `kind` whose words start at token `at`, longest first.
    pub fn entries<'a>(
        &'a self,
        toks: &[Tok],
        at: usize,
        kind: &str,
        lang: Lang,
    ) -> Vec<(&'a Entry, usize)> {
        let Some(first) = toks.get(at) else {
            return Vec::new();
        };
        let Some(list) = self.by_first_word.get(&first.text) else {
            return Vec::new();
        };
        let mut found: Vec<(&Entry, usize)> = list
            .iter()
            .filter(|e| e.kind == kind && e.lang.is_none_or(|l| l == lang))
            .filter(|e| {
                e.words
                    .iter()
                    .enumerate()
                    .all(|(k, w)| toks.get(at + k).is_some_and(|t| &t.text == w))
            })
            .map(|e| (e, at + e.words.len()))
            .collect();
        found.sort_by_key(|f| std::cmp::Reverse(f.1));
        found
    }

    /// The longest entry of `kind` at token `at`.
    pub fn longest<'a>(
        &'a self,
        toks: &[Tok],
        at: usize,
        kind: &str,
        lang: Lang,
    ) -> Option<(&'a Entry, usize)> {
        self.entries(toks, at, kind, lang).into_iter().next()
    }
}

pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut by_first_word: HashMap<String, Vec<Entry>> = HashMap::new();
        for line in DATE_WORDS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(3, ' ');
            let (Some(kind), Some(value), Some(phrase)) =
                (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let words: Vec<String> = split_words(&fold(phrase))
                .into_iter()
                .map(|t| t.text)
                .collect();
            let Some(first) = words.first().cloned() else {
                continue;
            };
            let (kind, lang) = match kind.split_once('@') {
                Some((k, l)) => (k, l.parse().ok()),
                None => (kind, None),
            };
            by_first_word.entry(first).or_default().push(Entry {
                kind: kind.to_string(),
                lang,
                value: value.to_string(),
                words,
            });
        }
        Lexicon { by_first_word }
    })
}

/// A run of digits or of letters in the folded text, with its folded byte
/// range. `joined` says it touches the previous token ("15e", "dec31").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tok {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub digits: bool,
    pub joined: bool,
}

/// Apostrophe look-alikes that Unicode counts as letters; dropping them
/// lets "aujourdʼhui" match like "aujourd'hui".
fn is_letter_apostrophe(c: char) -> bool {
    matches!(c, '\u{02bc}' | '\u{02bb}' | '\u{02b9}' | '\u{a78c}')
}

/// Splits folded text into digit runs and letter runs.
pub(crate) fn split_words(folded: &str) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::new();
    let mut current: Option<Tok> = None;
    let mut last_end = usize::MAX;
    for (i, c) in folded.char_indices() {
        let end = i + c.len_utf8();
        if is_letter_apostrophe(c) {
            if let Some(t) = current.as_mut() {
                t.end = end;
            }
            continue;
        }
        let class = if c.is_ascii_digit() {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            None
        };
        match (class, current.as_mut()) {
            (Some(d), Some(t)) if t.digits == d => {
                t.text.push(c);
                t.end = end;
            }
            (Some(d), _) => {
                if let Some(t) = current.take() {
                    last_end = t.end;
                    toks.push(t);
                }
                current = Some(Tok {
                    text: c.to_string(),
                    start: i,
                    end,
                    digits: d,
                    joined: last_end == i,
                });
            }
            (None, _) => {
                if let Some(t) = current.take() {
                    toks.push(t);
                }
                last_end = usize::MAX;
            }
        }
    }
    if let Some(t) = current {
        toks.push(t);
    }
    toks
}

pub(crate) fn words_of(input: &Input) -> Vec<Tok> {
    split_words(&input.folded.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_digits_from_letters() {
        let t = split_words("le 15sept, dec31 1er aujourd\u{02bc}hui");
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            ["le", "15", "sept", "dec", "31", "1", "er", "aujourdhui"]
        );
        assert!(t[2].joined && !t[1].joined && t[4].joined);
    }

    #[test]
    fn lexicon_has_the_three_languages() {
        let lex = lexicon();
        let toks = split_words("apres demain overmorgen tomorrow");
        assert_eq!(
            lex.longest(&toks, 0, "rel", Lang::Fr)
                .map(|(e, end)| (e.number(), end)),
            Some((Some(2), 2))
        );
        assert_eq!(
            lex.longest(&toks, 2, "rel", Lang::Fr)
                .map(|(e, _)| e.number()),
            Some(Some(2))
        );
        assert_eq!(
            lex.longest(&toks, 3, "rel", Lang::Fr)
                .map(|(e, _)| e.number()),
            Some(Some(1))
        );
    }
}
