//! Fractions ("trois quarts", "anderhalf", "one and a half", "demi"),
//! decimals read aloud ("deux virgule cinq", "twee komma vijf") and
//! multipliers after a number ("3 millions", "twee dozijn").

use super::grammar::{Grammar, Piece};
use super::lexicon::Kind;
use crate::values::Lang;
use rust_decimal::Decimal;

impl Grammar<'_> {
    /// Whether a fraction phrase ("trois quarts", "a half") starts at `i`
    /// and goes past a plain cardinal.
    pub(super) fn fraction_follows(&self, i: usize, limit: usize) -> bool {
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
    pub(super) fn proper_fraction_follows(&self, i: usize, limit: usize) -> bool {
        self.fraction_phrase(i, limit)
            .is_some_and(|(f, _)| f < Decimal::ONE)
    }

    /// A denominator written as a tens word and a plural unit ordinal:
    /// "twenty-firsts", "thirty fifths" (not in Dutch, which writes
    /// "vijfendertigste" as one word).
    pub(super) fn compound_denominator(&self, i: usize, limit: usize) -> Option<(Decimal, usize)> {
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
    pub(super) fn denominator(
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
    pub(super) fn fraction_phrase(&self, i: usize, limit: usize) -> Option<(Decimal, usize)> {
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
    pub(super) fn multiplier_after(&self, mut k: usize, limit: usize) -> Option<(Decimal, usize)> {
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
    pub(super) fn decimals(&self, mut k: usize, limit: usize) -> Option<(String, usize)> {
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
}
