//! IBANs of any country, typed with or without spaces, dots or dashes, in
//! any case ("be68 5390 0754 7034"). Normal form: upper case, no spaces.

use super::{Candidate, Context, Extraction, Reason, Rejected};
use crate::understand::normalize::Input;
use crate::values::checkdigits::{iban_bban_accepts, iban_length, iban_valid};
use crate::values::Value;
use std::ops::Range;

/// Fewer characters than this after a country code is a word, not an
/// attempt at an IBAN ("be12" in a sentence).
const MIN_ATTEMPT: usize = 12;

fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'.' | b'-')
}

enum Scan {
    Complete(String, Range<usize>),
    TooShort(Range<usize>),
    TooLong(Range<usize>),
    NotAnIban,
}

/// Reads an IBAN starting at folded byte `start` (the country code).
fn scan(bytes: &[u8], start: usize) -> Scan {
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    if !(at(start).is_ascii_alphabetic() && at(start + 1).is_ascii_alphabetic()) {
        return Scan::NotAnIban;
    }
    let country = [
        at(start).to_ascii_uppercase(),
        at(start + 1).to_ascii_uppercase(),
    ];
    let Some(length) = std::str::from_utf8(&country).ok().and_then(iban_length) else {
        return Scan::NotAnIban;
    };
    let country = String::from_utf8_lossy(&country).into_owned();
    // "BE 43.4679.1170.4101": a space may follow the country code.
    let mut i = start + 2;
    if at(i) == b' ' {
        i += 1;
    }
    if !(at(i).is_ascii_digit() && at(i + 1).is_ascii_digit()) {
        return Scan::NotAnIban;
    }
    let mut compact = format!("{country}{}{}", at(i) as char, at(i + 1) as char);
    i += 2;
    let mut end = i;
    while compact.len() < length {
        let mut j = i;
        while j < bytes.len() && j - i < 2 && is_separator(bytes[j]) {
            j += 1;
        }
        let c = at(j).to_ascii_uppercase();
        if !iban_bban_accepts(&country, compact.len() - 4, c) {
            break;
        }
        compact.push(c as char);
        i = j + 1;
        end = i;
    }
    if compact.len() < length {
        return if compact.len() >= MIN_ATTEMPT {
            Scan::TooShort(start..end)
        } else {
            Scan::NotAnIban
        };
    }
    // More account digits right after the last one: the IBAN is too long,
    // not a valid one followed by noise.
    let mut j = end;
    if is_separator(at(j)) {
        j += 1;
    }
    if at(j).is_ascii_alphanumeric() && (j == end || at(j).is_ascii_digit()) {
        let mut k = j;
        while at(k).is_ascii_alphanumeric() || (is_separator(at(k)) && at(k + 1).is_ascii_digit()) {
            k += 1;
        }
        return Scan::TooLong(start..k);
    }
    Scan::Complete(compact, start..end)
}

