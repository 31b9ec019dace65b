//! Completion: what may be written at the cursor, read from the text
//! before it (the current line and the blocks open around it) and named
//! from the bot's declarations.
//!
//! Names come from the last analysis even when the text changed since
//! (`Workspace::names`): completion must answer at once, and a
//! declaration typed a moment ago in the current flow is found in its
//! text too.

use super::index::{Index, Kind};
use super::navigate::builtin_signature;
use super::{lines, Position, Workspace};
use crate::stdlib::signatures::BUILTINS;
use crate::syntax::blocks::open_at_end;
use crate::values::SlotType;
use serde::Serialize;

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// A signature, a type, a question.
    pub detail: String,
    pub documentation: Option<String>,
    /// What is inserted in place of the word being typed.
    pub insert: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CompletionKind {
    Keyword,
    Flow,
    Action,
    Slot,
    Variable,
    Table,
    Text,
    Choice,
    Pattern,
    Option,
    Function,
    Language,
    Type,
}

/// Statements of a flow's body.
const STATEMENTS: [&str; 15] = [
    "say", "form", "set", "if", "match", "call", "do", "handoff", "goto", "return", "stop",
    "cancel", "restart", "close", "language",
];
const ITEMS: [&str; 10] = [
    "bot", "flow", "faq", "action", "choice", "pattern", "slot", "table", "synonyms", "text",
];
const SLOT_CLAUSES: [&str; 9] = [
    "ask", "reprompt", "require", "attempts", "optional", "default", "when", "prefer", "label",
];
/// Types a parameter or a table column may have beside the slot types.
const VALUE_TYPES: [&str; 7] = [
    "any", "bool", "duration", "list", "record", "number", "money",
];

/// The flow (or FAQ entry) a byte offset is in, and where it starts:
/// the first line at the margin above decides (`flow NAME`, `faq NAME`;
/// an `end` or another item there means none).
fn enclosing_flow(text: &str, at: usize) -> Option<(String, usize)> {
    let mut end = at.min(text.len());
    loop {
        let line_start = text[..end].rfind('\n').map_or(0, |i| i + 1);
        let line = text[line_start..].split('\n').next().unwrap_or("");
        if line.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let rest = line
                .strip_prefix("flow ")
                .or_else(|| line.strip_prefix("faq "))?;
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            return (!name.is_empty()).then_some((name, line_start));
        }
        if line_start == 0 {
            return None;
        }
        end = line_start - 1;
    }
}

/// Whether the cursor is inside a text, and if so inside one of its
/// `{interpolations}`.
fn in_text(line: &str) -> (bool, bool) {
    let (mut string, mut interp) = (false, 0usize);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (string, interp > 0, c) {
            (_, false, '#') if !string => break,
            (false, _, '"') if interp == 0 => string = true,
            (true, false, '"') => string = false,
            (true, false, '\\') => {
                chars.next();
            }
            (true, false, '{') if chars.peek() == Some(&'{') => {
                chars.next();
            }
            (true, false, '{') => interp = 1,
            (true, true, '{') => interp += 1,
            (true, true, '}') => interp -= 1,
            _ => {}
        }
    }
    (string, interp > 0)
}

struct List<'a> {
    out: Vec<Completion>,
    prefix: &'a str,
}

impl List<'_> {
    fn add(
        &mut self,
        label: &str,
        kind: CompletionKind,
        detail: &str,
        doc: Option<&str>,
        insert: String,
    ) {
        if !label.starts_with(self.prefix) || self.out.iter().any(|c| c.label == label) {
            return;
        }
        self.out.push(Completion {
            label: label.to_string(),
            kind,
            detail: detail.to_string(),
            documentation: doc.map(str::to_string),
            insert,
        });
    }

    fn words(&mut self, words: &[&str], detail: &str) {
        for w in words {
            self.add(w, CompletionKind::Keyword, detail, None, w.to_string());
        }
    }

    fn symbols(&mut self, index: &Index, kinds: &[Kind], kind: CompletionKind) {
        for k in kinds {
            for s in index.of_kind(*k) {
                self.add(&s.name, kind, &s.detail, s.doc.as_deref(), s.name.clone());
            }
        }
    }
}

