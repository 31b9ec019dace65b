//! Number words per language, read once from the plain lists under
//! `src/understand/lexicon/` so that a maintainer extends them without
//! touching the grammar in `number.rs`.

use crate::lookup::FastMap;
use crate::values::Lang;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::OnceLock;

/// What a number word does in the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A cardinal below 100.
    Small,
    /// "un", "een", "one": the cardinal 1, also an article.
    One,
    /// "a", "an": 1 only before a multiplier or a fraction.
    Article,
    Hundred,
    Scale,
    Dozen,
    /// A word with a fixed value that does not combine ("anderhalf").
    Value,
    /// A denominator-only word ("demi" = 2, "quarter" = 4).
    Fraction,
    And,
    Point,
    Minus,
    Over,
    Of,
    Determiner,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    pub kind: Kind,
    pub value: Decimal,
    pub ordinal: bool,
    pub plural: bool,
}

#[derive(Debug, Default)]
pub struct Lexicon {
    single: FastMap<String, Word>,
    /// Multi-word entries, longest first.
    pub multi: Vec<(Vec<String>, Word)>,
    ordinal_suffixes: Vec<String>,
    plural_suffixes: Vec<String>,
    pub unit_before_tens: bool,
    /// Numbers are written as one word (Dutch), so unknown words are split.
    pub compounds: bool,
}

fn kind_of(name: &str) -> Option<Kind> {
    Some(match name {
        "small" => Kind::Small,
        "one" => Kind::One,
        "article" => Kind::Article,
        "hundred" => Kind::Hundred,
        "scale" => Kind::Scale,
        "dozen" => Kind::Dozen,
        "value" => Kind::Value,
        "fraction" => Kind::Fraction,
        "ordinal" => Kind::Small,
        "and" => Kind::And,
        "point" => Kind::Point,
        "minus" => Kind::Minus,
        "over" => Kind::Over,
        "of" => Kind::Of,
        "determiner" => Kind::Determiner,
        _ => return None,
    })
}

fn parse(text: &str, compounds: bool) -> Lexicon {
    let mut lex = Lexicon {
        compounds,
        ..Lexicon::default()
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('@') {
            let mut parts = rest.split_whitespace();
            match (parts.next(), parts.next()) {
                (Some("ordinal-suffix"), Some(s)) => lex.ordinal_suffixes.push(s.to_string()),
                (Some("plural"), Some(s)) => lex.plural_suffixes.push(s.to_string()),
                (Some("unit-before-tens"), _) => lex.unit_before_tens = true,
                _ => {}
            }
            continue;
        }
        let Some((words, def)) = line.split_once('=') else {
            continue;
        };
        let mut def = def.split_whitespace();
        let kind_name = def.next().unwrap_or("");
        let Some(mut kind) = kind_of(kind_name) else {
            continue;
        };
        let value = def
            .next()
            .and_then(|v| Decimal::from_str(v).ok())
            .unwrap_or(Decimal::ZERO);
        let ordinal = kind_name == "ordinal";
        if ordinal {
            kind = cardinal_kind(value);
        }
        let word = Word {
            kind,
            value,
            ordinal,
            plural: false,
        };
        let words: Vec<String> = words.split_whitespace().map(str::to_string).collect();
        match words.len() {
            0 => {}
            1 => {
                lex.single.insert(words[0].clone(), word);
            }
            _ => lex.multi.push((words, word)),
        }
    }
    lex.multi.sort_by_key(|m| std::cmp::Reverse(m.0.len()));
    lex
}

fn cardinal_kind(value: Decimal) -> Kind {
    if value < Decimal::ONE_HUNDRED {
        Kind::Small
    } else if value == Decimal::ONE_HUNDRED {
        Kind::Hundred
    } else {
        Kind::Scale
    }
}

impl Lexicon {
    /// The meaning of one folded word, including regular ordinals
    /// ("vingtieme", "twentieth", "twintigste") and their plurals.
    pub fn lookup(&self, word: &str) -> Option<Word> {
        if let Some(w) = self.single.get(word) {
            return Some(*w);
        }
        if let Some(w) = self.regular_ordinal(word) {
            return Some(w);
        }
        for suffix in &self.plural_suffixes {
            if let Some(stem) = word.strip_suffix(suffix.as_str()) {
                let found = self
                    .single
                    .get(stem)
                    .copied()
                    .filter(|w| w.ordinal)
                    .or_else(|| self.regular_ordinal(stem));
                if let Some(w) = found {
                    return Some(Word { plural: true, ..w });
                }
            }
        }
        None
    }