pub fn extract(input: &Input, _ctx: &Context) -> Extraction {
    let text = &input.folded.text;
    let bytes = text.as_bytes();
    let mut found = Extraction::default();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let at_word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if !at_word_start {
            i += 1;
            continue;
        }
        match scan(bytes, i) {
            Scan::Complete(compact, range) => {
                let span = input.folded.original_span(range.clone());
                if iban_valid(&compact) {
                    found.candidates.push(Candidate {
                        value: Value::text(compact),
                        span,
                        confidence: 1.0,
                        rule: "iban".to_string(),
                    });
                } else {
                    found.rejected.push(Rejected {
                        span,
                        reason: Reason::BadChecksum,
                    });
                }
                i = range.end;
            }
            Scan::TooShort(range) | Scan::TooLong(range) => {
                found.rejected.push(Rejected {
                    span: input.folded.original_span(range.clone()),
                    reason: Reason::WrongLength,
                });
                i = range.end.max(i + 1);
            }
            Scan::NotAnIban => i += 1,
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::extract::test_support;
    use crate::values::Lang;
    use proptest::prelude::*;

    fn ctx() -> Context<'static> {
        test_support::context(Lang::En)
    }

    fn best(text: &str) -> Option<(String, String)> {
        test_support::best_text(&extract(&Input::new(text), &ctx()), text)
    }

    fn rejected(text: &str) -> Vec<Reason> {
        test_support::reasons(&extract(&Input::new(text), &ctx()))
    }

    #[test]
    fn finds_ibans_in_sentences() {
        assert_eq!(
            best("mon compte est le BE68 5390 0754 7034, merci"),
            Some(("BE68539007547034".into(), "BE68 5390 0754 7034".into()))
        );
        assert_eq!(
            best("mijn rekeningnummer: be68539007547034"),
            Some(("BE68539007547034".into(), "be68539007547034".into()))
        );
        assert_eq!(
            best("my account is NL91 ABNA 0417 1643 00 thanks")
                .unwrap()
                .0,
            "NL91ABNA0417164300"
        );
        assert_eq!(best("BE 43.4679.1170.4101").unwrap().0, "BE43467911704101");
        assert_eq!(best("NO 44 1850.05.14562").unwrap().0, "NO4418500514562");
        assert_eq!(
            best("FR14 2004 1010 0505 0001 3M02 606").unwrap().0,
            "FR1420041010050500013M02606"
        );
    }

    #[test]
    fn refuses_bad_ibans() {
        assert_eq!(best("BE68 5390 0754 7035"), None);
        assert_eq!(rejected("BE68 5390 0754 7035"), [Reason::BadChecksum]);
        assert_eq!(rejected("BE36 5390 0754 7034 1234"), [Reason::WrongLength]);
        assert_eq!(
            rejected("c'est BE68 5390 0754 703 merci"),
            [Reason::WrongLength]
        );
        assert!(rejected("bel me op 0470 12 34 56").is_empty());
        assert!(rejected("de 12 à 14 heures").is_empty());
    }

    fn extract_in(lang: Lang, text: &str) -> Extraction {
        extract(&Input::new(text), &test_support::context(lang))
    }

    /// The IBAN check alone (MOD 97-10 over the rearranged characters),
    /// computed here apart from the code under test, so a test can show that
    /// a refusal comes from the Belgian account number and not from it.
    fn iban_mod97_is_one(iban: &str) -> bool {
        let (head, tail) = iban.split_at(4);
        let digits: String = tail
            .chars()
            .chain(head.chars())
            .map(|c| c.to_digit(36).expect("alphanumeric").to_string())
            .collect();
        digits
            .bytes()
            .fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97)
            == 1
    }

    #[test]
    fn belgian_ibans_in_sentences_in_each_language() {
        // domain-facts §3.3: valid as IBANs and as Belgian account numbers.
        for (iban, spaced) in [
            ("BE68539007547034", "BE68 5390 0754 7034"),
            ("BE72000000001616", "BE72 0000 0000 1616"),
            ("BE71096123456769", "be71 0961 2345 6769"),
        ] {
            for (lang, text) in [
                (
                    Lang::Fr,
                    format!("Mon numéro de compte est le {spaced}, merci."),
                ),
                (
                    Lang::Nl,
                    format!("Mijn rekeningnummer is {spaced}, dank u."),
                ),
                (Lang::En, format!("My account number is {spaced}, thanks.")),
            ] {
                let found = extract_in(lang, &text);
                assert_eq!(
                    test_support::best_text(&found, &text),
                    Some((iban.to_string(), spaced.to_string())),
                    "{text}"
                );
                assert!(found.rejected.is_empty(), "{text}");
            }
        }
    }

    #[test]
    fn refuses_a_belgian_iban_whose_account_number_is_wrong() {
        // Each passes the IBAN's own MOD 97-10 check, but the last two digits
        // of its 12-digit Belgian account number are not the first ten mod 97:
        // a mistyped account number whose IBAN check digits were recomputed.
        // The first is python-stdnum's "incorrect national check digits" case.
        for (iban, spaced) in [
            ("BE41091811735141", "BE41 0918 1173 5141"),
            ("BE41539007547035", "BE41 5390 0754 7035"),
            ("BE45000000001617", "BE45 0000 0000 1617"),
            ("BE44096123456770", "be44.0961.2345.6770"),
        ] {
            assert!(iban_mod97_is_one(iban), "{iban} should pass MOD 97-10");
            for (lang, text) in [
                (Lang::Fr, format!("Voici mon IBAN : {spaced}.")),
                (Lang::Nl, format!("Hier is mijn IBAN: {spaced}.")),
                (Lang::En, format!("Here is my IBAN: {spaced}.")),
            ] {
                let found = extract_in(lang, &text);
                assert_eq!(found.best(), None, "{text}");
                assert_eq!(
                    test_support::reasons(&found),
                    [Reason::BadChecksum],
                    "{text}"
                );
                // The refusal points at the number, so the flow can quote it,
                // and its reason reads in the session's language.
                assert_eq!(&text[found.rejected[0].span.clone()], spaced, "{text}");
                assert!(!Reason::BadChecksum.message(lang).is_empty());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(s in "\\PC{0,80}|[a-zA-Z]{2}[0-9 .a-z]{0,40}") {
            let _ = extract(&Input::new(&s), &ctx());
        }
    }
}
