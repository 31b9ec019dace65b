//! The editor analysis as a library (what `guichet lsp` and a web page
//! call): its edits, applied, give a bot that checks; on the sample bot.

use guichet::analysis::{
    offset, position, CompletionKind, OutlineKind, Position, TextEdit, Workspace,
};
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

#[test]
fn a_pattern_is_a_type_the_editor_knows() {
    let mut ws = sample();
    let status = file(&ws, "status.flow");
    let text = ws.text(&status).unwrap().to_string();
    let declared = at(&text, "pattern request_reference", 8);
    let used = at(&text, "slot reference: request_reference", 16);

    // The outline lists it as a pattern.
    let outline = ws.outline(&status);
    let entry = outline
        .iter()
        .find(|o| o.name == "request_reference")
        .expect("the pattern is in the outline");
    assert_eq!(entry.kind, OutlineKind::Pattern);
    assert_eq!(entry.selection.start, declared);

    // Hover on the slot's type shows the declaration and its shapes.
    let hover = ws.hover(&status, used).expect("a hover on the type");
    assert!(
        hover
            .markdown
            .contains("pattern request_reference \"CR-dddd-dddd\" or \"RC-dddd-dddd\""),
        "{}",
        hover.markdown
    );

    // Go to definition from the slot's type lands on the declaration, and
    // the declaration's references include that use.
    let defs = ws.definition(&status, used);
    assert_eq!(defs.len(), 1, "{defs:?}");
    assert_eq!(defs[0].range.start, declared);
    let uses = ws.references(&status, declared, false);
    assert!(uses.iter().any(|l| l.range.start == used), "{uses:?}");

    // Completion of a slot's type offers it, as a pattern; at the margin,
    // `pattern` is a declaration that may start.
    let edited = format!("{text}\nslot other: req");
    ws.set_text(&status, edited.clone());
    let found = ws.completion(&status, position(&edited, edited.len()));
    let item = found
        .iter()
        .find(|c| c.label == "request_reference")
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(item.kind, CompletionKind::Pattern);
    assert!(item.detail.starts_with("pattern request_reference"));
    let edited = format!("{text}\naction a(r: req");
    ws.set_text(&status, edited.clone());
    let found = ws.completion(&status, position(&edited, edited.len()));
    assert!(
        found.iter().any(|c| c.label == "request_reference"),
        "a parameter may have the pattern's type: {found:?}"
    );
    let edited = format!("{text}\npat");
    ws.set_text(&status, edited.clone());
    let labels: Vec<String> = ws
        .completion(&status, position(&edited, edited.len()))
        .into_iter()
        .map(|c| c.label)
        .collect();
    assert_eq!(labels, vec!["pattern".to_string()]);

    // Renamed from its use: the declaration and the slot change, the bot
    // still checks.
    ws.set_text(&status, text.clone());
    let edits = ws
        .rename(&status, used, "case_reference")
        .expect("the pattern renames");
    apply_all(&mut ws, &edits);
    assert_eq!(errors(&mut ws), Vec::<String>::new());
    let after = ws.text(&status).unwrap().to_string();
    assert!(after.contains("pattern case_reference \"CR-dddd-dddd\""));
    assert!(after.contains("slot reference: case_reference"));
    let bot = file(&ws, "bot.flow");
    assert!(ws
        .text(&bot)
        .unwrap()
        .contains("get_request_status(reference: case_reference)"));
    // A choice's name is taken: choices and patterns are both slot types.
    let pos = at(&after, "pattern case_reference", 8);
    assert!(ws.rename(&status, pos, "card_rank").is_err());
}
