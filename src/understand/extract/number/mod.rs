//! Numbers in whole sentences: digits with either decimal mark, number words
//! in French (Belgian and French tens), Dutch (compounds written as one
//! word) and English, fractions, decimals read aloud and ordinals.
//!
//! The message is first cut into atoms (digit literals, words, symbols);
//! a small grammar then reads cardinals, fractions and ordinals from them.
//! The word lists are data (`src/understand/lexicon/numbers_*.txt`).

use super::{Candidate, Context, Extraction};
use crate::understand::normalize::{Input, Token};
use crate::values::{Lang, Value};
use rust_decimal::Decimal;
use std::str::FromStr;

mod atoms;
mod cardinal;
mod fraction;
mod grammar;
mod lexicon;
mod literal;
#[cfg(test)]
mod tests;

pub(crate) use atoms::lex;
use atoms::push_word;
use grammar::{Grammar, Parsed};

use lexicon::{Kind, Lexicon, Word};

/// Digits beyond this cannot be an exact decimal: such runs are ignored.
const MAX_DIGITS: usize = 28;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Literal {
    pub value: Decimal,
    pub ordinal: bool,
    /// "a/b" written with a slash.
    pub slash: bool,
    /// Digits with a unit glued on ("180ml"), a date ("15/03/2024"), a run
    /// too long or malformed: not a number.
    pub rejected: bool,
    /// Plain digits, no separators, no suffix: can be a numerator.
    pub plain_integer: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AtomKind {
    Literal(Literal),
    Word(String),
    Sym(char),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Atom {
    pub kind: AtomKind,
    /// Folded byte range.
    pub start: usize,
    pub end: usize,
    /// The character just before is a letter or digit ("SCP-173").
    pub glued_left: bool,
    /// First piece of a written word (compounds give several pieces).
    pub word_start: bool,
    pub word_end: bool,
    /// Index of the source token (for `parse_number_words`).
    pub token: usize,
    /// A word's entry in the lexicon of the language it was read in, looked
    /// up once: the grammar asks for it at every rule that may start there.
    pub entry: Option<(Lang, Option<Word>)>,
}

impl Atom {
    /// The word's lexicon entry in `lang`: the one looked up when it was
    /// read, if it was read in `lang`.
    fn entry_in(&self, lex: &Lexicon, lang: Lang) -> Option<Word> {
        match self.entry {
            Some((read_in, entry)) if read_in == lang => entry,
            _ => lex.lookup(self.word()?),
        }
    }

    pub fn word(&self) -> Option<&str> {
        match &self.kind {
            AtomKind::Word(w) => Some(w),
            _ => None,
        }
    }
    fn is_sym(&self, c: char) -> bool {
        self.kind == AtomKind::Sym(c)
    }
}

/// One number found in a message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub parsed: Parsed,
    /// Atom range.
    pub first: usize,
    /// Folded byte range.
    pub start: usize,
    pub end: usize,
}

fn is_month(atom: Option<&Atom>) -> bool {
    atom.and_then(Atom::word)
        .is_some_and(|w| lexicon::common().months.iter().any(|m| m == w))
}

/// Parses at `i`, never ending inside a written word.
pub(crate) fn parse_at(atoms: &[Atom], i: usize, lang: Lang) -> Option<Parsed> {
    let g = Grammar {
        atoms,
        lex: lexicon::lexicon(lang),
        lang,
    };
    if !atoms.get(i)?.word_start {
        return None;
    }
    let mut limit = atoms.len();
    loop {
        let p = g.parse(i, limit)?;
        if p.end > i && atoms.get(p.end - 1).is_some_and(|a| a.word_end) {
            return Some(p);
        }
        // Back off to the last whole word and read again.
        let boundary = (i..p.end).rev().find(|&k| atoms[k].word_end)?;
        limit = boundary + 1;
    }
}

/// Every number of a message, in reading order.
pub(crate) fn scan(input: &Input, lang: Lang) -> (Vec<Atom>, Vec<Found>) {
    let atoms = lex(
        &input.folded.text,
        Some((&input.original, &input.folded)),
        lang,
    );
    let mut found = Vec::new();
    let mut i = 0;
    while i < atoms.len() {
        if let AtomKind::Literal(l) = &atoms[i].kind {
            if l.rejected {
                i += 1;
                continue;
            }
        }
        let Some(mut p) = parse_at(&atoms, i, lang) else {
            i += 1;
            continue;
        };
        let end = p.end;
        let keep = judge(&atoms, i, &mut p, input, lang);
        if keep {
            found.push(Found {
                first: i,
                start: atoms[i].start,
                end: atoms[end - 1].end,
                parsed: p,
            });
        }
        i = end.max(i + 1);
    }
    (atoms, found)
}

/// Confidence adjustments and refusals that need the surroundings.
fn judge(atoms: &[Atom], i: usize, p: &mut Parsed, input: &Input, lang: Lang) -> bool {
    let lex = lexicon::lexicon(lang);
    let before = i.checked_sub(1).and_then(|k| atoms.get(k));
    let after = atoms.get(p.end);
    // A digit next to a month name is a day of a date ("le 4 mai", "May 4th").
    if p.digits_only || p.ordinal && p.rule == "number.ordinal" {
        let linked_month = is_month(after)
            || (after
                .and_then(Atom::word)
                .is_some_and(|w| matches!(w, "van" | "of" | "de"))
                && is_month(atoms.get(p.end + 1)));
        if matches!(atoms[i].kind, AtomKind::Literal(_)) && (linked_month || is_month(before)) {
            return false;
        }
    }
    if p.lone_one {
        let determiner = before
            .and_then(|a| a.entry_in(lex, lang))
            .is_some_and(|w| w.kind == Kind::Determiner);
        if determiner {
            return false;
        }
        let original = input.original_text(atoms[i].start..atoms[i].end);
        p.confidence = match lang {
            Lang::Nl if !original.is_ascii() => 0.85,
            Lang::Nl => 0.3,
            Lang::Fr => 0.5,
            Lang::En => 0.6,
        };
    }
    // "first class", "eerste klas": a rank, not a number.
    if p.ordinal
        && !p.digits_only
        && p.rule == "number.ordinal"
        && after
            .and_then(Atom::word)
            .is_some_and(|w| lexicon::common().rank_nouns.iter().any(|r| r == w))
    {
        return false;
    }
    if p.ordinal
        && !p.digits_only
        && matches!(atoms[i].word(), Some("second" | "seconde" | "tierce"))
        && p.end == i + 1
    {
        p.confidence = 0.5;
    }
    true
}

pub fn extract(input: &Input, ctx: &Context) -> Extraction {
    let (_, found) = scan(input, ctx.lang);
    let mut out = Extraction::default();
    for f in found {
        out.candidates.push(Candidate {
            value: Value::Number(f.parsed.value.normalize()),
            span: input.folded.original_span(f.start..f.end),
            confidence: f.parsed.confidence,
            rule: f.parsed.rule.to_string(),
        });
    }
    out.sort();
    out
}

/// Reads a number written in words (or digits) at the start of `tokens`:
/// its value and how many tokens it used. Other extractors use it for
/// "douze euros", "drieëntwintig jaar".
pub fn parse_number_words(tokens: &[Token], lang: Lang) -> Option<(Decimal, usize)> {
    let mut atoms = Vec::new();
    for (n, t) in tokens.iter().enumerate().take(64) {
        if !t.text.is_empty()
            && t.text.len() <= MAX_DIGITS
            && t.text.bytes().all(|b| b.is_ascii_digit())
        {
            atoms.push(Atom {
                kind: AtomKind::Literal(Literal {
                    value: Decimal::from_str(&t.text).ok()?,
                    ordinal: false,
                    slash: false,
                    rejected: false,
                    plain_integer: true,
                }),
                start: t.start,
                end: t.end,
                glued_left: false,
                word_start: true,
                word_end: true,
                token: n,
                entry: None,
            });
        } else {
            push_word(&mut atoms, &t.text, t.start, false, n, lang);
        }
    }
    let p = parse_at(&atoms, 0, lang)?;
    let last = atoms.get(p.end.checked_sub(1)?)?;
    Some((p.value.normalize(), last.token + 1))
}
