//! The grammar over atoms: a sign, a cardinal (`cardinal.rs`), then
//! decimals, fractions or a multiplier (`fraction.rs`), and how sure the
//! reading is.

use super::lexicon::{Kind, Lexicon, Word};
use super::{Atom, AtomKind, Literal};
use crate::values::Lang;
use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Piece {
    One,
    Article,
    Small,
    Hundred,
    Scale,
    Dozen,
    Literal,
}

#[derive(Debug, Clone)]
pub(super) struct Core {
    pub(super) value: Decimal,
    pub(super) end: usize,
    pub(super) ordinal: bool,
    /// The ordinal was a plural denominator ("fifths"): never "fifth".
    pub(super) pieces: Vec<(Piece, bool)>,
    pub(super) last_scale: Option<Decimal>,
    pub(super) ended_with_scale: bool,
}

pub(super) struct Grammar<'a> {
    pub(super) atoms: &'a [Atom],
    pub(super) lex: &'a Lexicon,
    pub(super) lang: Lang,
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
    pub(super) fn word_at(&self, i: usize, limit: usize) -> Option<(Word, usize)> {
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

    pub(super) fn kind_at(&self, i: usize, limit: usize) -> Option<Kind> {
        self.word_at(i, limit).map(|(w, _)| w.kind)
    }

    pub(super) fn literal_at(&self, i: usize, limit: usize) -> Option<&Literal> {
        if i >= limit {
            return None;
        }
        match &self.atoms.get(i)?.kind {
            AtomKind::Literal(l) if !l.rejected => Some(l),
            _ => None,
        }
    }

    /// Whether a number component starts at `i` (for "and" and hyphens).
    pub(super) fn component_at(&self, i: usize, limit: usize) -> bool {
        self.literal_at(i, limit).is_some_and(|l| !l.slash)
            || matches!(
                self.kind_at(i, limit),
                Some(Kind::Small | Kind::One | Kind::Hundred | Kind::Scale | Kind::Value)
            )
    }

    /// A cardinal (possibly ending in an ordinal word) starting at `i`.
    pub(super) fn parse(&self, i: usize, limit: usize) -> Option<Parsed> {
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

    pub(super) fn unsigned(&self, j: usize, limit: usize) -> Option<Parsed> {
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
