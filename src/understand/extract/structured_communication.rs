//! Belgian structured communication of a transfer (OGM/VCS): the paper form
//! "+++123/4567/89002+++", its "***…***" variant, the bare groups
//! "123/4567/89002" or the 12 digits. Normal form: the paper form.

use super::national_number::digit_groups;
use super::{Candidate, Context, Extraction, Reason, Rejected};
use crate::understand::normalize::Input;
use crate::values::checkdigits::{format_structured_communication, structured_communication_valid};
use crate::values::Value;
use std::ops::Range;

const LENGTH: usize = 12;

/// Extends a folded range over the `+++` or `***` that frame it (spaces
/// allowed inside), returning the widened range when both sides are framed.
fn framed(text: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    let frame_char = |b: u8| b == b'+' || b == b'*';
    let mut start = range.start;
    let mut marks_before = 0;
    while start > 0 && (frame_char(bytes[start - 1]) || bytes[start - 1] == b' ') {
        if frame_char(bytes[start - 1]) {
            marks_before += 1;
        }
        start -= 1;
        if range.start - start > 8 {
            break;
        }
    }
    let mut end = range.end;
    let mut marks_after = 0;
    while end < bytes.len() && (frame_char(bytes[end]) || bytes[end] == b' ') {
        if frame_char(bytes[end]) {
            marks_after += 1;
        }
        end += 1;
        if end - range.end > 8 {
            break;
        }
    }
    // Trim the spaces the scan may have taken beyond the marks.
    while start < range.start && bytes[start] == b' ' {
        start += 1;
    }
    while end > range.end && bytes[end - 1] == b' ' {
        end -= 1;
    }
    (marks_before >= 2 && marks_after >= 2).then_some(start..end)
}

pub fn extract(input: &Input, _ctx: &Context) -> Extraction {
    let text = &input.folded.text;
    let mut found = Extraction::default();
    for run in digit_groups::runs(text, b" ./-", 3) {
        let windows = run.windows(text, LENGTH);
        let mut valid_here = false;
        for window in &windows {
            if !structured_communication_valid(&window.digits) {
                continue;
            }
            valid_here = true;
            let frame = framed(text, &window.folded);
            let confidence = if frame.is_some() || window.group_count == 3 {
                1.0
            } else {
                0.9
            };
            let Some(paper) = format_structured_communication(&window.digits) else {
                continue;
            };
            found.candidates.push(Candidate {
                value: Value::text(paper),
                span: input
                    .folded
                    .original_span(frame.clone().unwrap_or_else(|| window.folded.clone())),
                confidence,
                rule: if frame.is_some() {
                    "structured_communication_framed"
                } else {
                    "structured_communication"
                }
                .to_string(),
            });
        }
        if valid_here {
            continue;
        }
        if let Some(window) = windows.first() {
            let span = framed(text, &window.folded).unwrap_or_else(|| window.folded.clone());
            found.rejected.push(Rejected {
                span: input.folded.original_span(span),
                reason: Reason::BadChecksum,
            });
        } else if let Some(span) = framed(text, &run.span()) {
            found.rejected.push(Rejected {
                span: input.folded.original_span(span),
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
        test_support::context(Lang::Nl)
    }

    fn best(text: &str) -> Option<(String, String)> {
        test_support::best_text(&extract(&Input::new(text), &ctx()), text)
    }

    fn rejected(text: &str) -> Vec<Reason> {
        test_support::reasons(&extract(&Input::new(text), &ctx()))
    }

    #[test]
    fn every_writing() {
        let paper = "+++123/4567/89002+++".to_string();
        assert_eq!(
            best("la communication est +++123/4567/89002+++ merci"),
            Some((paper.clone(), "+++123/4567/89002+++".into()))
        );
        assert_eq!(
            best("mededeling ***123/4567/89002***"),
            Some((paper.clone(), "***123/4567/89002***".into()))
        );
        assert_eq!(
            best("reference 123/4567/89002."),
            Some((paper.clone(), "123/4567/89002".into()))
        );
        assert_eq!(best("123456789002").unwrap().0, paper);
        assert_eq!(
            best("+++ 010 / 8068 / 17183 +++").unwrap().0,
            "+++010/8068/17183+++"
        );
        assert_eq!(best("000/0000/09797").unwrap().0, "+++000/0000/09797+++");
    }

    #[test]
    fn refuses_bad_ones() {
        assert_eq!(best("+++010/8068/17180+++"), None);
        assert_eq!(rejected("+++010/8068/17180+++"), [Reason::BadChecksum]);
        assert_eq!(rejected("+++010/8068/1718+++"), [Reason::WrongLength]);
        assert!(rejected("I paid 250 euros on 12/03").is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(s in "\\PC{0,80}|[0-9 +*/.]{0,60}") {
            let _ = extract(&Input::new(&s), &ctx());
        }
    }
}
