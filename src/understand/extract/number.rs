//! Numbers in whole sentences: digits with either decimal mark, number words
//! in French (Belgian and French tens), Dutch (compounds written as one
//! word) and English, fractions, decimals read aloud and ordinals.
//!
//! The message is first cut into atoms (digit literals, words, symbols);
//! a small grammar then reads cardinals, fractions and ordinals from them.
//! The word lists are data (`src/understand/lexicon/numbers_*.txt`).

use super::{Candidate, Context, Extraction};
use crate::understand::normalize::{Folded, Input, Token};
use crate::values::{Lang, Value};
use rust_decimal::Decimal;
use std::str::FromStr;

#[path = "number_lexicon.rs"]
mod lexicon;

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

fn is_vulgar_fraction(c: char) -> Option<(i64, i64)> {
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

fn push_word(
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

fn digit_run(chars: &[(usize, char)], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| c.1.is_ascii_digit()) {
        i += 1;
    }
    i
}

fn is_upper(original: Option<(&str, &Folded)>, range: std::ops::Range<usize>) -> bool {
    original.is_some_and(|(o, f)| {
        o.get(f.original_span(range))
            .is_some_and(|s| !s.is_empty() && s.chars().all(|c| c.is_uppercase()))
    })
}

/// Reads digits with grouping and decimal marks, then an exponent, a power,
/// a slash fraction or a suffix. Returns the literal and the next char index.
fn scan_literal(
    chars: &[(usize, char)],
    start: usize,
    text: &str,
    original: Option<(&str, &Folded)>,
    lang: Lang,
) -> (Literal, usize) {
    let ch = |i: usize| chars.get(i).map(|c| c.1);
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
    let digits_of = |a: usize, b: usize| -> String { chars[a..b].iter().map(|c| c.1).collect() };

    // Groups of digits and the separators between them.
    let mut groups: Vec<String> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut i = start;
    if ch(i).is_some_and(|c| c.is_ascii_digit()) {
        let e = digit_run(chars, i);
        groups.push(digits_of(i, e));
        i = e;
    } else {
        groups.push(String::new());
    }
    while let Some(sep) = ch(i) {
        if !matches!(sep, '.' | ',' | ' ') || !ch(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            break;
        }
        let e = digit_run(chars, i + 1);
        if sep == ' ' {
            // "1 234 567": only whole groups of three after a short first group.
            let fits = e - (i + 1) == 3
                && ch(e).is_none_or(|c| c != '/')
                && groups
                    .first()
                    .is_some_and(|g| !g.is_empty() && g.len() <= 3)
                && seps.iter().all(|&s| s == ' ');
            if !fits {
                break;
            }
        }
        seps.push(sep);
        groups.push(digits_of(i + 1, e));
        i = e;
    }
    let total_digits: usize = groups.iter().map(String::len).sum();
    let mut lit = Literal {
        value: Decimal::ZERO,
        ordinal: false,
        slash: false,
        rejected: false,
        plain_integer: seps.is_empty(),
    };
    match (total_digits <= MAX_DIGITS)
        .then(|| interpret_groups(&groups, &seps, lang))
        .flatten()
    {
        Some(v) => lit.value = v,
        None => {
            lit.rejected = true;
            // Swallow the rest of the run so its pieces are not read apart.
            while ch(i).is_some_and(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '/')) {
                i += 1;
            }
            return (lit, i);
        }
    }

    // Exponent: "1e10", "-12e-1", "12.32e+14".
    if ch(i) == Some('e') {
        let mut j = i + 1;
        let negative = ch(j) == Some('-');
        if matches!(ch(j), Some('-' | '+')) {
            j += 1;
        }
        let e = digit_run(chars, j);
        if e > j && e - j <= 2 {
            let exp: u32 = digits_of(j, e).parse().unwrap_or(0);
            lit.value = scale_by_ten(lit.value, exp, negative).unwrap_or_else(|| {
                lit.rejected = true;
                Decimal::ZERO
            });
            lit.plain_integer = false;
            i = e;
        }
    }
    // "1.3x10^6"
    if matches!(ch(i), Some('x' | '*'))
        && ch(i + 1) == Some('1')
        && ch(i + 2) == Some('0')
        && ch(i + 3) == Some('^')
    {
        if let Some((exp, negative, next)) = read_exponent(chars, i + 4) {
            lit.value = scale_by_ten(lit.value, exp, negative).unwrap_or_else(|| {
                lit.rejected = true;
                Decimal::ZERO
            });
            lit.plain_integer = false;
            i = next;
        }
    }
    // "1,1^23", "2,5^-1"
    if ch(i) == Some('^') {
        if let Some((exp, negative, next)) = read_exponent(chars, i + 1) {
            match power(lit.value, exp, negative) {
                Some(v) => lit.value = v,
                None => lit.rejected = true,
            }
            lit.plain_integer = false;
            i = next;
        }
    }
    // "3/4": a fraction; "15/03" or "15/3/2024": a date.
    if ch(i) == Some('/') && ch(i + 1).is_some_and(|c| c.is_ascii_digit()) {
        let e = digit_run(chars, i + 1);
        let den = digits_of(i + 1, e);
        let date_like = den.starts_with('0')
            || den.len() > 4
            || !lit.plain_integer
            || matches!(ch(e), Some('/' | '-' | '.'))
                && ch(e + 1).is_some_and(|c| c.is_ascii_digit());
        let den_value = Decimal::from_str(&den).unwrap_or(Decimal::ZERO);
        if date_like || den_value.is_zero() {
            lit.rejected = true;
            let mut j = e;
            while ch(j).is_some_and(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '.')) {
                j += 1;
            }
            return (lit, j);
        }
        lit.value /= den_value;
        lit.slash = true;
        lit.plain_integer = false;
        i = e;
    }
    // Letters right after the digits: an ordinal ending, a multiplier or a unit.
    if ch(i).is_some_and(|c| c.is_alphabetic()) {
        let mut j = i;
        while ch(j).is_some_and(|c| c.is_alphabetic()) {
            j += 1;
        }
        let word = digits_of(i, j);
        let common = lexicon::common();
        if lit.plain_integer && common.ordinal_suffixes.contains(&word) {
            lit.ordinal = true;
            lit.plain_integer = false;
        } else if let Some(m) = multiplier(&word, is_upper(original, byte_at(i)..byte_at(j))) {
            lit.value = lit.value.checked_mul(m).unwrap_or_else(|| {
                lit.rejected = true;
                Decimal::ZERO
            });
            lit.plain_integer = false;
        } else {
            lit.rejected = true;
        }
        // Digits glued after the letters ("3b2") belong to the same thing.
        while ch(j).is_some_and(|c| c.is_alphanumeric()) {
            j += 1;
        }
        return (lit, j);
    }
    // "2,33 k", "1,674.5 G": a lone multiplier word after a space.
    if ch(i).is_some_and(|c| c == ' ') && !lit.slash {
        let mut j = i;
        while ch(j) == Some(' ') {
            j += 1;
        }
        let mut e = j;
        while ch(e).is_some_and(|c| c.is_alphabetic()) {
            e += 1;
        }
        if e > j && !ch(e).is_some_and(|c| c.is_alphanumeric()) {
            let word = digits_of(j, e);
            if let Some(m) = multiplier(&word, is_upper(original, byte_at(j)..byte_at(e)))
                .filter(|_| word.len() <= 2)
            {
                if let Some(v) = lit.value.checked_mul(m) {
                    lit.value = v;
                    lit.plain_integer = false;
                    return (lit, e);
                }
            }
        }
    }
    (lit, i)
}

