//! Phone numbers. Belgian numbers in every common writing ("0470 12 34 56",
//! "0470/12.34.56", "+32 470 12 34 56", "0032470123456", "02/226.88.88")
//! and foreign numbers with their international prefix ("+33 6 12 34 56 78",
//! "(+31)12-3456789"), normalised to E.164 ("+32470123456").
//!
//! Belgian numbering (BIPT): the national form has a trunk 0; landlines have
//! 9 digits with it (zones 02, 03, 04, 09 and two-digit zones like 071),
//! mobiles 10 digits starting 045-049. A number written without a prefix is
//! read as Belgian first. One that is no valid Belgian number is read in the
//! numbering plans of the citizen's language (`lexicon/phone_plans.txt`:
//! French numbers for French, Dutch for Dutch, British, Irish then North
//! American for English): "06 12 34 56 78" is +33612345678 for a French
//! speaker, "06-12345678" +31612345678 for a Dutch one, "07700 900123"
//! +447700900123 in English. When several countries fit, or a number written
//! the French way in pairs is also a Belgian mobile, the first reading is
//! the candidate and the others come in `Extraction::ambiguous`, for the
//! slot to ask back. A national number that fits none of the language's
//! plans is read in the plan of another country it fits ("0176 12345678" is
//! a German mobile for everyone), a two-digit area code in brackets as
//! Brazil's ("(21) 99713-3601"); digits are never dropped to make a number
//! fit. A run that fits nowhere is kept as its digits, without a country,
//! when the words before it say it is a phone ("my phone number is
//! 280930640") or it is grouped as a country groups its phone numbers
//! ("(123) 456-7890"), and refused as malformed otherwise.

use super::phone_plans::plans;
use super::{Candidate, Context, Extraction, Reason, Rejected};
use crate::understand::normalize::Input;
use crate::values::{Lang, Value};
use std::ops::Range;

/// E.164 allows 15 digits; "00" and a trunk "(0)" may come on top.
const MAX_DIGITS: usize = 18;
/// Longest stretch of punctuation inside a number: " / ", ") " , "-(".
const MAX_GAP: usize = 3;
const BELGIUM: &str = "32";
/// Countries without a trunk prefix whose numbers keep their leading 0
/// after the country code: Italy, San Marino, the Vatican ("+39 06...").
pub const LEADING_ZERO_KEPT: &[&str] = &["39", "378", "379"];
/// A number kept as its digits, country unknown, has this many at most
/// (E.164) and at least this many.
const AS_WRITTEN: std::ops::RangeInclusive<usize> = 6..=15;

/// A digit group with the punctuation typed before it (within the run).
#[derive(Debug, Clone)]
struct Group {
    digits: Range<usize>,
    prefix: Range<usize>,
}

fn is_phone_punct(b: u8) -> bool {
    matches!(b, b' ' | b'.' | b'/' | b'-' | b'(' | b')' | b'+')
}

/// Runs of digit groups joined by short punctuation, starting at a word
/// boundary so "BE68" or "n123" do not start a number.
fn runs(text: &str) -> Vec<Vec<Group>> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Digits start a number only at a word boundary; "+" and "(" do
        // so anywhere ("is(+45)...", "is+45...").
        let starts = matches!(bytes[i], b'+' | b'(')
            || (bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()));
        // "-2208960000" is a negative amount, "P0-001-000016155" a code.
        let after_dash = i > 0
            && bytes[i - 1] == b'-'
            && (i == 1 || bytes[i - 2].is_ascii_whitespace() || bytes[i - 2].is_ascii_digit());
        // "-77.0340": the decimals of a number are no number of their own.
        let decimals =
            i > 1 && matches!(bytes[i - 1], b'.' | b',') && bytes[i - 2].is_ascii_digit();
        let starts = starts && !(bytes[i].is_ascii_digit() && (after_dash || decimals));
        if !starts {
            i += 1;
            continue;
        }
        let mut groups = Vec::new();
        let mut gap_start = i;
        let mut j = i;
        loop {
            while j < bytes.len() && is_phone_punct(bytes[j]) && j - gap_start < MAX_GAP + 1 {
                j += 1;
            }
            if j >= bytes.len() || !bytes[j].is_ascii_digit() || j - gap_start > MAX_GAP {
                break;
            }
            let start = j;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            groups.push(Group {
                digits: start..j,
                prefix: gap_start..start,
            });
            gap_start = j;
            if groups.len() > MAX_DIGITS {
                break;
            }
        }
        // A number glued to letters ("12abc", "100731-SW") is a code.
        let glued = (j < bytes.len() && bytes[j].is_ascii_alphabetic() && gap_start == j)
            || (bytes.get(j) == Some(&b'-')
                && bytes.get(j + 1).is_some_and(u8::is_ascii_alphabetic));
        if !groups.is_empty() && !glued {
            runs.push(groups);
        }
        i = j.max(i + 1);
    }
    runs
}

