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
fn a_missing_end_is_reported_at_the_block_left_open() {
    let text = "flow a\n  say fr: \"x\"\n\nflow b\n  say fr: \"y\"\nend\n";
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].code, e[0].line, e[0].column),
        ("unclosed-block", 1, 1)
    );
    assert_eq!(e[0].message, "this `flow` at line 1 is never closed");
    assert!(
        e[0].help
            .as_deref()
            .unwrap_or("")
            .contains("add `end` after line 2"),
        "{:?}",
        e[0]
    );
    // Both flows are still read: nothing after the mistake is lost.
    assert_eq!(parse_file(SourceId(0), text).0.items.len(), 2);
}

#[test]
fn an_if_left_open_is_reported_at_the_if_not_at_the_next_line() {
    let text = "flow a\n  do f()\n    ok\n      if x > 1\n        say fr: \"x\"\n    failed\n      say fr: \"y\"\n  end\nend\n";
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0].code, e[0].line, e[0].column),
        ("unclosed-block", 4, 7)
    );
    assert!(e[0].help.as_deref().unwrap_or("").contains("after line 5"));
    let (file, _) = parse_file(SourceId(0), text);
    assert_eq!(file.items.len(), 1);
}

#[test]
fn a_missing_final_end_keeps_the_items_before_it() {
    let text = "flow a\n  say fr: \"x\"\nend\n\nflow b\n  if x\n    say fr: \"y\"\n  end\n";
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].line, e[0].column), (5, 1));
    assert_eq!(parse_file(SourceId(0), text).0.items.len(), 2);
}

#[test]
fn an_unindented_file_still_gets_one_error_per_open_block() {
    let text = "flow a\nif x\nsay fr: \"y\"\nend\nflow b\nsay fr: \"z\"\nend\n";
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].code, "unclosed-block");
    assert_eq!(e[0].line, 1);
}

#[test]
fn every_broken_item_of_a_file_is_reported_and_good_items_are_kept() {
    let text = "flow a\n  say fr: \"x\n  say fr: \"y\"\nend\n\nflow b\n  set y = 3 +\nend\n\nflow c\n  say fr: \"fine\"\nend\n";
    let (file, diags) = parse_file(SourceId(0), text);
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert_eq!(file.items.len(), 1);
}

#[test]
fn a_file_laid_out_by_hand_keeps_the_grammars_message() {
    // Valid, with an `end` that is not under its `if`, then a real mistake:
    // the layout alone would blame the `if`, but the `end` it would put
    // back does not make the file read.
    let text = "flow a\n  if x > 1\n    say fr: \"x\"\nend\nend\n\nflow b\n  say fr \"y\"\nend\n";
    let e = errors(text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].code, e[0].line), ("syntax", 8), "{e:?}");
    assert_eq!(parse_file(SourceId(0), text).0.items.len(), 1);
}
