//! Belgian national register (NISS/INSZ) and BIS numbers, typed as on the
//! eID card ("85.07.30-033.28"), in groups ("850730 033 28") or bare
//! ("85073003328"). The normal form is the 11 digits.

// Shared with the structured communication extractor.
#[path = "digit_groups.rs"]
pub(super) mod digit_groups;

use super::{Candidate, Context, Extraction, Reason, Rejected};
use crate::understand::normalize::Input;
use crate::values::checkdigits::{person_number_kind, PersonNumberKind};
use crate::values::Value;

const LENGTH: usize = 11;

pub fn extract(input: &Input, _ctx: &Context) -> Extraction {
    let text = &input.folded.text;
    let mut found = Extraction::default();
    for run in digit_groups::runs(text, b" .-/", 3) {
        let windows = run.windows(text, LENGTH);
        let mut valid_here = false;
        for window in &windows {
            let Some(kind) = person_number_kind(&window.digits) else {
                continue;
            };
            valid_here = true;
            // The card's own layouts are surer than a run that merely adds
            // up to 11 digits.
            let confidence = if window.group_count == 1 || matches!(window.group_count, 3 | 5) {
                1.0
            } else {
                0.9
            };
            found.candidates.push(Candidate {
                value: Value::text(window.digits.clone()),
                span: input.folded.original_span(window.folded.clone()),
                confidence,
                rule: match kind {
                    PersonNumberKind::NationalRegister => "national_register_number",
                    PersonNumberKind::Bis => "bis_number",
                }
                .to_string(),
            });
        }
        if valid_here {
            continue;
        }
        if let Some(window) = windows.first() {
            found.rejected.push(Rejected {
                span: input.folded.original_span(window.folded.clone()),
                reason: Reason::BadChecksum,
            });
        } else if (9..=13).contains(&run.digit_count(text)) {
            found.rejected.push(Rejected {
                span: input.folded.original_span(run.span()),
                reason: Reason::WrongLength,
            });
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
        test_support::context(Lang::Fr)
    }

    fn best(text: &str) -> Option<(String, String)> {
        let input = Input::new(text);
        let found = extract(&input, &ctx());
        found.best().map(|c| {
            let Value::Text(v) = &c.value else { panic!() };
            (v.clone(), text[c.span.clone()].to_string())
        })
    }

    fn rejected(text: &str) -> Vec<Reason> {
        test_support::reasons(&extract(&Input::new(text), &ctx()))
    }

    #[test]
    fn finds_numbers_in_sentences() {
        assert_eq!(
            best("mon numéro national est 85.07.30-033.28 merci"),
            Some(("85073003328".into(), "85.07.30-033.28".into()))
        );
        assert_eq!(
            best("mijn rijksregisternummer is 850730 033 28"),
            Some(("85073003328".into(), "850730 033 28".into()))
        );
        assert_eq!(
            best("my national number: 85073003328."),
            Some(("85073003328".into(), "85073003328".into()))
        );
        assert_eq!(best("17 07 30 033 84").unwrap().0, "17073003384");
    }

    #[test]
    fn bis_numbers() {
        let input = Input::new("BIS 98.47.28-997.65");
        let found = extract(&input, &ctx());
        assert_eq!(found.best().unwrap().rule, "bis_number");
        assert_eq!(found.best().unwrap().value, Value::text("98472899765"));
    }

    #[test]
    fn refuses_bad_numbers() {
        assert_eq!(best("85.07.30-033.29"), None);
        assert_eq!(rejected("85.07.30-033.29"), [Reason::BadChecksum]);
        assert_eq!(
            rejected("het nummer is 85.07.30-033"),
            [Reason::WrongLength]
        );
        assert!(rejected("né le 30.07.1985").is_empty());
    }

    #[test]
    fn a_date_before_the_number_does_not_hide_it() {
        assert_eq!(best("30.07.1985 85.07.30-033.28").unwrap().0, "85073003328");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(s in "\\PC{0,80}|[0-9 .\\-/]{0,60}") {
            let _ = extract(&Input::new(&s), &ctx());
        }
    }
}
