//! The word lists behind the date and time extractors, and the word
//! splitting they share.
//!
//! The words themselves live in `lexicon/dates/`, one file per language
//! and one for the words they share, so that a maintainer can add a month
//! abbreviation, a holiday name or a whole language without touching the
//! matching code.

use crate::lookup::FastMap;
use crate::understand::normalize::{fold, Input};
use crate::values::Lang;
use std::borrow::Cow;
use std::sync::OnceLock;

/// The word files, read in this order: a new language is one more file.
const FILES: &[&str] = &[
    include_str!("../../lexicon/dates/common.txt"),
    include_str!("../../lexicon/dates/fr.txt"),
    include_str!("../../lexicon/dates/nl.txt"),
    include_str!("../../lexicon/dates/en.txt"),
];

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
    /// The bit of `kind` in [`Lexicon::mask`].
    kind_bit: u64,
}

impl Entry {
    pub fn number(&self) -> Option<i64> {
        self.value.parse().ok()
    }
}

pub(crate) struct Lexicon {
    by_first_word: FastMap<String, Vec<Entry>>,
    /// Every kind, its index being its bit (at most 64 kinds).
    kinds: Vec<String>,
}

/// Every entry of the lexicon whose words start at each token of a message,
/// longest first: the lexicon is searched once per token, not once per rule.
pub(crate) struct TokenEntries<'l> {
    /// For token `i`, the range of `flat` holding its entries, and the
    /// kinds among them (one bit each).
    at: Vec<(u32, u32, u64)>,
    flat: Vec<(&'l Entry, usize)>,
}

impl<'l> TokenEntries<'l> {
    /// The kinds of the entries starting at token `at`, one bit each (see
    /// [`Lexicon::mask`]), whatever their language.
    pub fn kinds_at(&self, at: usize) -> u64 {
        self.at.get(at).map_or(0, |&(_, _, kinds)| kinds)
    }

    /// The longest entry of `kind` at token `at`.
    pub fn longest(&self, at: usize, kind: &str, lang: Lang) -> Option<(&'l Entry, usize)> {
        let &(from, to, _) = self.at.get(at)?;
        self.flat
            .get(from as usize..to as usize)?
            .iter()
            .find(|(e, _)| e.kind == kind && e.lang.is_none_or(|l| l == lang))
            .copied()
    }
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
        let Some(list) = self.by_first_word.get(first.text.as_ref()) else {
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

    /// The bits of `kinds`, to test against [`TokenEntries::kinds_at`]; an
    /// unknown kind has none.
    pub fn mask(&self, kinds: &[&str]) -> u64 {
        self.kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| kinds.contains(&k.as_str()))
            .fold(0, |m, (bit, _)| {
                m | 1u64.checked_shl(bit as u32).unwrap_or(0)
            })
    }

    /// The entries at every token of `toks`, for [`TokenEntries::longest`].
    pub fn index(&self, toks: &[Tok]) -> TokenEntries<'_> {
        let mut at = Vec::with_capacity(toks.len());
        let mut flat: Vec<(&Entry, usize)> = Vec::new();
        for (i, first) in toks.iter().enumerate() {
            let from = flat.len();
            if let Some(list) = self.by_first_word.get(first.text.as_ref()) {
                flat.extend(
                    list.iter()
                        .filter(|e| {
                            e.words
                                .iter()
                                .enumerate()
                                .all(|(k, w)| toks.get(i + k).is_some_and(|t| &t.text == w))
                        })
                        .map(|e| (e, i + e.words.len())),
                );
                // Stable: among entries as long, the lexicon's order, as `entries` gives.
                flat[from..].sort_by_key(|f| std::cmp::Reverse(f.1));
            }
            let kinds = flat[from..].iter().fold(0, |m, (e, _)| m | e.kind_bit);
            at.push((from as u32, flat.len() as u32, kinds));
        }
        TokenEntries { at, flat }
    }

    /// Reads a word one typo away from a date word of `lang` as that word
    /// ("tomorow", "demian", "morgn"): only a word of five letters or more
    /// that is no date word itself, begins with the same letter and is near
    /// exactly one of the words the lexicon lets be corrected (`typo_ok`),
    /// except those it lists as words of their own (`not_typo`: "morgens",
    /// "mogen", "vandaan").
    pub fn correct_typos(&'static self, toks: &mut [Tok], lang: Lang) {
        type Words = Vec<&'static str>;
        static BY_LANG: OnceLock<[(Words, Words); 3]> = OnceLock::new();
        let by_lang = BY_LANG.get_or_init(|| {
            let single = |kind: &str, lang: Lang| -> Words {
                lexicon()
                    .by_first_word
                    .values()
                    .flatten()
                    .filter(|e| e.kind == kind && e.words.len() == 1)
                    .filter(|e| e.lang.is_none_or(|l| l == lang))
                    .map(|e| e.words[0].as_str())
                    .collect()
            };
            [Lang::Fr, Lang::Nl, Lang::En].map(|l| (single("typo_ok", l), single("not_typo", l)))
        });
        let (targets, keep) = match lang {
            Lang::Fr => &by_lang[0],
            Lang::Nl => &by_lang[1],
            Lang::En => &by_lang[2],
        };
        for t in toks.iter_mut() {
            let word: &str = &t.text;
            if t.digits
                || word.chars().count() < 5
                || self.by_first_word.contains_key(word)
                || keep.contains(&word)
            {
                continue;
            }
            // A typo seldom hits the first letter ("zorgen" is no "morgen").
            let mut near = targets.iter().filter(|w| {
                w.chars().next() == word.chars().next()
                    && crate::understand::typo::within_one_edit(word, w)
            });
            if let (Some(target), None) = (near.next(), near.next()) {
                t.text = Cow::Owned((*target).to_string());
            }
        }
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
        let mut by_first_word: FastMap<String, Vec<Entry>> = FastMap::default();
        let mut kinds: Vec<String> = Vec::new();
        for line in FILES.iter().flat_map(|f| f.lines()) {
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
                .map(|t| t.text.into_owned())
                .collect();
            let Some(first) = words.first().cloned() else {
                continue;
            };
            let (kind, lang) = match kind.split_once('@') {
                Some((k, l)) => (k, l.parse().ok()),
                None => (kind, None),
            };
            let bit = match kinds.iter().position(|k| k == kind) {
                Some(bit) => bit,
                None => {
                    kinds.push(kind.to_string());
                    kinds.len() - 1
                }
            };
            // Past 64 kinds a kind has no bit, and rules pruned by it would never run.
            assert!(bit < 64, "more than 64 kinds of date words");
            by_first_word.entry(first).or_default().push(Entry {
                kind_bit: 1 << bit,
                kind: kind.to_string(),
                lang,
                value: value.to_string(),
                words,
            });
        }
        Lexicon {
            by_first_word,
            kinds,
        }
    })
}

