//! Free text: the whole message, trimmed, as the one candidate.

use super::{Candidate, Context, Extraction};
use crate::understand::normalize::Input;
use crate::values::Value;

pub fn extract(input: &Input, _ctx: &Context) -> Extraction {
    let original = input.original.as_str();
    let trimmed = original.trim();
    if trimmed.is_empty() {
        return Extraction::default();
    }
    let start = original.len() - original.trim_start().len();
    Extraction {
        candidates: vec![Candidate {
            value: Value::text(trimmed),
            span: start..start + trimmed.len(),
            confidence: 1.0,
            rule: "text".to_string(),
        }],
        ..Extraction::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::extract::test_support;
    use crate::values::Lang;
    use proptest::prelude::*;

    fn ctx() -> Context<'static> {
        test_support::context(Lang::Nl)
    }

    #[test]
    fn the_whole_message_trimmed() {
        for (text, want) in [
            (
                "  Ma demande concerne la crèche.  ",
                "Ma demande concerne la crèche.",
            ),
            ("Ik wil een afspraak\n", "Ik wil een afspraak"),
            ("the bin was not collected", "the bin was not collected"),
        ] {
            let input = Input::new(text);
            let found = extract(&input, &ctx());
            let best = found.best().unwrap();
            assert_eq!(best.value, Value::text(want));
            assert_eq!(&text[best.span.clone()], want);
            assert_eq!(best.confidence, 1.0);
        }
        assert!(extract(&Input::new(" \n\t"), &ctx()).candidates.is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            let found = extract(&Input::new(&s), &ctx());
            if let Some(c) = found.best() {
                prop_assert!(s.get(c.span.clone()).is_some());
            }
        }
    }
}
