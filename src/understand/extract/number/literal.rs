//! Digits with their separators, read by language: decimal comma or point,
//! thousands in dots, commas or spaces ("1.250,50", "1 250", "1,250.50"),
//! exponents, powers, slash fractions and ordinal suffixes ("3e", "3rd").

use super::atoms::{digit_run, is_upper};
use super::{lexicon, Literal, MAX_DIGITS};
use crate::understand::normalize::Folded;
use crate::values::Lang;
use rust_decimal::Decimal;
use std::str::FromStr;

/// Reads digits with grouping and decimal marks, then an exponent, a power,
/// a slash fraction or a suffix. Returns the literal and the next char index.
pub(super) fn scan_literal(
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

pub(super) fn multiplier(word: &str, upper: bool) -> Option<Decimal> {
    lexicon::common()
        .suffixes
        .iter()
        .find(|(w, _, needs_upper)| w == word && (upper || !needs_upper))
        .map(|(_, m, _)| *m)
}

pub(super) fn read_exponent(chars: &[(usize, char)], mut i: usize) -> Option<(u32, bool, usize)> {
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

pub(super) fn scale_by_ten(v: Decimal, exp: u32, negative: bool) -> Option<Decimal> {
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

pub(super) fn power(base: Decimal, exp: u32, negative: bool) -> Option<Decimal> {
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
pub(super) fn interpret_groups(groups: &[String], seps: &[char], lang: Lang) -> Option<Decimal> {
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
