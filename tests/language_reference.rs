//! Every ```guichet block of docs/language.md is a complete bot that loads
//! with no error: the reference cannot drift from the language.

use guichet::Bot;

/// Tables the examples read, given as files beside them.
const TABLES: &[(&str, &str)] = &[("tariffs.csv", "rank,price\nfirst,15.00\nsecond,120.00\n")];

fn examples_of(doc: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in doc.lines().enumerate() {
        match (&mut current, line.trim_end()) {
            (None, "```guichet") => current = Some((n + 1, String::new())),
            (Some(_), "```") => out.extend(current.take()),
            (Some((_, text)), l) => {
                text.push_str(l);
                text.push('\n');
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_example_of_the_language_reference_loads() {
    let examples = examples_of(include_str!("../docs/language.md"));
    assert!(
        examples.len() >= 8,
        "the reference has an example per construct"
    );
    let readme = examples_of(include_str!("../README.md"));
    assert!(!readme.is_empty(), "the README shows the language");
    let examples: Vec<(usize, String)> = examples.into_iter().chain(readme).collect();
    for (line, text) in examples {
        let mut files = vec![("example.flow", text.as_str())];
        files.extend(TABLES.iter().copied());
        if let Err(e) = Bot::from_sources(&files) {
            panic!("the example at docs/language.md:{line} does not load:\n{e}");
        }
    }
}