/// The length of the ITU country code at the start of `digits`.
pub fn country_code_len(digits: &str) -> Option<usize> {
    const TWO_DIGIT: &[&str] = &[
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46",
        "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63",
        "64", "65", "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];
    let first = digits.as_bytes().first()?;
    match first {
        b'1' | b'7' => Some(1),
        b'0' => None,
        _ if digits.get(..2).is_some_and(|p| TWO_DIGIT.contains(&p)) => Some(2),
        _ if digits.len() >= 3 => Some(3),
        _ => None,
    }
}

/// Whether a Belgian national significant number (without the trunk 0) can
/// be dialled: 8 digits for a landline or special range, 9 for a mobile.
fn belgian_nsn_valid(nsn: &str) -> bool {
    let b = nsn.as_bytes();
    match b.len() {
        // 045-049 are mobile prefixes, so an 8-digit number there lacks a digit.
        8 => b[0] != b'0' && !(b[0] == b'4' && (b'5'..=b'9').contains(&b[1])),
        9 => b[0] == b'4' && (b'5'..=b'9').contains(&b[1]),
        _ => false,
    }
}

enum Reading {
    /// `others`: as plausible readings in other countries, best first.
    Number {
        e164: String,
        /// `phone_be`, `phone_international` or `phone_national` (another
        /// country's national form).
        rule: &'static str,
        others: Vec<String>,
    },
    Malformed,
    NotAPhone,
}

/// "12/03/2024", "3-5-24": dates share the phone's punctuation.
fn looks_like_date(raw: &str) -> bool {
    let parts: Vec<&str> = raw.split(['/', '.', '-']).map(str::trim).collect();
    (parts.len() == 2 || parts.len() == 3)
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && parts[0].len() <= 2
        && parts[1].len() <= 2
        && parts.get(2).is_none_or(|y| y.len() == 2 || y.len() == 4)
}

fn read(text: &str, groups: &[Group], lang: Lang) -> Reading {
    let (Some(first), Some(last)) = (groups.first(), groups.last()) else {
        return Reading::NotAPhone;
    };
    let raw = text.get(first.digits.start..last.digits.end).unwrap_or("");
    if looks_like_date(raw) {
        return Reading::NotAPhone;
    }
    let lead = text.get(first.prefix.clone()).unwrap_or("");
    // "(45)+(31)": a plus inside the run is arithmetic.
    if groups[1..]
        .iter()
        .any(|g| text.get(g.prefix.clone()).is_some_and(|p| p.contains('+')))
    {
        return Reading::NotAPhone;
    }
    let mut digits = String::new();
    for (k, g) in groups.iter().enumerate() {
        let d = text.get(g.digits.clone()).unwrap_or("");
        let before = text.get(g.prefix.clone()).unwrap_or("");
        let after = groups
            .get(k + 1)
            .and_then(|n| text.get(n.prefix.clone()))
            .unwrap_or("");
        // "+32 (0)470...": a trunk zero in brackets after the country code.
        if k > 0 && d == "0" && before.ends_with('(') && after.starts_with(')') {
            continue;
        }
        digits.push_str(d);
    }
    if digits.len() > MAX_DIGITS || digits.len() < 3 {
        return Reading::NotAPhone;
    }
    // "45+31": a plus between digits is arithmetic, not a prefix.
    let plus_prefix = lead.find('+').is_some_and(|k| {
        let at = first.prefix.start + k;
        at == 0 || !text.as_bytes()[at - 1].is_ascii_digit()
    });
    let international = if plus_prefix {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    if let Some(full) = international {
        let Some(cc_len) = country_code_len(full) else {
            return Reading::NotAPhone;
        };
        let (cc, nsn) = full.split_at(cc_len);
        // "+32 0470...": a trunk zero typed after the country code anyway;
        // Italy has none, and its landlines keep their 0 ("+39 06...").
        let nsn = match nsn.strip_prefix('0') {
            Some(rest) if !LEADING_ZERO_KEPT.contains(&cc) => rest,
            _ => nsn,
        };
        if cc == BELGIUM {
            return if belgian_nsn_valid(nsn) {
                Reading::Number {
                    e164: format!("+{cc}{nsn}"),
                    rule: "phone_be",
                    others: Vec::new(),
                }
            } else {
                Reading::Malformed
            };
        }
        return if nsn.len() >= 6 && cc.len() + nsn.len() <= 15 {
            Reading::Number {
                e164: format!("+{cc}{nsn}"),
                rule: "phone_international",
                others: Vec::new(),
            }
        } else {
            Reading::Malformed
        };
    }
    // "(21) 99713-3601": the area code in brackets, as its country writes it.
    let bracketed = (groups.len() > 1
        && lead.contains('(')
        && text
            .get(groups[1].prefix.clone())
            .is_some_and(|p| p.contains(')')))
    .then(|| first.digits.len());
    national(&digits, groups, bracketed, lang)
}

/// A national number in the plans of the countries the citizen's language
/// does not read: the country whose grouping it follows first, then the
/// longest matching prefix, then the order of `elsewhere`.
fn elsewhere(digits: &str, lengths: &[usize], lang: Lang) -> Vec<String> {
    let plans = plans();
    let nsn = digits.strip_prefix('0').unwrap_or(digits);
    let mut fits: Vec<(bool, usize, usize, String)> = Vec::new();
    for (order, country) in plans.elsewhere().iter().enumerate() {
        if plans.countries(lang).contains(country) {
            continue;
        }
        for plan in plans.of(country) {
            if plan.trunk != "0" || !digits.starts_with('0') || !plan.fits(nsn) {
                continue;
            }
            let styled = plans.written_as_in(country, lengths);
            fits.push((
                styled,
                plan.prefix_len(nsn),
                order,
                format!("+{}{nsn}", plan.code),
            ));
        }
    }
    fits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut out: Vec<String> = Vec::new();
    for (.., e164) in fits {
        if !out.contains(&e164) {
            out.push(e164);
        }
    }
    out
}

/// A number without an international prefix: Belgian, else in the plans
/// of the citizen's language.
fn national(digits: &str, groups: &[Group], bracketed: Option<usize>, lang: Lang) -> Reading {
    let plans = plans();
    let mut readings: Vec<String> = Vec::new();
    if let Some(country) = bracketed
        .filter(|_| !digits.starts_with('0'))
        .and_then(|len| plans.bracketed(len))
    {
        if let Some(plan) = plans.of(country).find(|p| p.fits(digits)) {
            return Reading::Number {
                e164: format!("+{}{digits}", plan.code),
                rule: "phone_national",
                others: Vec::new(),
            };
        }
    }
    for country in plans.countries(lang) {
        for plan in plans.of(country) {
            // North America writes no trunk prefix as often as it writes one.
            let whole = (plan.trunk != "0").then_some(digits);
            let Some(nsn) = [digits.strip_prefix(plan.trunk.as_str()), whole]
                .into_iter()
                .flatten()
                .find(|nsn| plan.fits(nsn))
            else {
                continue;
            };
            let e164 = format!("+{}{nsn}", plan.code);
            if !readings.contains(&e164) {
                readings.push(e164);
            }
        }
    }
    // Without a trunk 0 only the plans that write none can read it.
    if !digits.starts_with('0') {
        if digits.len() < 10 || readings.is_empty() {
            return Reading::NotAPhone;
        }
        let e164 = readings.remove(0);
        return Reading::Number {
            e164,
            rule: "phone_national",
            others: readings,
        };
    }
    let lengths: Vec<usize> = groups.iter().map(|g| g.digits.len()).collect();
    let nsn = &digits[1..];
    if belgian_nsn_valid(nsn) {
        let be = format!("+{BELGIUM}{nsn}");
        // "04 91 23 45 67": written in French pairs, it is first Marseille.
        let foreign_style = plans
            .countries(lang)
            .iter()
            .find(|c| plans.written_as_in(c, &lengths) && plans.of(c).any(|p| p.fits(nsn)));
        if let Some(country) = foreign_style {
            if let Some(code) = plans.of(country).next().map(|p| p.code.clone()) {
                return Reading::Number {
                    e164: format!("+{code}{nsn}"),
                    rule: "phone_national",
                    others: vec![be],
                };
            }
        }
        return Reading::Number {
            e164: be,
            rule: "phone_be",
            others: Vec::new(),
        };
    }
    if !readings.is_empty() {
        let e164 = readings.remove(0);
        return Reading::Number {
            e164,
            rule: "phone_national",
            others: readings,
        };
    }
    // "0470 12 34", "0470 12 34 56 7": a Belgian mobile digits short or
    // long is a typo, not another country's number.
    let b = nsn.as_bytes();
    let belgian_mobile = b.len() >= 2 && b[0] == b'4' && (b'5'..=b'9').contains(&b[1]);
    if !belgian_mobile {
        let mut others = elsewhere(digits, &lengths, lang);
        if !others.is_empty() {
            let e164 = others.remove(0);
            return Reading::Number {
                e164,
                rule: "phone_national",
                others,
            };
        }
    }
    if (7..=12).contains(&digits.len()) {
        Reading::Malformed
    } else {
        Reading::NotAPhone
    }
}

/// One number read from groups `from..=to` of a run.
struct Piece {
    from: usize,
    to: usize,
    e164: String,
    rule: &'static str,
    others: Vec<String>,
}

fn is_date(text: &str, groups: &[Group]) -> bool {
    match (groups.first(), groups.last()) {
        (Some(f), Some(l)) => looks_like_date(text.get(f.digits.start..l.digits.end).unwrap_or("")),
        _ => false,
    }
}

/// The numbers that together take every group of the run, longest first
/// ("0470 12 34 56 / +32 2 226 88 88"), or none: a reading that leaves digits
/// of the run out ("0176 12 34 56" of "0176 12 34 56 78") is no reading. Only
/// a date before or after the numbers may be left out ("le 12/03 0470...").
fn cover(text: &str, groups: &[Group], lang: Lang) -> Option<Vec<Piece>> {
    let starts = (0..groups.len()).filter(|&s| s == 0 || is_date(text, &groups[..s]));
    'start: for start in starts {
        let mut pieces = Vec::new();
        let mut i = start;
        while i < groups.len() {
            let piece =
                (i..groups.len())
                    .rev()
                    .find_map(|j| match read(text, &groups[i..=j], lang) {
                        Reading::Number { e164, rule, others } => Some(Piece {
                            from: i,
                            to: j,
                            e164,
                            rule,
                            others,
                        }),
                        _ => None,
                    });
            match piece {
                Some(p) => {
                    i = p.to + 1;
                    pieces.push(p);
                }
                None if !pieces.is_empty() && is_date(text, &groups[i..]) => break,
                None => continue 'start,
            }
        }
        return Some(pieces);
    }
    None
}

/// Whether the words just before `at` say a phone number follows.
fn cued(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("");
    let words: Vec<&str> = before
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // "my phone number is", "mon numéro de téléphone c'est le".
    let near = &words[words.len().saturating_sub(8)..];
    // "these are not phone numbers: 1 506 64".
    let negated = near.iter().any(|w| {
        matches!(
            *w,
            "not" | "pas" | "niet" | "geen" | "aucun" | "never" | "jamais" | "nooit"
        )
    });
    // Between the cue and the digits only small words ("is", "c'est le",
    // "me at") and the word for number.
    let small = |w: &&&str| {
        w.chars().count() <= 3 || matches!(**w, "number" | "numbers" | "numero" | "nummer")
    };
    let skippable = words.iter().rev().take(4).take_while(small).count();
    !negated && (0..=skippable).any(|k| plans().cued(&words[..words.len() - k]))
}

pub fn extract(input: &Input, ctx: &Context) -> Extraction {
    let text = &input.folded.text;
    let mut found = Extraction::default();
    let mut alternatives: Vec<Candidate> = Vec::new();
    for groups in runs(text) {
        let Some(last) = groups.len().checked_sub(1) else {
            continue;
        };
        if let Some(pieces) = cover(text, &groups, ctx.lang) {
            for Piece {
                from,
                to,
                e164,
                rule,
                others,
            } in pieces
            {
                let start = span_start(text, &groups[from]);
                let end = span_end(text, &groups[to]);
                let span = input.folded.original_span(start..end);
                let confidence = match rule {
                    "phone_be" => 1.0,
                    "phone_international" => 0.9,
                    _ => 0.8,
                };
                for other in others {
                    alternatives.push(Candidate {
                        value: Value::text(other),
                        span: span.clone(),
                        confidence,
                        rule: format!("{rule}:alternative"),
                    });
                }
                found.candidates.push(Candidate {
                    value: Value::text(e164),
                    span,
                    confidence,
                    rule: rule.to_string(),
                });
            }
            continue;
        }
        let first = &groups[0];
        let plus = text
            .get(first.prefix.clone())
            .and_then(|p| p.find('+'))
            .map(|k| first.prefix.start + k);
        match read(text, &groups, ctx.lang) {
            Reading::Malformed => found.rejected.push(Rejected {
                span: input
                    .folded
                    .original_span(plus.unwrap_or(first.digits.start)..groups[last].digits.end),
                reason: Reason::MalformedPhone,
            }),
            // Digits no plan reads, said to be a phone: kept as written.
            Reading::NotAPhone if plus.is_none() => {
                let digits: String = groups
                    .iter()
                    .filter_map(|g| text.get(g.digits.clone()))
                    .collect();
                let start = span_start(text, first);
                let lengths: Vec<usize> = groups.iter().map(|g| g.digits.len()).collect();
                if AS_WRITTEN.contains(&digits.len())
                    && !is_date(text, &groups)
                    && (cued(text, start) || plans().written_as_phone(&lengths))
                {
                    found.candidates.push(Candidate {
                        value: Value::text(digits),
                        span: input
                            .folded
                            .original_span(start..span_end(text, &groups[last])),
                        confidence: 0.6,
                        rule: "phone_as_written".into(),
                    });
                }
            }
            _ => {}
        }
    }
    found.sort();
    if let Some(best) = found.best() {
        found.ambiguous = alternatives
            .into_iter()
            .filter(|a| a.span == best.span && a.value != best.value)
            .collect();
    }
    found
}

/// Where the number begins: at a "+" or "(" typed before the first digits.
fn span_start(text: &str, first: &Group) -> usize {
    let prefix = text.get(first.prefix.clone()).unwrap_or("");
    match prefix.find(['+', '(']) {
        Some(k) => first.prefix.start + k,
        None => first.digits.start,
    }
}

/// Where the number ends: after the last digit, or after a bracket closing
/// one opened inside the number.
fn span_end(text: &str, last: &Group) -> usize {
    let end = last.digits.end;
    let opened = text
        .get(..last.digits.start)
        .map_or(0, |t| t.matches('(').count());
    let closed = text
        .get(..last.digits.start)
        .map_or(0, |t| t.matches(')').count());
    if opened > closed && text.as_bytes().get(end) == Some(&b')') {
        end + 1
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::extract::test_support;
    use crate::values::Lang;
    use proptest::prelude::*;

    fn ctx() -> Context<'static> {
        test_support::context(Lang::Fr)
    }

    fn best(text: &str) -> Option<(String, String)> {
        test_support::best_text(&extract(&Input::new(text), &ctx()), text)
    }

    fn value(text: &str) -> Option<String> {
        best(text).map(|b| b.0)
    }

    fn rejected(text: &str) -> Vec<Reason> {
        test_support::reasons(&extract(&Input::new(text), &ctx()))
    }

    #[test]
    fn belgian_mobiles_in_every_writing() {
        for text in [
            "mon numéro est le 0470 12 34 56",
            "0470/12.34.56",
            "bel me op +32 470 12 34 56 aub",
            "call me at 0032470123456",
            "0470123456",
            "+32 (0)470 12 34 56",
            "+32 0470 12 34 56",
            "0470-12-34-56.",
        ] {
            assert_eq!(value(text).as_deref(), Some("+32470123456"), "{text}");
        }
        assert_eq!(
            best("mon gsm: 0470 12 34 56, merci").unwrap().1,
            "0470 12 34 56"
        );
    }

    #[test]
    fn belgian_landlines() {
        assert_eq!(value("02 226 88 88").as_deref(), Some("+3222268888"));
        assert_eq!(value("02/226.88.88").as_deref(), Some("+3222268888"));
        assert_eq!(
            value("mijn nummer is 071 12 34 56").as_deref(),
            Some("+3271123456")
        );
        assert_eq!(value("04 223 45 67").as_deref(), Some("+3242234567"));
    }

    #[test]
    fn foreign_numbers_with_prefix() {
        assert_eq!(value("+33 6 12 34 56 78").as_deref(), Some("+33612345678"));
        assert_eq!(
            best("Tel: (+31)12-3456789.").unwrap(),
            ("+31123456789".into(), "(+31)12-3456789".into())
        );
        assert_eq!(value("+1 541-754-3010").as_deref(), Some("+15417543010"));
    }

    #[test]
    fn prefixes_glued_to_words_and_sums() {
        assert_eq!(
            best("My phone number is(+45)12-34-56-78.").unwrap(),
            ("+4512345678".into(), "(+45)12-34-56-78".into())
        );
        assert_eq!(
            value("mijn nummer is+32470123456").as_deref(),
            Some("+32470123456")
        );
        assert_eq!(value("Formula 45+31-339243873 is not a phone number"), None);
    }

    #[test]
    fn wrong_digit_counts_are_refused() {
        assert_eq!(value("0470 12 34 5"), None);
        assert_eq!(rejected("0470 12 34 5"), [Reason::MalformedPhone]);
        assert_eq!(rejected("+32 470 12 34"), [Reason::MalformedPhone]);
    }

    #[test]
    fn dates_and_amounts_are_not_phones() {
        for text in [
            "né le 01/02/2024",
            "le 03.05.2024",
            "ça coûte 0,50 €",
            "12.50 euros",
            "à 08:30",
        ] {
            assert_eq!(value(text), None, "{text}");
            assert!(rejected(text).is_empty(), "{text}");
        }
    }

    fn in_lang(text: &str, lang: Lang) -> (Option<String>, Vec<String>) {
        let out = extract(&Input::new(text), &test_support::context(lang));
        let text_of = |c: &Candidate| match &c.value {
            Value::Text(t) => t.clone(),
            other => format!("{other:?}"),
        };
        (
            out.best().map(text_of),
            out.ambiguous.iter().map(text_of).collect(),
        )
    }

    #[test]
    fn national_numbers_of_other_countries_in_the_citizens_language() {
        use Lang::*;
        for (text, lang, e164) in [
            ("mon numéro est le 06 12 34 56 78", Fr, "+33612345678"),
            ("01 42 68 53 00", Fr, "+33142685300"),
            ("06-12345678", Nl, "+31612345678"),
            ("020-1234567", Nl, "+31201234567"),
            ("07700 900123", En, "+447700900123"),
            ("call me on 020 7946 0958", En, "+442079460958"),
            ("(555) 123-4567", En, "+15551234567"),
            ("1-541-754-3010", En, "+15417543010"),
            ("my number is 085 123 4567", En, "+353851234567"),
            // Belgian numbers stay Belgian in every language.
            ("0470 12 34 56", Fr, "+32470123456"),
            ("0470 12 34 56", En, "+32470123456"),
            ("09 123 45 67", Nl, "+3291234567"),
        ] {
            assert_eq!(in_lang(text, lang).0.as_deref(), Some(e164), "{text}");
        }
        // Only the citizen's own countries: a Dutch mobile is not French.
        assert_eq!(
            in_lang("06-12345678", Fr).0.as_deref(),
            Some("+33612345678")
        );
        assert_ne!(
            in_lang("06-12345678", En).0.as_deref(),
            Some("+31612345678")
        );
    }

    #[test]
    fn numbers_two_countries_can_read_are_offered_both() {
        use Lang::*;
        // Five pairs are the French way; 0491 is also a Belgian mobile.
        assert_eq!(
            in_lang("04 91 23 45 67", Fr),
            (Some("+33491234567".into()), vec!["+32491234567".into()])
        );
        // Written the Belgian way it is Belgian, and nothing else.
        assert_eq!(
            in_lang("0491 23 45 67", Fr),
            (Some("+32491234567".into()), vec![])
        );
    }

    #[test]
    fn numbers_of_countries_outside_the_citizens_plans_keep_every_digit() {
        use Lang::*;
        for (text, lang, e164) in [
            // Germany's mobiles, whatever the citizen's language.
            ("0176 12 34 56 78", En, "+4917612345678"),
            ("0162 123 45 67", Nl, "+491621234567"),
            ("0176-12345678", Fr, "+4917612345678"),
            // Turkish grouping, Brazil's bracketed area codes.
            ("0532 123 45 67", Fr, "+905321234567"),
            ("(21)99713-3601", En, "+5521997133601"),
            ("( 19 ) 38294427", Fr, "+551938294427"),
            // International prefixes with a trunk (0); Italy keeps its 0.
            ("00 44 (0)20 7946 0123", Nl, "+442079460123"),
            ("+39 06 1234 5678", En, "+390612345678"),
        ] {
            assert_eq!(in_lang(text, lang).0.as_deref(), Some(e164), "{text}");
        }
        // A Belgian mobile with a digit too many is refused, not read abroad.
        assert_eq!(in_lang("0470 12 34 56 7", Fr).0, None);
        assert_eq!(in_lang("0470 12 34", Fr).0, None);
        assert_eq!(rejected("0470 12 34 56 7"), [Reason::MalformedPhone]);
    }

    #[test]
    fn digits_said_to_be_a_phone_are_kept_as_written() {
        use Lang::*;
        assert_eq!(
            in_lang("My phone number is 280930640.", En).0.as_deref(),
            Some("280930640")
        );
        assert_eq!(
            in_lang("mijn gsm-nummer is 612 34 56 78", Nl).0.as_deref(),
            Some("612345678")
        );
        assert_eq!(
            in_lang("call me at (123) 456-7890", En).0.as_deref(),
            Some("1234567890")
        );
        // Without a cue, or with a negated one, digits are no phone.
        for text in [
            "mon numéro de dossier est 280930640",
            "these are not phone numbers: 1 506 64",
            "-2208960000 is not a phone number",
            "P0-001-000016155-9",
            "-77.034040723966",
        ] {
            assert_eq!(in_lang(text, En).0, None, "{text}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// National numbers written as each country writes them read back
        /// as E.164 in the citizen's language.
        #[test]
        fn national_forms_read_back(d in "[0-9]{8}", mobile in "[67]", uk in "[1-9]") {
            let pairs = |s: &str| s.as_bytes().chunks(2).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
            for (text, lang, want) in [
                (format!("0{mobile} {}", pairs(&d)), Lang::Fr, format!("+33{mobile}{d}")),
                (format!("06-{d}"), Lang::Nl, format!("+316{d}")),
                (format!("07{uk}{} {}", &d[..2], &d[2..]), Lang::En, format!("+447{uk}{d}")),
                (format!("0470 {} {} {}", &d[..2], &d[2..4], &d[4..6]), Lang::En, format!("+32470{}", &d[..6])),
            ] {
                prop_assert_eq!(in_lang(&text, lang).0, Some(want), "{}", text);
            }
        }

        #[test]
        fn never_panics(s in "\\PC{0,80}|[0-9 +()./\\-]{0,60}") {
            let _ = extract(&Input::new(&s), &ctx());
        }
    }
}
