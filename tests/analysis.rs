//! The editor analysis as a library (what `guichet lsp` and a web page
//! call): its edits, applied, give a bot that checks; on the sample bot.

use guichet::analysis::{offset, position, Position, TextEdit, Workspace};
use std::collections::BTreeMap;
use std::path::Path;

fn sample() -> Workspace {
    Workspace::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("flows"))
}

fn file(ws: &Workspace, name: &str) -> String {
    ws.files()
        .find(|f| f.ends_with(name))
        .unwrap_or_else(|| panic!("{name}"))
        .to_string()
}

fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut edits: Vec<&TextEdit> = edits.iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for e in edits {
        let start = offset(&out, e.range.start);
        let end = offset(&out, e.range.end);
        out.replace_range(start..end, &e.new_text);
    }
    out
}

fn apply_all(ws: &mut Workspace, edits: &BTreeMap<String, Vec<TextEdit>>) {
    for (f, list) in edits {
        let new = apply(ws.text(f).unwrap(), list);
        ws.set_text(f, new);
    }
}

fn errors(ws: &mut Workspace) -> Vec<String> {
    ws.diagnostics()
        .into_iter()
        .flat_map(|(f, list)| {
            list.into_iter()
                .map(move |d| format!("{f}: {} {}", d.code, d.message))
        })
        .collect()
}

fn at(text: &str, needle: &str, delta: usize) -> Position {
    position(
        text,
        text.find(needle).unwrap_or_else(|| panic!("{needle}")) + delta,
    )
}

#[test]
fn the_sample_bot_is_clean() {
    let mut ws = sample();
    assert_eq!(errors(&mut ws), Vec::<String>::new());
}

#[test]
fn the_quick_fix_for_a_block_left_open_repairs_the_file() {
    let mut ws = sample();
    let creche = file(&ws, "creche.flow");
    let text = ws.text(&creche).unwrap().to_string();
    let original = text.clone();
    // The `end` of the `if` inside the `ok` branch.
    let if_at = text.find("      if child_birth_date > today()").unwrap();
    let end_at = if_at + text[if_at..].find("\n      end\n").unwrap();
    let broken = format!(
        "{}{}",
        &text[..end_at],
        &text[end_at + "\n      end".len()..]
    );
    ws.set_text(&creche, broken.clone());
    let found = errors(&mut ws);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("unclosed-block"), "{found:?}");
    let diag = ws.diagnostics_of(&creche).remove(0);
    let actions = ws.code_actions(&creche, diag.range);
    assert_eq!(actions.len(), 1, "{actions:?}");
    apply_all(&mut ws, &actions[0].edits);
    assert_eq!(errors(&mut ws), Vec::<String>::new());
    assert_eq!(ws.text(&creche).unwrap(), original);
}

#[test]
fn a_rename_applied_everywhere_leaves_a_bot_that_checks() {
    let mut ws = sample();
    let creche = file(&ws, "creche.flow");
    let text = ws.text(&creche).unwrap().to_string();
    // A slot used in conditions, arguments (`do create_request(..., child_birth_date, ...)`)
    // and the conversation tests.
    let pos = at(&text, "slot child_birth_date", 6);
    let edits = ws
        .rename(&creche, pos, "birth_date")
        .expect("the slot renames");
    assert!(
        edits.keys().any(|f| f.ends_with(".test")),
        "{:?}",
        edits.keys()
    );
    apply_all(&mut ws, &edits);
    assert_eq!(errors(&mut ws), Vec::<String>::new());
    let after = ws.text(&creche).unwrap();
    assert!(!after.contains("child_birth_date >"), "{after}");
    assert!(
        after.contains("child_birth_date: birth_date"),
        "the argument keeps its name"
    );
    // The action, renamed from its use.
    let text = ws.text(&creche).unwrap().to_string();
    let pos = at(&text, "do create_request", 4);
    let edits = ws
        .rename(&creche, pos, "file_request")
        .expect("the action renames");
    apply_all(&mut ws, &edits);
    assert_eq!(errors(&mut ws), Vec::<String>::new());
    assert!(ws.text(&creche).unwrap().contains("do file_request("));
    // Refused: a reserved word, a name taken, the standard library's.
    assert!(ws.rename(&creche, pos, "end").is_err());
    assert!(ws.rename(&creche, pos, "request_payment").is_err());
}

#[test]
fn completion_knows_the_block_it_is_in() {
    let mut ws = sample();
    let creche = file(&ws, "creche.flow");
    let text = ws.text(&creche).unwrap().to_string();
    // A new line inside the `if` of the `ok` branch.
    let at_if = text.find("      if child_birth_date > today()\n").unwrap();
    let line_end = at_if + text[at_if..].find('\n').unwrap() + 1;
    let edited = format!("{}        \n{}", &text[..line_end], &text[line_end..]);
    ws.set_text(&creche, edited.clone());
    let pos = position(&edited, line_end + 8);
    let labels: Vec<String> = ws
        .completion(&creche, pos)
        .into_iter()
        .map(|c| c.label)
        .collect();
    for want in ["say", "elif", "else", "end", "handoff"] {
        assert!(labels.contains(&want.to_string()), "{want}: {labels:?}");
    }
    assert!(!labels.contains(&"confirm".to_string()), "{labels:?}");
    // Inside a text's interpolation: the flow's names, not the keywords.
    let pos = at(&edited, "{request.reference}", 1);
    let labels: Vec<String> = ws
        .completion(&creche, pos)
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert!(
        labels.contains(&"request".to_string()) && labels.contains(&"child_first_name".to_string()),
        "{labels:?}"
    );
    assert!(!labels.contains(&"say".to_string()), "{labels:?}");
}
