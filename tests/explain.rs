//! `guichet explain`: every code has an explanation, and its examples show
//! the mistake and its fix.

use guichet::bot::check_files;
use guichet::check::explain::{codes, explain, Explanation, EXPLANATIONS};
use guichet::load::SourceFile;
use std::collections::BTreeSet;
use std::path::Path;

fn fixture_codes() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagnostics");
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "flow"))
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect()
}

fn codes_of(e: &Explanation, fixed: bool) -> Vec<&'static str> {
    let main = if fixed {
        e.fix_source()
    } else {
        e.mistake_source()
    };
    let mut files = vec![SourceFile {
        name: "bot.flow".into(),
        text: main,
    }];
    for (name, bad, good) in e.files {
        let text = if fixed { good } else { bad };
        if !text.is_empty() {
            files.push(SourceFile {
                name: name.to_string(),
                text: text.to_string(),
            });
        }
    }
    let (_, diagnostics) = check_files(&files);
    diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn every_fixture_code_is_explained() {
    for code in fixture_codes() {
        assert!(explain(&code).is_some(), "`{code}` has no explanation");
    }
}

/// Codes no checker or parser test fixture covers, because they come from
/// the parser or the loader rather than the checker.
const LOADER_CODES: &[&str] = &["bad-literal", "missing-table-file", "syntax", "unreadable"];
// (`too-deep` and `unclosed-block` come from the parser too, and have
// fixtures: the fixtures' test reports the loader's codes as well.)

#[test]
fn every_emitted_code_is_explained() {
    let known: BTreeSet<&str> = codes().collect();
    for code in fixture_codes() {
        assert!(known.contains(code.as_str()));
    }
    for code in LOADER_CODES {
        assert!(known.contains(code), "`{code}` has no explanation");
    }
    assert_eq!(
        known.len(),
        fixture_codes().len() + LOADER_CODES.len(),
        "an explanation for a code nothing emits: {known:?}"
    );
}

#[test]
fn codes_are_sorted_and_unique() {
    let listed: Vec<&str> = codes().collect();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(listed, sorted);
}

#[test]
fn fixed_examples_do_not_report_their_code() {
    for e in EXPLANATIONS.iter().filter(|e| !e.shell) {
        let found = codes_of(e, true);
        assert!(
            !found.contains(&e.code),
            "the fix of `{}` still reports it: {found:?}",
            e.code
        );
    }
}

/// `unreadable` is about the path given to guichet, not about a file's
/// content: its examples are shell commands, and no single file shows it.
#[test]
fn mistake_examples_report_their_code() {
    for e in EXPLANATIONS.iter().filter(|e| !e.shell) {
        let found = codes_of(e, false);
        assert!(
            found.contains(&e.code),
            "the mistake of `{}` does not report it: {found:?}",
            e.code
        );
    }
    let shell: Vec<&str> = EXPLANATIONS
        .iter()
        .filter(|e| e.shell)
        .map(|e| e.code)
        .collect();
    assert_eq!(shell, ["unreadable"]);
}

#[test]
fn fixed_examples_have_no_error() {
    for e in EXPLANATIONS.iter().filter(|e| !e.shell) {
        let main = e.fix_source();
        let mut files = vec![SourceFile {
            name: "bot.flow".into(),
            text: main,
        }];
        for (name, _, good) in e.files {
            if !good.is_empty() {
                files.push(SourceFile {
                    name: name.to_string(),
                    text: good.to_string(),
                });
            }
        }
        let (_, diagnostics) = check_files(&files);
        let errors: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| (d.code, d.message.clone()))
            .collect();
        assert!(
            errors.is_empty(),
            "the fix of `{}` has errors: {errors:?}",
            e.code
        );
    }
}

#[test]
fn rendered_explanations_have_every_part() {
    for e in EXPLANATIONS {
        let text = e.render();
        for part in [
            "## What it means",
            "## Why it matters",
            "## Example",
            "Use instead:",
        ] {
            assert!(text.contains(part), "`{}` lacks {part}", e.code);
        }
    }
}
