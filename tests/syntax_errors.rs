//! Syntax errors read as sentences, point at the right place, and all of a
//! file's broken items are reported in one run.

use guichet::diagnostics::{Located, SourceId, Sources};
use guichet::syntax::parse_file;

fn errors(text: &str) -> Vec<Located> {
    let (_, diags) = parse_file(SourceId(0), text);
    let mut sources = Sources::default();
    sources.add("t.flow", text);
    diags.iter().map(|d| Located::new(d, &sources)).collect()
}

#[test]
fn an_unclosed_text_is_reported_on_its_own_line() {
    let e = errors("flow a\n  say fr: \"bonjour\n  say fr: \"ok\"\nend\n");
    assert_eq!((e[0].line, e[0].column), (2, 11));
    assert_eq!(e[0].message, "this text is not closed");
    assert!(e[0].help.as_deref().unwrap_or("").contains("closing `\"`"));
}

#[test]
fn a_reserved_word_used_as_a_name_is_explained() {
    let e = errors("flow a\n  form\n    slot when: date\n      ask fr: \"?\"\n  end\nend\n");
    assert_eq!(e[0].line, 3);
    assert!(
        e[0].help
            .as_deref()
            .unwrap_or("")
            .contains("`when` is a reserved word"),
        "{:?}",
        e[0]
    );
}

#[test]
fn a_missing_colon_names_the_expected_tokens() {
    let e = errors("flow a\n  form\n    slot x date\n  end\nend\n");
    assert_eq!((e[0].line, e[0].column), (3, 12));
    assert!(
        e[0].message.contains("`:`") && e[0].message.contains("`like`"),
        "{}",
        e[0].message
    );
}

#[test]
fn a_missing_end_is_reported_where_the_next_item_starts() {
    let e = errors("flow a\n  say fr: \"x\"\n\nflow b\n  say fr: \"y\"\nend\n");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].line, 4);
    assert!(
        e[0].help.as_deref().unwrap_or("").contains("add `end`"),
        "{:?}",
        e[0]
    );
}

#[test]
fn every_broken_item_of_a_file_is_reported_and_good_items_are_kept() {
    let text = "flow a\n  say fr: \"x\n  say fr: \"y\"\nend\n\nflow b\n  set y = 3 +\nend\n\nflow c\n  say fr: \"fine\"\nend\n";
    let (file, diags) = parse_file(SourceId(0), text);
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert_eq!(file.items.len(), 1);
}
