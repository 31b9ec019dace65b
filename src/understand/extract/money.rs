//! Amounts of money in euros: "12,50 €", "EUR 12.50", "douze euros
//! cinquante", "3 euro en 50 cent", "2 millions d'euros", "50 centimes".
//! A bare number is offered with low confidence, since the slot asked for
//! an amount; percentages and other currencies are not amounts in euros.

use super::number::{self, Atom, AtomKind, Found};
use super::{Candidate, Context, Extraction};
use crate::understand::normalize::Input;
use crate::values::Value;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::OnceLock;

#[derive(Debug, Default)]
struct MoneyWords {
    euro: Vec<Vec<String>>,
    million: Vec<(Decimal, Vec<String>)>,
    cent: Vec<Vec<String>>,
    and: Vec<Vec<String>>,
    of: Vec<Vec<String>>,
    not_money: Vec<Vec<String>>,
    other: Vec<Vec<String>>,
}

fn words() -> &'static MoneyWords {
    static WORDS: OnceLock<MoneyWords> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut w = MoneyWords::default();
        for line in include_str!("../lexicon/money.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let kind = parts.next().unwrap_or("");
            let rest: Vec<String> = parts.map(str::to_string).collect();
            if rest.is_empty() {
                continue;
            }
            match kind {
                "euro" => w.euro.push(rest),
                "million" => {
                    if let Ok(m) = Decimal::from_str(&rest[0]) {
                        w.million.push((m, rest[1..].to_vec()));
                    }
                }
                "cent" => w.cent.push(rest),
                "and" => w.and.push(rest),
                "of" => w.of.push(rest),
                "not-money" => w.not_money.push(rest),
                "other" => w.other.push(rest),
                _ => {}
            }
        }
        w
    })
}

fn atom_text(a: &Atom) -> Option<String> {
    match &a.kind {
        AtomKind::Word(w) => Some(w.clone()),
        AtomKind::Sym(c) => Some(c.to_string()),
        AtomKind::Literal(_) => None,
    }
}

/// Length (in atoms) of the first phrase of `list` found at `at`.
fn phrase_at(atoms: &[Atom], at: usize, list: &[Vec<String>]) -> Option<usize> {
    list.iter()
        .filter(|p| !p.is_empty())
        .find(|p| {
            p.iter()
                .enumerate()
                .all(|(k, w)| atoms.get(at + k).and_then(atom_text).as_deref() == Some(w))
        })
        .map(Vec::len)
}

/// A phrase of `list` that ends just before `at` (for "EUR 1000", "€ 5").
fn phrase_before(atoms: &[Atom], at: usize, list: &[Vec<String>]) -> Option<usize> {
    list.iter()
        .filter(|p| !p.is_empty() && p.len() <= at)
        .find(|p| phrase_at(atoms, at - p.len(), std::slice::from_ref(p)).is_some())
        .map(|p| at - p.len())
}

/// The number ends in a French "cent(s)" that may really be euro cents.
fn ends_in_cent_word(atoms: &[Atom], f: &Found) -> bool {
    f.parsed.end > f.first + 1
        && matches!(
            atoms.get(f.parsed.end - 1).and_then(Atom::word),
            Some("cent" | "cents")
        )
}

struct Amount {
    value: Decimal,
    start: usize,
    end: usize,
    confidence: f32,
    rule: &'static str,
}

