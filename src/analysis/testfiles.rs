//! The names a conversation test file uses: `= slot value`, `? slot
//! NAME`, `! action args`, `+ payload`, so that a rename reaches them too.

use super::index::Namespace;

/// A name used in a `.test` file, by byte range.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TestRef {
    pub file: String,
    /// `Local` for a slot (tests see a conversation's slots by name,
    /// whatever their flow), `Action`, or `Flow` for a button's payload.
    pub namespace: Namespace,
    pub name: String,
    pub start: usize,
    pub end: usize,
}

fn name_len(s: &str) -> usize {
    s.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count()
}

pub(crate) fn references(file: &str, text: &str) -> Vec<TestRef> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let at = line_start;
        line_start += line.len();
        let indent = line.len() - line.trim_start().len();
        let mut rest = &line[indent..];
        let mut pos = at + indent;
        // A step for one language: `fr= x 1`, `fr + yes`.
        let b = rest.as_bytes();
        if b.len() > 2
            && b[0].is_ascii_lowercase()
            && b[1].is_ascii_lowercase()
            && matches!(b[2], b'=' | b'?' | b'!' | b'+' | b' ')
        {
            let skip = 2 + rest[2..].len() - rest[2..].trim_start().len();
            rest = &rest[skip..];
            pos += skip;
        }
        let (namespace, after) = if let Some(r) = rest.strip_prefix('=') {
            (Namespace::Local, r)
        } else if let Some(r) = rest.strip_prefix("? slot ") {
            (Namespace::Local, r)
        } else if let Some(r) = rest.strip_prefix('!') {
            (Namespace::Action, r)
        } else if let Some(r) = rest.strip_prefix('+') {
            (Namespace::Flow, r)
        } else {
            continue;
        };
        let skipped = rest.len() - after.len();
        let trimmed = after.trim_start();
        let start = pos + skipped + (after.len() - trimmed.len());
        let len = name_len(trimmed);
        if len == 0 {
            continue;
        }
        // A payload is a name only when it is the whole step.
        if namespace == Namespace::Flow && !trimmed[len..].trim().is_empty() {
            continue;
        }
        out.push(TestRef {
            file: file.to_string(),
            namespace,
            name: trimmed[..len].to_string(),
            start,
            end: start + len,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_actions_and_payloads_are_found() {
        let text = "@test a\n> hello\n= child_birth_date 2024-05-03\n? slot start_date\n! create_request kind=x\nfr+ creche_enrolment\n+ yes please\n< slot x\n";
        let refs = references("a.test", text);
        let names: Vec<(&str, Namespace)> = refs
            .iter()
            .map(|r| (r.name.as_str(), r.namespace))
            .collect();
        assert_eq!(
            names,
            vec![
                ("child_birth_date", Namespace::Local),
                ("start_date", Namespace::Local),
                ("create_request", Namespace::Action),
                ("creche_enrolment", Namespace::Flow),
            ]
        );
        for r in &refs {
            assert_eq!(&text[r.start..r.end], r.name);
        }
    }
}