/// A run of digits or of letters in the folded text, with its folded byte
/// range. `joined` says it touches the previous token ("15e", "dec31").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tok<'a> {
    /// The folded text itself, owned only when an apostrophe look-alike was dropped.
    pub text: Cow<'a, str>,
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
pub(crate) fn split_words(folded: &str) -> Vec<Tok<'_>> {
    let mut toks: Vec<Tok> = Vec::with_capacity(folded.len() / 4 + 1);
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
                t.end = end;
            }
            (Some(d), _) => {
                if let Some(t) = current.take() {
                    last_end = t.end;
                    toks.push(with_text(t, folded));
                }
                current = Some(Tok {
                    text: Cow::Borrowed(""),
                    start: i,
                    end,
                    digits: d,
                    joined: last_end == i,
                });
            }
            (None, _) => {
                if let Some(t) = current.take() {
                    toks.push(with_text(t, folded));
                }
                last_end = usize::MAX;
            }
        }
    }
    if let Some(t) = current {
        toks.push(with_text(t, folded));
    }
    toks
}

/// Fills in the text of a token from its span, without the apostrophe look-alikes.
fn with_text<'a>(mut t: Tok<'a>, folded: &'a str) -> Tok<'a> {
    let span = folded.get(t.start..t.end).unwrap_or("");
    t.text = if span.contains(is_letter_apostrophe) {
        Cow::Owned(span.chars().filter(|&c| !is_letter_apostrophe(c)).collect())
    } else {
        Cow::Borrowed(span)
    };
    t
}

pub(crate) fn words_of(input: &Input) -> Vec<Tok<'_>> {
    split_words(&input.folded.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_digits_from_letters() {
        let t = split_words("le 15sept, dec31 1er aujourd\u{02bc}hui");
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_ref()).collect();
        assert_eq!(
            texts,
            ["le", "15", "sept", "dec", "31", "1", "er", "aujourdhui"]
        );
        assert!(t[2].joined && !t[1].joined && t[4].joined);
    }

    #[test]
    fn the_index_of_a_message_finds_what_the_lexicon_finds() {
        let lex = lexicon();
        let kinds: Vec<&str> = lex.kinds.iter().map(String::as_str).collect();
        for text in [
            "le 1er mai, après demain ou lundi de paques de l annee prochaine",
            "de laatste zaterdag van de volgende maand, 1e kerstdag",
            "the day after tomorrow, next week on friday, 3 days ago",
            "aujourd\u{02bc}hui x y z 12 15h",
        ] {
            let toks = split_words(text);
            let index = lex.index(&toks);
            for i in 0..=toks.len() {
                for kind in &kinds {
                    for lang in [Lang::Fr, Lang::Nl, Lang::En] {
                        let old = lex
                            .longest(&toks, i, kind, lang)
                            .map(|(e, end)| (e as *const Entry, end));
                        let new = index
                            .longest(i, kind, lang)
                            .map(|(e, end)| (e as *const Entry, end));
                        assert_eq!(old, new, "{text} at {i}, {kind}");
                        if new.is_some() {
                            assert_ne!(index.kinds_at(i) & lex.mask(&[kind]), 0);
                        }
                    }
                }
            }
        }
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