pub fn extract(input: &Input, ctx: &Context) -> Extraction {
    let w = words();
    let (atoms, found) = number::scan(input, ctx.lang);
    let mut amounts: Vec<Amount> = Vec::new();
    let mut used_until = 0usize;
    for (n, f) in found.iter().enumerate() {
        if f.first < used_until || f.parsed.ordinal || f.parsed.lone_one {
            continue;
        }
        let mut value = f.parsed.value;
        let mut end_atom = f.parsed.end;
        let mut start = f.start;
        let mut end = f.end;
        let mut marked = false;
        let mut is_cents = false;
        // "pour cent" read as the number "cent".
        if phrase_before(&atoms, end_atom, &w.not_money).is_some_and(|s| s < f.first) {
            continue;
        }
        if let Some(s) = phrase_before(&atoms, f.first, &w.euro) {
            marked = true;
            start = atoms[s].start;
        }
        if phrase_before(&atoms, f.first, &w.other).is_some() {
            continue;
        }
        // After the number: "d'euros", "euro", "MEUR", "cents".
        let mut k = end_atom;
        if let Some(mut of) = phrase_at(&atoms, k, &w.of) {
            // The elision of "d'euros".
            if atoms
                .get(k + of)
                .is_some_and(|a| a.kind == AtomKind::Sym('\''))
            {
                of += 1;
            }
            if phrase_at(&atoms, k + of, &w.euro).is_some() {
                k += of;
            }
        }
        if let Some(len) = phrase_at(&atoms, k, &w.euro) {
            marked = true;
            end = atoms[k + len - 1].end;
            end_atom = k + len;
        } else if let Some((m, len)) = w
            .million
            .iter()
            .find_map(|(m, p)| phrase_at(&atoms, k, std::slice::from_ref(p)).map(|l| (*m, l)))
        {
            marked = true;
            value = value.checked_mul(m).unwrap_or(value);
            end = atoms[k + len - 1].end;
            end_atom = k + len;
        } else if let Some(len) = phrase_at(&atoms, k, &w.cent) {
            marked = true;
            is_cents = true;
            value /= Decimal::ONE_HUNDRED;
            end = atoms[k + len - 1].end;
            end_atom = k + len;
        } else if !marked && ends_in_cent_word(&atoms, f) {
            // "quarante-cinq cents": forty-five euro cents, not 4500.
            if let Some(p) = number::parse_at(&atoms[..f.parsed.end - 1], f.first, ctx.lang) {
                if p.end == f.parsed.end - 1 {
                    value = p.value / Decimal::ONE_HUNDRED;
                    marked = true;
                    is_cents = true;
                }
            }
        }
        if phrase_at(&atoms, end_atom, &w.not_money).is_some()
            || phrase_at(&atoms, end_atom, &w.other).is_some()
        {
            continue;
        }
        // Cents after the euros: "12 euros 50", "vijf euro vijftig", "3 euro en 50 cent".
        if marked && !is_cents {
            let mut k = end_atom;
            if let Some(len) = phrase_at(&atoms, k, &w.and) {
                k += len;
            }
            if let Some(next) = found.get(n + 1).filter(|g| g.first == k) {
                let mut cents = next.parsed.value;
                let mut cents_end = next.end;
                let mut after = next.parsed.end;
                if ends_in_cent_word(&atoms, next) {
                    if let Some(p) =
                        number::parse_at(&atoms[..next.parsed.end - 1], next.first, ctx.lang)
                    {
                        cents = p.value;
                    }
                }
                if let Some(len) = phrase_at(&atoms, after, &w.cent) {
                    cents_end = atoms[after + len - 1].end;
                    after += len;
                }
                if cents.fract().is_zero()
                    && cents >= Decimal::ZERO
                    && cents < Decimal::ONE_HUNDRED
                    && value.fract().is_zero()
                    && !next.parsed.ordinal
                {
                    let cents = cents / Decimal::ONE_HUNDRED;
                    value = if value.is_sign_negative() {
                        value - cents
                    } else {
                        value + cents
                    };
                    end = cents_end;
                    end_atom = after;
                }
            }
        }
        used_until = end_atom;
        let (confidence, rule) = if marked {
            (0.95, "money.currency")
        } else if f.parsed.digits_only {
            // Without a currency a number is an amount only because the
            // bot asked for one: below even odds ("All 70 of us").
            (0.45, "money.bare-number")
        } else {
            (0.4, "money.bare-words")
        };
        amounts.push(Amount {
            value,
            start,
            end,
            confidence,
            rule,
        });
    }
    let mut out = Extraction::default();
    for a in amounts {
        out.candidates.push(Candidate {
            value: Value::Money(a.value.normalize()),
            span: input.folded.original_span(a.start..a.end),
            confidence: a.confidence,
            rule: a.rule.to_string(),
        });
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::Lang;
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

    fn best(text: &str, lang: Lang) -> Option<(String, f32)> {
        let e = extract(&Input::new(text), &ctx(lang));
        e.best().map(|c| match &c.value {
            Value::Money(d) => (d.normalize().to_string(), c.confidence),
            v => (format!("{v:?}"), c.confidence),
        })
    }

    fn amount(text: &str, lang: Lang) -> Option<String> {
        best(text, lang).map(|b| b.0)
    }

    #[test]
    fn amounts_in_french() {
        assert_eq!(
            amount("ça coûte 12,50 €", Lang::Fr).as_deref(),
            Some("12.5")
        );
        assert_eq!(amount("1.234,56 €", Lang::Fr).as_deref(), Some("1234.56"));
        assert_eq!(amount("12 euros 50", Lang::Fr).as_deref(), Some("12.5"));
        assert_eq!(
            amount("douze euros cinquante", Lang::Fr).as_deref(),
            Some("12.5")
        );
        assert_eq!(
            amount("2 millions d'euros", Lang::Fr).as_deref(),
            Some("2000000")
        );
        assert_eq!(amount("50 centimes", Lang::Fr).as_deref(), Some("0.5"));
        assert_eq!(
            amount("treize euros et quarante-cinq cents", Lang::Fr).as_deref(),
            Some("13.45")
        );
        assert_eq!(best("pour cent", Lang::Fr), None);
        assert_eq!(best("une hausse de 8 %", Lang::Fr), None);
    }

    #[test]
    fn amounts_in_dutch_and_english() {
        assert_eq!(
            amount("twaalf euro vijftig", Lang::Nl).as_deref(),
            Some("12.5")
        );
        assert_eq!(amount("€ 24,- graag", Lang::Nl).as_deref(), Some("24"));
        assert_eq!(
            amount("3 euro en 50 cent", Lang::Nl).as_deref(),
            Some("3.5")
        );
        assert_eq!(amount("€12.50", Lang::En).as_deref(), Some("12.5"));
        assert_eq!(amount("EUR 12.50", Lang::En).as_deref(), Some("12.5"));
        assert_eq!(amount("12.50 EUR", Lang::En).as_deref(), Some("12.5"));
        assert_eq!(amount("fifteen euros", Lang::En).as_deref(), Some("15"));
        assert_eq!(amount("50 cents", Lang::En).as_deref(), Some("0.5"));
    }

    #[test]
    fn a_bare_number_is_a_weak_candidate() {
        assert_eq!(best("15", Lang::Fr), Some(("15".to_string(), 0.45)));
        assert_eq!(best("I paid $20", Lang::En), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(s in "\\PC{0,60}", t in "[0-9€ ,.a-z-]{0,60}") {
            for lang in Lang::ALL {
                let _ = extract(&Input::new(&s), &ctx(lang));
                let _ = extract(&Input::new(&t), &ctx(lang));
            }
        }
    }
}