    fn regular_ordinal(&self, word: &str) -> Option<Word> {
        for suffix in &self.ordinal_suffixes {
            let Some(stem) = word.strip_suffix(suffix.as_str()) else {
                continue;
            };
            if stem.is_empty() {
                continue;
            }
            // "quatr|ieme" is "quatre", "twent|ieth" is "twenty".
            let tries = [stem.to_string(), format!("{stem}e"), format!("{stem}y")];
            for t in &tries {
                if let Some(w) = self.single.get(t.as_str()) {
                    if matches!(
                        w.kind,
                        Kind::Small | Kind::One | Kind::Hundred | Kind::Scale
                    ) && !w.ordinal
                    {
                        return Some(Word {
                            kind: if w.kind == Kind::One {
                                Kind::Small
                            } else {
                                w.kind
                            },
                            ordinal: true,
                            ..*w
                        });
                    }
                }
            }
        }
        None
    }

    /// Splits a compound ("tweeenvijftig") into number words, fewest pieces
    /// first; `None` unless the whole word is made of them.
    pub fn split_compound(&self, word: &str) -> Option<Vec<(usize, usize)>> {
        if !self.compounds || word.len() > 80 || !word.is_ascii() {
            return None;
        }
        let n = word.len();
        // best[i] = fewest pieces covering word[i..], with the next cut.
        let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
        best[n] = Some((0, n));
        for i in (0..n).rev() {
            for j in (i + 1..=n).rev() {
                let Some((count, _)) = best[j] else { continue };
                let piece = &word[i..j];
                let useful = self.lookup(piece).is_some_and(|w| {
                    matches!(
                        w.kind,
                        Kind::Small
                            | Kind::One
                            | Kind::Hundred
                            | Kind::Scale
                            | Kind::Dozen
                            | Kind::Value
                            | Kind::Fraction
                            | Kind::And
                    )
                });
                if useful && best[i].is_none_or(|(c, _)| count + 1 < c) {
                    best[i] = Some((count + 1, j));
                }
            }
        }
        let mut pieces = Vec::new();
        let mut at = 0;
        while at < n {
            let (_, next) = best[at]?;
            pieces.push((at, next));
            at = next;
        }
        (pieces.len() >= 2).then_some(pieces)
    }
}

pub fn lexicon(lang: Lang) -> &'static Lexicon {
    static FR: OnceLock<Lexicon> = OnceLock::new();
    static NL: OnceLock<Lexicon> = OnceLock::new();
    static EN: OnceLock<Lexicon> = OnceLock::new();
    match lang {
        Lang::Fr => FR.get_or_init(|| parse(include_str!("../../lexicon/numbers_fr.txt"), false)),
        Lang::Nl => NL.get_or_init(|| parse(include_str!("../../lexicon/numbers_nl.txt"), true)),
        Lang::En => EN.get_or_init(|| parse(include_str!("../../lexicon/numbers_en.txt"), false)),
    }
}

/// Language-independent data: digit suffixes, ordinal endings, month names.
#[derive(Debug, Default)]
pub struct Common {
    /// (suffix, multiplier, only in capitals)
    pub suffixes: Vec<(String, Decimal, bool)>,
    pub ordinal_suffixes: Vec<String>,
    pub months: Vec<String>,
    /// Words after which an ordinal word is a rank, not a number ("first class").
    pub rank_nouns: Vec<String>,
}

pub fn common() -> &'static Common {
    static COMMON: OnceLock<Common> = OnceLock::new();
    COMMON.get_or_init(|| {
        let mut c = Common::default();
        for line in include_str!("../../lexicon/number_common.txt").lines() {
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["suffix", word, value, rest @ ..] => {
                    if let Ok(v) = Decimal::from_str(value) {
                        c.suffixes
                            .push((word.to_string(), v, rest.first() == Some(&"upper")));
                    }
                }
                ["ordinal-suffix", word] => c.ordinal_suffixes.push(word.to_string()),
                ["month", word] => c.months.push(word.to_string()),
                ["rank-noun", word] => c.rank_nouns.push(word.to_string()),
                _ => {}
            }
        }
        c
    })
}