fn multiplier(word: &str, upper: bool) -> Option<Decimal> {
    lexicon::common()
        .suffixes
        .iter()
        .find(|(w, _, needs_upper)| w == word && (upper || !needs_upper))
        .map(|(_, m, _)| *m)
}

fn read_exponent(chars: &[(usize, char)], mut i: usize) -> Option<(u32, bool, usize)> {
    let mut negative = false;
    while let Some(c @ ('-' | '+')) = chars.get(i).map(|c| c.1) {
        negative ^= c == '-';
        i += 1;
    }
    let e = digit_run(chars, i);
    if e == i || e - i > 3 {
        return None;
    }
    let exp: u32 = chars[i..e]
        .iter()
        .map(|c| c.1)
        .collect::<String>()
        .parse()
        .ok()?;
    Some((exp, negative, e))
}

fn scale_by_ten(v: Decimal, exp: u32, negative: bool) -> Option<Decimal> {
    if exp > 28 {
        return None;
    }
    let factor = Decimal::from_i128_with_scale(10i128.checked_pow(exp)?, 0);
    if negative {
        v.checked_div(factor)
    } else {
        v.checked_mul(factor)
    }
}

fn power(base: Decimal, exp: u32, negative: bool) -> Option<Decimal> {
    if exp > 64 {
        return None;
    }
    let mut r = Decimal::ONE;
    for _ in 0..exp {
        r = r.checked_mul(base)?;
    }
    if negative {
        Decimal::ONE.checked_div(r)
    } else {
        Some(r)
    }
}

/// Groups and separators to a value: the language's decimal mark is a
/// decimal mark, the other one groups thousands when followed by exactly
/// three digits ("1.234" in French, "1,234" in English), and is a decimal
/// mark otherwise ("12.5" in French).
fn interpret_groups(groups: &[String], seps: &[char], lang: Lang) -> Option<Decimal> {
    let decimal_mark = if lang == Lang::En { '.' } else { ',' };
    let puncts: Vec<(usize, char)> = seps
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, c)| *c != ' ')
        .collect();
    let has = |c: char| puncts.iter().any(|p| p.1 == c);
    // Index (in seps) of the decimal separator, if any.
    let decimal_at = if has(',') && has('.') {
        let (idx, c) = *puncts.last()?;
        if puncts.iter().filter(|p| p.1 == c).count() != 1 {
            return None;
        }
        Some(idx)
    } else if puncts.len() == 1 {
        let (idx, c) = puncts[0];
        let next_len = groups.get(idx + 1).map_or(0, String::len);
        (c == decimal_mark || next_len != 3 || groups[0].is_empty()).then_some(idx)
    } else {
        None
    };
    if decimal_at.is_some_and(|d| d + 1 != seps.len()) {
        return None;
    }
    let grouping_count = seps.len() - usize::from(decimal_at.is_some());
    if grouping_count > 0 && (groups[0].is_empty() || groups[0].len() > 3) {
        return None;
    }
    let mut int = groups[0].clone();
    for k in 0..grouping_count {
        let g = &groups[k + 1];
        let last_group = k + 1 == grouping_count;
        // Indian grouping ("12,34,567") has pairs before the last three.
        let ok = g.len() == 3 || (!last_group && g.len() == 2 && seps[k] == ',');
        if !ok {
            return None;
        }
        int.push_str(g);
    }
    let mut s = if int.is_empty() { "0".to_string() } else { int };
    if let Some(d) = decimal_at {
        s.push('.');
        s.push_str(&groups[d + 1]);
    }
    Decimal::from_str(&s).ok()
}

// ---------------------------------------------------------------------------
// Grammar

