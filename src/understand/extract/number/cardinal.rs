//! Cardinals in words and digits: French (Belgian "septante", "nonante",
//! Swiss "huitante", and "quatre-vingt-dix"), Dutch compounds
//! ("drieëntwintig", "tweehonderdvijftig") and English ("two hundred
//! and fifty"), ending maybe in an ordinal ("vingt et unième").

use super::grammar::{Core, Grammar, Piece};
use super::lexicon::Kind;
use crate::values::Lang;
use rust_decimal::Decimal;

impl Grammar<'_> {
    /// A cardinal (possibly ending in an ordinal word) starting at `i`.
    pub(super) fn core(&self, i: usize, limit: usize) -> Option<Core> {
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
                // Also before "et" in the hyphenated spelling ("vingt-et-un",
                // the 1990 reform's "trente-et-un").
                let and_hyphen = self.kind_at(j + 1, limit) == Some(Kind::And)
                    && self.atoms.get(j + 2).is_some_and(|a| a.is_sym('-'))
                    && self.component_at(j + 3, limit);
                if self.atoms.get(j).is_some_and(|a| a.is_sym('-'))
                    && !pieces.is_empty()
                    && (self.component_at(j + 1, limit) || and_hyphen)
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
                    // "vingt-et-un": the hyphen after "et" joins it too.
                    let after = if self.atoms.get(next).is_some_and(|a| a.is_sym('-')) {
                        next + 1
                    } else {
                        next
                    };
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
}