impl Workspace {
    /// What may be written at a position of a file.
    pub fn completion(&mut self, file: &str, pos: Position) -> Vec<Completion> {
        let Some(text) = self.files.get(file).cloned() else {
            return Vec::new();
        };
        let names = self.names();
        let index = &names;
        let at = lines::offset(&text, pos);
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[line_start..at];
        let prefix_len = line
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let prefix = &line[line.len() - prefix_len..];
        let before = line[..line.len() - prefix_len].trim_end();
        let mut list = List {
            out: Vec::new(),
            prefix,
        };
        let (in_string, in_interp) = in_text(&line[..line.len() - prefix_len]);
        if in_string && !in_interp {
            return Vec::new();
        }
        let flow = enclosing_flow(&text, at);
        let last_word = before
            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        let first_word = before.split_whitespace().next().unwrap_or("");
        let langs: Vec<String> = index
            .of_kind(Kind::Bot)
            .next()
            .map(|b| {
                b.detail
                    .trim_start_matches("languages ")
                    .split(", ")
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();

        if before.ends_with('.') {
            // A field: an action's results, when the name is bound by `do ... as`.
            return list.out;
        }
        if in_interp || expression_context(before, first_word) {
            if before.ends_with("lookup(") || before.ends_with("rows(") {
                list.symbols(index, &[Kind::Table], CompletionKind::Table);
                return list.out;
            }
            self.locals(&mut list, index, &text, flow.as_ref());
            for b in BUILTINS {
                let insert = if b.params.is_empty() {
                    format!("{}()", b.name)
                } else {
                    format!("{}(", b.name)
                };
                list.add(
                    b.name,
                    CompletionKind::Function,
                    &builtin_signature(b),
                    Some(b.doc),
                    insert,
                );
            }
            for w in [
                "yes", "no", "true", "false", "nothing", "and", "or", "not", "in",
            ] {
                list.add(w, CompletionKind::Keyword, "", None, w.to_string());
            }
            return list.out;
        }
        match last_word {
            "call" | "goto" if before.ends_with(last_word) => {
                list.symbols(index, &[Kind::Flow, Kind::Faq], CompletionKind::Flow);
                return list.out;
            }
            "start" | "fallback" if before.ends_with(last_word) => {
                list.symbols(index, &[Kind::Flow, Kind::Faq], CompletionKind::Flow);
                return list.out;
            }
            "do" if before.ends_with("do") => {
                for s in index.of_kind(Kind::Action) {
                    list.add(
                        &s.name,
                        CompletionKind::Action,
                        &s.detail,
                        None,
                        format!("{}(", s.name),
                    );
                }
                return list.out;
            }
            "like" if before.ends_with("like") => {
                list.symbols(index, &[Kind::Slot], CompletionKind::Slot);
                return list.out;
            }
            "button" if before.ends_with("button") => {
                list.symbols(index, &[Kind::Flow, Kind::Faq], CompletionKind::Flow);
                list.symbols(index, &[Kind::Option], CompletionKind::Option);
                list.words(&["yes", "no"], "the citizen's yes or no");
                return list.out;
            }
            "language" | "languages" | "default" if before.ends_with(last_word) => {
                for l in crate::check::KNOWN_LANGUAGES {
                    list.add(
                        l,
                        CompletionKind::Language,
                        "a language",
                        None,
                        l.to_string(),
                    );
                }
                return list.out;
            }
            "set" if before.ends_with("set") => {
                self.locals(&mut list, index, &text, flow.as_ref());
                return list.out;
            }
            _ => {}
        }
        if before.ends_with(':') && (first_word == "slot" || before.contains('(')) {
            for (name, _) in SlotType::BUILTIN {
                list.add(
                    name,
                    CompletionKind::Type,
                    "a slot type",
                    None,
                    name.to_string(),
                );
            }
            if first_word != "slot" {
                for t in VALUE_TYPES {
                    list.add(t, CompletionKind::Type, "a value type", None, t.to_string());
                }
            }
            // A declared choice or pattern types a slot, a parameter or a column.
            list.symbols(index, &[Kind::Choice], CompletionKind::Choice);
            list.symbols(index, &[Kind::Pattern], CompletionKind::Pattern);
            return list.out;
        }
        let text_word = ["say", "ask", "reprompt", "confirm", "answer", "else"];
        if text_word.contains(&last_word) && before.ends_with(last_word) {
            list.symbols(index, &[Kind::Text], CompletionKind::Text);
            for l in &langs {
                list.add(
                    &format!("{l}:"),
                    CompletionKind::Language,
                    "a text in this language",
                    None,
                    format!("{l}: \"\""),
                );
            }
            return list.out;
        }
        if !before.is_empty() {
            return list.out;
        }
        // The start of a line: what the blocks around may hold.
        let open = open_at_end(&text[..line_start]);
        let follows_text = previous_line_wants_text(&text[..line_start]);
        if follows_text {
            for l in &langs {
                list.add(
                    &format!("{l}:"),
                    CompletionKind::Language,
                    "a text in this language",
                    None,
                    format!("{l}: \"\""),
                );
            }
        }
        match open.last().copied() {
            None => list.words(&ITEMS, "a declaration"),
            Some("bot") => list.words(
                &[
                    "languages",
                    "default",
                    "start",
                    "fallback",
                    "holidays",
                    "dates",
                    "end",
                ],
                "a bot setting",
            ),
            Some("choice") => list.words(&["option", "end"], ""),
            Some("slot") => {
                list.words(&SLOT_CLAUSES, "a slot setting");
                list.words(&["end"], "");
            }
            Some("form") => {
                list.words(&["slot", "confirm", "end"], "");
                list.words(&SLOT_CLAUSES, "a slot setting");
            }
            Some(block) => {
                if matches!(block, "flow" | "faq") {
                    list.words(&["triggers", "label", "examples"], "a flow header");
                }
                if block == "faq" {
                    list.words(&["answer"], "");
                } else {
                    list.words(&STATEMENTS, "a statement");
                }
                match block {
                    "if" => list.words(&["elif", "else"], ""),
                    "match" => list.words(&["case", "else"], ""),
                    "ok" => list.words(&["failed"], ""),
                    _ => {}
                }
                list.words(&["end"], "");
            }
        }
        list.out
    }

    /// The names of the flow around the cursor: from the analysis, and
    /// the `slot`, `set` and `as` written in its current text.
    fn locals(&self, list: &mut List, index: &Index, text: &str, flow: Option<&(String, usize)>) {
        let Some((flow, start)) = flow else {
            return;
        };
        for s in index.locals(flow) {
            let kind = if s.kind == Kind::FormSlot {
                CompletionKind::Slot
            } else {
                CompletionKind::Variable
            };
            list.add(&s.name, kind, &s.detail, s.doc.as_deref(), s.name.clone());
        }
        let body = &text[*start..];
        let end = body[1..]
            .find("\nflow ")
            .or_else(|| body[1..].find("\nfaq "))
            .map_or(body.len(), |i| i + 1);
        for line in body[..end].lines() {
            let words: Vec<&str> = line
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .collect();
            for pair in words.windows(2) {
                if matches!(pair[0], "slot" | "set" | "as") && !crate::syntax::is_reserved(pair[1])
                {
                    let kind = if pair[0] == "slot" {
                        CompletionKind::Slot
                    } else {
                        CompletionKind::Variable
                    };
                    list.add(pair[1], kind, pair[0], None, pair[1].to_string());
                }
            }
        }
    }
}

/// Whether the text before the cursor on its line asks for a value.
fn expression_context(before: &str, first_word: &str) -> bool {
    let value_after = [
        "if", "elif", "require", "when", "default", "match", "case", "return",
    ];
    if value_after.contains(&first_word) && before.len() > first_word.len() {
        return true;
    }
    if value_after.contains(&before) {
        return true;
    }
    if first_word == "set" && before.contains('=') {
        return true;
    }
    // An argument's value: `do f(x: ` or `call g(a: `.
    if matches!(first_word, "do" | "call") && before.contains('(') {
        let last = before.chars().last();
        return matches!(last, Some(':') | Some(',') | Some('(')) && before.ends_with(':')
            || before.ends_with(": ")
            || operator_before(before);
    }
    operator_before(before) && !matches!(first_word, "slot" | "action" | "table" | "flow")
}

fn operator_before(before: &str) -> bool {
    let ops = [
        "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ",", "[", " and", " or", " not",
        " in",
    ];
    ops.iter().any(|op| before.ends_with(op)) && before.split_whitespace().count() > 1
}

/// Whether the last non-blank line before the cursor's starts a text that
/// goes on with lines per language (`say`, `triggers`, a `fr:` line...).
fn previous_line_wants_text(before: &str) -> bool {
    let Some(line) = before.lines().rev().find(|l| !l.trim().is_empty()) else {
        return false;
    };
    let t = line.trim();
    let head = t.split_whitespace().next().unwrap_or("");
    let bare = t == head;
    let b = t.as_bytes();
    let lang_line =
        b.len() > 3 && b[0].is_ascii_lowercase() && b[1].is_ascii_lowercase() && b[2] == b':';
    lang_line
        || (bare
            && matches!(
                head,
                "say"
                    | "ask"
                    | "reprompt"
                    | "confirm"
                    | "answer"
                    | "else"
                    | "triggers"
                    | "label"
                    | "examples"
                    | "synonyms"
            ))
        || (head == "option" && t.split_whitespace().count() == 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flow_around_the_cursor_is_found() {
        let text = "flow a\n  say \"x\"\nend\n\nflow b(x: text)\n  set y = 1\n  \nend\n";
        let at = text.find("  \nend").unwrap() + 2;
        assert_eq!(enclosing_flow(text, at).map(|f| f.0).as_deref(), Some("b"));
        assert_eq!(enclosing_flow("action a()\n", 5), None);
    }

    #[test]
    fn texts_and_interpolations_are_told_apart() {
        assert_eq!(in_text("  say fr: \"Bonjour {"), (true, true));
        assert_eq!(in_text("  say fr: \"Bonjour {x} "), (true, false));
        assert_eq!(in_text("  say fr: \"a\" "), (false, false));
        assert_eq!(in_text("  say fr: \"a {{ "), (true, false));
    }
}