#[derive(Debug, Clone, Copy, PartialEq)]
enum Piece {
    One,
    Article,
    Small,
    Hundred,
    Scale,
    Dozen,
    Literal,
}

#[derive(Debug, Clone)]
struct Core {
    value: Decimal,
    end: usize,
    ordinal: bool,
    /// The ordinal was a plural denominator ("fifths"): never "fifth".
    pieces: Vec<(Piece, bool)>,
    last_scale: Option<Decimal>,
    ended_with_scale: bool,
}

struct Grammar<'a> {
    atoms: &'a [Atom],
    lex: &'a Lexicon,
    lang: Lang,
}

/// What the grammar read at one place.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub value: Decimal,
    /// Atoms consumed from the start index.
    pub end: usize,
    pub ordinal: bool,
    pub confidence: f32,
    pub rule: &'static str,
    /// Only the word "un"/"een"/"one": often an article or a pronoun.
    pub lone_one: bool,
    /// Made only of digits (and a sign).
    pub digits_only: bool,
}

impl<'a> Grammar<'a> {
    fn word_at(&self, i: usize, limit: usize) -> Option<(Word, usize)> {
        if i >= limit {
            return None;
        }
        'entries: for (words, w) in &self.lex.multi {
            // Hyphens may join the words ("quatre-vingt").
            let mut k = i;
            for (n, x) in words.iter().enumerate() {
                if n > 0 && k < limit && self.atoms[k].is_sym('-') {
                    k += 1;
                }
                if k >= limit || self.atoms[k].word() != Some(x.as_str()) {
                    continue 'entries;
                }
                k += 1;
            }
            return Some((*w, k));
        }
        self.atoms
            .get(i)?
            .entry_in(self.lex, self.lang)
            .map(|w| (w, i + 1))
    }

    fn kind_at(&self, i: usize, limit: usize) -> Option<Kind> {
        self.word_at(i, limit).map(|(w, _)| w.kind)
    }

    fn literal_at(&self, i: usize, limit: usize) -> Option<&Literal> {
        if i >= limit {
            return None;
        }
        match &self.atoms.get(i)?.kind {
            AtomKind::Literal(l) if !l.rejected => Some(l),
            _ => None,
        }
    }

    /// Whether a number component starts at `i` (for "and" and hyphens).
    fn component_at(&self, i: usize, limit: usize) -> bool {
        self.literal_at(i, limit).is_some_and(|l| !l.slash)
            || matches!(
                self.kind_at(i, limit),
                Some(Kind::Small | Kind::One | Kind::Hundred | Kind::Scale | Kind::Value)
            )
    }

    /// A cardinal (possibly ending in an ordinal word) starting at `i`.
    fn core(&self, i: usize, limit: usize) -> Option<Core> {
        let mut total = Decimal::ZERO;
        let mut hundreds = Decimal::ZERO;
        let mut small: Option<Decimal> = None;
        let mut last_small_piece = Decimal::ZERO;
        let mut last_scale: Option<Decimal> = None;
        let mut pieces: Vec<(Piece, bool)> = Vec::new();
        let mut pending_article = false;
        let mut ordinal = false;
        let mut j = i;
        let mut end = i;
        let ten = Decimal::TEN;
        let twenty = Decimal::from(20);
        'outer: while j < limit {
            if let Some(lit) = self.literal_at(j, limit) {
                let last = pieces.last().map(|p| p.0);
                if lit.slash
                    || small.is_some()
                    || pending_article
                    || !matches!(last, None | Some(Piece::Hundred | Piece::Scale))
                {
                    break;
                }
                small = Some(lit.value);
                last_small_piece = Decimal::ONE_HUNDRED;
                pieces.push((Piece::Literal, lit.ordinal));
                j += 1;
                end = j;
                if lit.ordinal {
                    ordinal = true;
                    break;
                }
                continue;
            }
            let Some((word, next)) = self.word_at(j, limit) else {
                // A hyphen between two number words ("fifty - two").
                if self.atoms.get(j).is_some_and(|a| a.is_sym('-'))
                    && !pieces.is_empty()
                    && self.component_at(j + 1, limit)
                    && self.literal_at(j + 1, limit).is_none()
                {
                    j += 1;
                    continue;
                }
                break;
            };
            let v = word.value;
            match word.kind {
                Kind::Small | Kind::One => {
                    if pending_article {
                        break;
                    }
                    // "honderd driekwart": the "drie" of "driekwart" counts quarters.
                    if !pieces.is_empty()
                        && self
                            .atoms
                            .get(j)
                            .is_some_and(|a| a.word_start && !a.word_end)
                        && self
                            .word_at(next, limit)
                            .is_some_and(|(w, _)| w.kind == Kind::Fraction)
                    {
                        break;
                    }
                    if word.plural && !pieces.is_empty() {
                        break;
                    }
                    match small {
                        None => {
                            if word.kind == Kind::One && !word.ordinal && pieces.is_empty() {
                                pieces.push((Piece::One, false));
                            } else {
                                pieces.push((Piece::Small, word.ordinal));
                            }
                            small = Some(v);
                            last_small_piece = v;
                        }
                        Some(s) => {
                            let lsp = last_small_piece;
                            let tens = lsp >= twenty
                                && (lsp % ten).is_zero()
                                && lsp < Decimal::ONE_HUNDRED;
                            // Dutch puts the unit first ("drieëntwintig"):
                            // "twintig drie" is twenty, then three.
                            let unit_after_tens = tens && !self.lex.unit_before_tens;
                            let addable =
                                ((unit_after_tens || lsp == ten) && v > Decimal::ZERO && v < ten)
                                    || ((lsp == Decimal::from(60) || lsp == Decimal::from(80))
                                        && v >= ten
                                        && v < twenty);
                            if !addable {
                                break;
                            }
                            small = Some(s + v);
                            last_small_piece = v;
                            pieces.push((Piece::Small, word.ordinal));
                        }
                    }
                    j = next;
                    end = j;
                    if word.ordinal {
                        ordinal = true;
                        break;
                    }
                }
                Kind::Article => {
                    if !pieces.is_empty() || pending_article {
                        break;
                    }
                    if !matches!(
                        self.kind_at(next, limit),
                        Some(Kind::Hundred | Kind::Scale | Kind::Dozen)
                    ) {
                        break;
                    }
                    pending_article = true;
                    pieces.push((Piece::Article, false));
                    j = next;
                }
                Kind::Hundred => {
                    if word.plural && !pieces.is_empty() {
                        break;
                    }
                    if !hundreds.is_zero() || pieces.last().is_some_and(|p| p.0 == Piece::Hundred) {
                        break;
                    }
                    let times = small.unwrap_or(Decimal::ONE);
                    let Some(h) = times.checked_mul(Decimal::ONE_HUNDRED) else {
                        break;
                    };
                    hundreds = h;
                    small = None;
                    pending_article = false;
                    pieces.push((Piece::Hundred, word.ordinal));
                    j = next;
                    end = j;
                    if word.ordinal {
                        ordinal = true;
                        break;
                    }
                }
                Kind::Scale => {
                    if word.plural && !pieces.is_empty() {
                        break;
                    }
                    let just_scaled = pieces.last().is_some_and(|p| p.0 == Piece::Scale);
                    let computed = if just_scaled && small.is_none() && hundreds.is_zero() {
                        total.checked_mul(v)
                    } else {
                        let group = hundreds
                            + small.unwrap_or(if hundreds.is_zero() {
                                Decimal::ONE
                            } else {
                                Decimal::ZERO
                            });
                        match last_scale {
                            Some(l) if v < l => {
                                group.checked_mul(v).and_then(|g| total.checked_add(g))
                            }
                            _ => total.checked_add(group).and_then(|t| t.checked_mul(v)),
                        }
                    };
                    let Some(t) = computed else { break };
                    total = t;
                    hundreds = Decimal::ZERO;
                    small = None;
                    pending_article = false;
                    last_scale = Some(v);
                    pieces.push((Piece::Scale, word.ordinal));
                    j = next;
                    end = j;
                    if word.ordinal {
                        ordinal = true;
                        break;
                    }
                }
                Kind::Dozen => {
                    if pieces.last().is_some_and(|p| p.0 == Piece::Dozen) {
                        break;
                    }
                    let Some(d) = small.unwrap_or(Decimal::ONE).checked_mul(v) else {
                        break;
                    };
                    small = Some(d);
                    last_small_piece = Decimal::ONE_HUNDRED;
                    pending_article = false;
                    pieces.push((Piece::Dozen, false));
                    j = next;
                    end = j;
                }
                Kind::Value => {
                    if small.is_some() || pending_article {
                        break;
                    }
                    small = Some(v);
                    last_small_piece = Decimal::ONE_HUNDRED;
                    pieces.push((Piece::Small, false));
                    j = next;
                    end = j;
                }
                Kind::And => {
                    let last = pieces.last().map(|p| p.0);
                    let after = next;
                    // Dutch "drie en twintig": the unit comes before the tens.
                    if self.lex.unit_before_tens
                        && matches!(last, Some(Piece::Small | Piece::One))
                        && small.is_some_and(|s| s == last_small_piece)
                        && last_small_piece > Decimal::ZERO
                        && last_small_piece < ten
                    {
                        if let Some((w2, n2)) = self.word_at(after, limit) {
                            if w2.kind == Kind::Small
                                && !w2.plural
                                && w2.value >= twenty
                                && w2.value < Decimal::ONE_HUNDRED
                                && (w2.value % ten).is_zero()
                            {
                                small = small.map(|s| s + w2.value);
                                last_small_piece = Decimal::ONE;
                                pieces.push((Piece::Small, w2.ordinal));
                                j = n2;
                                end = j;
                                if w2.ordinal {
                                    ordinal = true;
                                    break 'outer;
                                }
                                continue;
                            }
                        }
                    }
                    // "vingt et un", "soixante et onze".
                    let tens = last_small_piece >= twenty
                        && (last_small_piece % ten).is_zero()
                        && last_small_piece < Decimal::ONE_HUNDRED;
                    if matches!(last, Some(Piece::Small)) && tens {
                        if let Some((w2, _)) = self.word_at(after, limit) {
                            if matches!(w2.kind, Kind::Small | Kind::One)
                                && (w2.value == Decimal::ONE || w2.value == Decimal::from(11))
                                && !self.fraction_follows(after, limit)
                            {
                                j = after;
                                continue;
                            }
                        }
                        break;
                    }
                    // "hundred and five", "vierduizend en twee" (not French).
                    // "a hundred and a half" is a mixed number; "one hundred
                    // and thirty fifths" is 130 fifths.
                    if self.lang != Lang::Fr
                        && matches!(last, Some(Piece::Hundred | Piece::Scale | Piece::Dozen))
                        && self.component_at(after, limit)
                        && !self.proper_fraction_follows(after, limit)
                    {
                        j = after;
                        continue;
                    }
                    break;
                }
                _ => break,
            }
        }
        if pieces.is_empty() || end == i {
            return None;
        }
        if pending_article && pieces.len() == 1 {
            return None;
        }
        let value = total + hundreds + small.unwrap_or(Decimal::ZERO);
        let ended_with_scale = pieces.last().is_some_and(|p| p.0 == Piece::Scale) && !ordinal;
        Some(Core {
            value,
            end,
            ordinal,
            pieces,
            last_scale,
            ended_with_scale,
        })
    }

    /// Whether a fraction phrase ("trois quarts", "a half") starts at `i`
    /// and goes past a plain cardinal.
    fn fraction_follows(&self, i: usize, limit: usize) -> bool {
        let mut k = i;
        if matches!(self.kind_at(k, limit), Some(Kind::Article | Kind::One)) {
            k += 1;
        } else if let Some(c) = self.core(k, limit) {
            if c.ordinal {
                return false;
            }
            k = c.end;
        }
        self.denominator(k, limit, true).is_some()
    }

    /// Whether a fraction below one ("a half", "three quarters") starts at `i`.
    fn proper_fraction_follows(&self, i: usize, limit: usize) -> bool {
        self.fraction_phrase(i, limit)
            .is_some_and(|(f, _)| f < Decimal::ONE)
    }

    /// A denominator written as a tens word and a plural unit ordinal:
    /// "twenty-firsts", "thirty fifths" (not in Dutch, which writes
    /// "vijfendertigste" as one word).
    fn compound_denominator(&self, i: usize, limit: usize) -> Option<(Decimal, usize)> {
        if self.lex.unit_before_tens {
            return None;
        }
        let (tens, next) = self.word_at(i, limit)?;
        let twenty = Decimal::from(20);
        if tens.kind != Kind::Small
            || tens.ordinal
            || tens.plural
            || tens.value < twenty
            || tens.value >= Decimal::ONE_HUNDRED
            || !(tens.value % Decimal::TEN).is_zero()
        {
            return None;
        }
        // French hyphenates compounds: "cent trente cinquièmes" is 130 fifths,
        // "cent trente-cinquièmes" 100 thirty-fifths.
        let k = if self.atoms.get(next).is_some_and(|a| a.is_sym('-')) {
            next + 1
        } else if self.lang == Lang::Fr {
            return None;
        } else {
            next
        };
        let (unit, end) = self.word_at(k, limit)?;
        let plural_ordinal =
            unit.plural && unit.ordinal && matches!(unit.kind, Kind::Small | Kind::One);
        if !(plural_ordinal || unit.kind == Kind::Fraction)
            || unit.value < Decimal::ONE
            || unit.value >= Decimal::TEN
        {
            return None;
        }
        Some((tens.value + unit.value, end))
    }

    /// A denominator at `i`: a fraction word or an ordinal phrase.
    fn denominator(
        &self,
        mut i: usize,
        limit: usize,
        allow_ordinal: bool,
    ) -> Option<(Decimal, usize)> {
        // "one-eighth", "vijf / achtste".
        if self
            .atoms
            .get(i)
            .is_some_and(|a| a.is_sym('-') || a.is_sym('/'))
        {
            i += 1;
        }
        if let Some((w, next)) = self.word_at(i, limit) {
            if w.kind == Kind::Fraction {
                return Some((w.value, next));
            }
        }
        if !allow_ordinal {
            return None;
        }
        let c = self.core(i, limit)?;
        // "a first class seat" is no fraction.
        (c.ordinal
            && c.value > Decimal::ONE
            && !matches!(c.pieces.first(), Some((Piece::Literal, _))))
        .then_some((c.value, c.end))
    }

    /// "a half", "un demi", "trois quarts", "een vijfde", "half".
    fn fraction_phrase(&self, i: usize, limit: usize) -> Option<(Decimal, usize)> {
        if let Some((d, end)) = self.denominator(i, limit, false) {
            return Some((Decimal::ONE / d, end));
        }
        let (num, k) = match self.kind_at(i, limit) {
            Some(Kind::Article | Kind::One) => (Decimal::ONE, i + 1),
            _ => {
                let c = self.core(i, limit)?;
                if c.ordinal {
                    return None;
                }
                (c.value, c.end)
            }
        };
        let (den, end) = self.denominator(k, limit, true)?;
        Some((num.checked_div(den)?, end))
    }

    /// A multiplier after a fraction: "half a dozen", "un demi-million",
    /// "two thirds of a million".
    fn multiplier_after(&self, mut k: usize, limit: usize) -> Option<(Decimal, usize)> {
        if self.atoms.get(k).is_some_and(|a| a.is_sym('-')) {
            k += 1;
        }
        if self.kind_at(k, limit) == Some(Kind::Of) {
            k += 1;
        }
        if matches!(self.kind_at(k, limit), Some(Kind::Article | Kind::One)) {
            k += 1;
        }
        match self.word_at(k, limit) {
            Some((w, next))
                if matches!(w.kind, Kind::Scale | Kind::Dozen | Kind::Hundred) && !w.ordinal =>
            {
                Some((w.value, next))
            }
            _ => None,
        }
    }

    /// Digits read after "virgule", "point", "komma": "cinquante deux" → 52,
    /// "zero three" → 03.
    fn decimals(&self, mut k: usize, limit: usize) -> Option<(String, usize)> {
        let mut digits = String::new();
        while digits.len() < 20 {
            if let Some(l) = self.literal_at(k, limit) {
                if !l.plain_integer || !digits.is_empty() {
                    break;
                }
                digits.push_str(&l.value.to_string());
                k += 1;
                continue;
            }
            let Some(c) = self.core(k, limit) else { break };
            if c.ordinal
                || c.value >= Decimal::ONE_HUNDRED
                || c.pieces
                    .iter()
                    .any(|p| !matches!(p.0, Piece::Small | Piece::One))
            {
                break;
            }
            digits.push_str(&c.value.normalize().to_string());
            k = c.end;
        }
        (!digits.is_empty()).then_some((digits, k))
    }

    fn parse(&self, i: usize, limit: usize) -> Option<Parsed> {
        let mut j = i;
        let mut negative = false;
        // Signs: "-12", "- 1 4/5", "minus five", "min 5" (not "au moins 3").
        // A dash after a number is a range or a hyphen, not a sign.
        let after_number =
            j > 0
                && match &self.atoms[j - 1].kind {
                    AtomKind::Literal(_) => true,
                    AtomKind::Word(_) => self.atoms[j - 1]
                        .entry_in(self.lex, self.lang)
                        .is_some_and(|w| {
                            matches!(
                                w.kind,
                                Kind::Small | Kind::One | Kind::Hundred | Kind::Scale | Kind::Dozen
                            )
                        }),
                    AtomKind::Sym(_) => false,
                };
        let sign_glued = self
            .atoms
            .get(j + 1)
            .is_some_and(|n| j == 0 || n.start == self.atoms[j].end);
        let dash = self
            .atoms
            .get(j)
            .is_some_and(|a| a.is_sym('-') && !a.glued_left)
            && !after_number
            && sign_glued;
        let minus_word = self.kind_at(j, limit) == Some(Kind::Minus)
            && !(j > 0 && self.atoms[j - 1].word() == Some("au"));
        if (dash || minus_word)
            && (self.literal_at(j + 1, limit).is_some() || self.component_at(j + 1, limit))
        {
            negative = true;
            j += 1;
        }
        let start = j;
        let mut parsed = self.unsigned(start, limit)?;
        if negative {
            parsed.value = -parsed.value;
        }
        Some(parsed)
    }

    fn unsigned(&self, j: usize, limit: usize) -> Option<Parsed> {
        let mut out = Parsed {
            value: Decimal::ZERO,
            end: j,
            ordinal: false,
            confidence: 0.9,
            rule: "number",
            lone_one: false,
            digits_only: false,
        };
        // A slash fraction, possibly after a whole number ("2 1/4").
        if let Some(l) = self.literal_at(j, limit) {
            if l.slash {
                out.value = l.value;
                out.end = j + 1;
                out.confidence = 0.7;
                out.rule = "number.slash-fraction";
                return Some(out);
            }
            if l.plain_integer {
                if let Some(f) = self.literal_at(j + 1, limit) {
                    if f.slash && f.value < Decimal::ONE {
                        out.value = l.value + f.value;
                        out.end = j + 2;
                        out.confidence = 0.7;
                        out.rule = "number.mixed-fraction";
                        return Some(out);
                    }
                }
            }
        }
        let Some(core) = self.core(j, limit) else {
            // "half", "a quarter", "a fifth", "half a dozen".
            let (f, end) = self.fraction_phrase(j, limit)?;
            out.value = f;
            out.end = end;
            out.rule = "number.fraction";
            out.confidence = 0.8;
            if let Some((m, e)) = self.multiplier_after(end, limit) {
                out.value = f.checked_mul(m)?;
                out.end = e;
                out.rule = "number.fraction-of";
            }
            return Some(out);
        };
        out.value = core.value;
        out.end = core.end;
        out.digits_only = core.pieces.iter().all(|p| p.0 == Piece::Literal);
        out.lone_one = core.pieces.len() == 1 && core.pieces[0].0 == Piece::One;
        if out.digits_only {
            out.rule = "number.digits";
        } else {
            out.rule = "number.words";
            out.confidence = 0.85;
        }
        if core.ordinal {
            out.ordinal = true;
            out.rule = "number.ordinal";
            let first = core.pieces.first().map(|p| p.0);
            let last = core.pieces.last().map(|p| p.0);
            // "a hundredth", "un centième": one part in a hundred.
            if core.pieces.len() == 2
                && matches!(first, Some(Piece::Article | Piece::One))
                && matches!(last, Some(Piece::Hundred | Piece::Scale))
            {
                let scale = if last == Some(Piece::Hundred) {
                    Decimal::ONE_HUNDRED
                } else {
                    core.last_scale.unwrap_or(Decimal::ONE)
                };
                out.value = Decimal::ONE.checked_div(scale)?;
                out.ordinal = false;
                out.rule = "number.fraction";
            }
            return Some(out);
        }
        let k = core.end;
        // "un sur trois", "one out of three", "1 op de 3".
        if self.kind_at(k, limit) == Some(Kind::Over) {
            let (_, after) = self.word_at(k, limit)?;
            // "3 sur 10", "1 op de 3"; "1000 sur 3 ans" is a duration.
            // "2000 over 3" ends there; "1000 sur 3 ans" goes on with a unit.
            let ends_at = |c: &Core| self.atoms.get(c.end).is_none_or(|a| a.word().is_none());
            if let Some(den) = self
                .core(after, limit)
                .filter(|c| !c.ordinal && (core.value <= c.value || ends_at(c)))
            {
                if let Some(v) = core.value.checked_div(den.value) {
                    out.value = v;
                    out.end = den.end;
                    out.confidence = 0.75;
                    out.rule = "number.ratio";
                    return Some(out);
                }
            }
        }
        // "deux virgule cinq", "two point five".
        if self.kind_at(k, limit) == Some(Kind::Point) && core.value.fract().is_zero() {
            if let Some((digits, end)) = self.decimals(k + 1, limit) {
                let s = format!("{}.{}", core.value.trunc().normalize(), digits);
                if let Ok(v) = Decimal::from_str(&s) {
                    out.value = v;
                    out.end = end;
                    out.rule = "number.decimal-words";
                    return Some(out);
                }
            }
        }
        // "three twenty-firsts", "twenty twenty-fifths".
        if let Some((den, end)) = self.compound_denominator(k, limit) {
            if let Some(v) = core.value.checked_div(den) {
                out.value = v;
                out.end = end;
                out.rule = "number.fraction";
                out.lone_one = false;
                return Some(out);
            }
        }
        // "one hundred thirty-fifths": the last tens word starts the
        // denominator ("one hundred and thirty fifths" keeps it: 130 fifths).
        if let Some(tens_at) = k.checked_sub(1).filter(|t| *t > j) {
            let joined_by_and = self.kind_at(tens_at - 1, limit) == Some(Kind::And);
            if !joined_by_and {
                if let Some((den, end)) = self.compound_denominator(tens_at, limit) {
                    let numerator = self
                        .core(j, tens_at)
                        .filter(|c| c.end == tens_at && !c.ordinal);
                    if let Some(v) = numerator.and_then(|n| n.value.checked_div(den)) {
                        out.value = v;
                        out.end = end;
                        out.rule = "number.fraction";
                        out.lone_one = false;
                        return Some(out);
                    }
                }
            }
        }
        // "trois cinquièmes", "twee derde", "twenty-three fifths".
        if let Some((den, end)) = self.denominator(k, limit, true) {
            if let Some(v) = core.value.checked_div(den) {
                out.value = v;
                out.end = end;
                out.rule = "number.fraction";
                if let Some((m, e)) = self.multiplier_after(end, limit) {
                    out.value = v.checked_mul(m)?;
                    out.end = e;
                }
                out.lone_one = false;
                return Some(out);
            }
        }
        // Dutch mixed numbers: "drie een vijfde", "twintig drie vijfde".
        if self.lex.unit_before_tens
            && core.value.fract().is_zero()
            && self.denominator(k, limit, false).is_none()
        {
            if let Some((f, end)) = self
                .fraction_phrase(k, limit)
                .filter(|(f, _)| *f < Decimal::ONE)
            {
                out.value = core.value.checked_add(f)?;
                out.end = end;
                out.rule = "number.mixed-words";
                out.lone_one = false;
                return Some(out);
            }
        }
        // "cinq et demi", "un million et demi", "five and a half million".
        if self.kind_at(k, limit) == Some(Kind::And) {
            if let Some((f, end)) = self.fraction_phrase(k + 1, limit) {
                if f < Decimal::ONE {
                    let mut value = core.value;
                    let mut end = end;
                    if let Some((m, e)) = self.multiplier_after(end, limit) {
                        value = if core.ended_with_scale {
                            value.checked_add(f.checked_mul(m)?)?
                        } else {
                            value.checked_add(f)?.checked_mul(m)?
                        };
                        end = e;
                    } else if core.ended_with_scale {
                        value = value.checked_add(f.checked_mul(core.last_scale?)?)?;
                    } else {
                        value += f;
                    }
                    out.value = value;
                    out.end = end;
                    out.rule = "number.and-fraction";
                    out.lone_one = false;
                    out.digits_only = false;
                    return Some(out);
                }
            }
        }
        Some(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn ctx(lang: Lang) -> Context<'static> {
        Context {
            lang,
            now: NaiveDate::from_ymd_opt(2024, 5, 3)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            policy: Default::default(),
            order: Default::default(),
            choice: None,
        }
    }

    fn best(text: &str, lang: Lang) -> Option<String> {
        let e = extract(&Input::new(text), &ctx(lang));
        e.best().map(|c| match &c.value {
            Value::Number(d) => d.normalize().to_string(),
            v => format!("{v:?}"),
        })
    }

    #[test]
    fn digits_with_either_decimal_mark() {
        assert_eq!(
            best("ça fait 12,5 kilos", Lang::Fr).as_deref(),
            Some("12.5")
        );
        assert_eq!(best("12.5", Lang::Fr).as_deref(), Some("12.5"));
        assert_eq!(best("1.234,56", Lang::Fr).as_deref(), Some("1234.56"));
        assert_eq!(best("1 234", Lang::Nl).as_deref(), Some("1234"));
        assert_eq!(best("1,234.56", Lang::En).as_deref(), Some("1234.56"));
        assert_eq!(best("it is -3 outside", Lang::En).as_deref(), Some("-3"));
        assert_eq!(best("SCP-173", Lang::En).as_deref(), Some("173"));
    }

    #[test]
    fn french_words() {
        assert_eq!(best("septante-cinq", Lang::Fr).as_deref(), Some("75"));
        assert_eq!(best("soixante-dix-sept", Lang::Fr).as_deref(), Some("77"));
        assert_eq!(
            best("quatre-vingt-dix-neuf", Lang::Fr).as_deref(),
            Some("99")
        );
        assert_eq!(
            best("j'ai vingt et un ans", Lang::Fr).as_deref(),
            Some("21")
        );
        assert_eq!(
            best("deux cent trente-quatre", Lang::Fr).as_deref(),
            Some("234")
        );
        assert_eq!(best("un million", Lang::Fr).as_deref(), Some("1000000"));
        assert_eq!(best("deux virgule cinq", Lang::Fr).as_deref(), Some("2.5"));
        assert_eq!(best("un demi", Lang::Fr).as_deref(), Some("0.5"));
        assert_eq!(best("le troisième", Lang::Fr).as_deref(), Some("3"));
        assert_eq!(best("au moins 3", Lang::Fr).as_deref(), Some("3"));
    }

    #[test]
    fn dutch_words() {
        assert_eq!(best("drieëntwintig", Lang::Nl).as_deref(), Some("23"));
        assert_eq!(best("honderdvijftig", Lang::Nl).as_deref(), Some("150"));
        assert_eq!(best("duizend", Lang::Nl).as_deref(), Some("1000"));
        assert_eq!(best("twee komma vijf", Lang::Nl).as_deref(), Some("2.5"));
        assert_eq!(best("een half", Lang::Nl).as_deref(), Some("0.5"));
        assert_eq!(best("de derde", Lang::Nl).as_deref(), Some("3"));
        assert_eq!(best("tweeënhalf", Lang::Nl).as_deref(), Some("2.5"));
    }

    #[test]
    fn fractions_with_compound_denominators() {
        use Lang::*;
        for (text, lang, value) in [
            ("three twenty-firsts", En, "0.1428571428571428571428571429"),
            ("twenty twenty fifths", En, "0.8"),
            (
                "one hundred thirty-fifths",
                En,
                "2.8571428571428571428571428571",
            ),
            // With "and", thirty belongs to the numerator.
            ("one hundred and thirty fifths", En, "26"),
            ("one hundred and thirty-two fifths", En, "26.4"),
            // French hyphenates the compound denominator.
            ("cent trente cinquièmes", Fr, "26"),
            (
                "cent trente-cinquièmes",
                Fr,
                "2.8571428571428571428571428571",
            ),
            ("trois vingt-cinquièmes", Fr, "0.12"),
            // Dutch writes the unit first, so "twintig vijfde" is twenty fifths.
            ("twintig vijfde", Nl, "4"),
            ("tweeëntwintig vijfde", Nl, "4.4"),
        ] {
            assert_eq!(best(text, lang).as_deref(), Some(value), "{text}");
        }
    }

    #[test]
    fn mixed_numbers_in_dutch_words() {
        use Lang::*;
        for (text, value) in [
            ("drie een vijfde", "3.2"),
            ("twintig drie vijfde", "20.6"),
            ("honderd driekwart", "100.75"),
            ("twee driekwart", "2.75"),
            ("honderd drie", "103"),
        ] {
            assert_eq!(best(text, Nl).as_deref(), Some(value), "{text}");
        }
        // English and French join a whole and a fraction with "and"/"et".
        assert_eq!(best("two and three quarters", En).as_deref(), Some("2.75"));
        assert_eq!(best("deux et trois quarts", Fr).as_deref(), Some("2.75"));
    }

    #[test]
    fn ratios_and_ranks() {
        use Lang::*;
        assert_eq!(
            best("2000 over 3", En).as_deref(),
            Some("666.66666666666666666666666667")
        );
        assert_eq!(best("3 sur 10", Fr).as_deref(), Some("0.3"));
        // "1000 sur 3 ans" is a thousand over three years, no ratio.
        assert_eq!(best("1000 sur 3 ans", Fr).as_deref(), Some("1000"));
        for (text, lang) in [
            ("Book a first class seat", En),
            ("en première classe", Fr),
            ("reizen in eerste klas", Nl),
        ] {
            assert_eq!(best(text, lang), None, "{text}");
        }
        assert_eq!(best("the first of three", En).as_deref(), Some("1"));
    }

    #[test]
    fn english_words() {
        assert_eq!(best("twenty-three", Lang::En).as_deref(), Some("23"));
        assert_eq!(
            best("one hundred and five", Lang::En).as_deref(),
            Some("105")
        );
        assert_eq!(best("two point five", Lang::En).as_deref(), Some("2.5"));
        assert_eq!(best("a dozen eggs", Lang::En).as_deref(), Some("12"));
        assert_eq!(best("three quarters", Lang::En).as_deref(), Some("0.75"));
        assert_eq!(best("the 3rd", Lang::En).as_deref(), Some("3"));
        assert_eq!(best("which one do you want", Lang::En), None);
        assert_eq!(best("1/2", Lang::En).as_deref(), Some("0.5"));
        assert_eq!(best("15/03", Lang::En), None);
    }

    #[test]
    fn shared_word_parser() {
        let input = Input::new("douze euros");
        assert_eq!(
            parse_number_words(&input.tokens, Lang::Fr),
            Some((Decimal::from(12), 1))
        );
        let input = Input::new("vijfentwintig euro");
        assert_eq!(
            parse_number_words(&input.tokens, Lang::Nl),
            Some((Decimal::from(25), 1))
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        // Without "z": "dz" is a dozen.
        fn no_number_in_text_without_vowels_or_digits(s in "[bcdfghjklmnpqrstvwx ,.!?'-]{0,60}") {
            for lang in Lang::ALL {
                prop_assert!(extract(&Input::new(&s), &ctx(lang)).candidates.is_empty());
            }
        }

        #[test]
        fn never_panics_on_fraction_phrases(s in "(minus )?((one|twenty|thirty|honderd|cent|vingt) ){0,4}(and |en |et )?((twenty|thirty|trente|twintig)[ -]?)?(fifths|firsts|cinquiemes|vijfde|kwart|driekwart|over 3|sur [0-9]{1,30})( class| klas)?") {
            for lang in Lang::ALL {
                let _ = extract(&Input::new(&s), &ctx(lang));
            }
        }

        #[test]
        fn never_panics(s in "\\PC{0,60}", digits in "[0-9.,/ ^e-]{0,80}") {
            for lang in Lang::ALL {
                let _ = extract(&Input::new(&s), &ctx(lang));
                let _ = extract(&Input::new(&digits), &ctx(lang));
            }
        }
    }
}
