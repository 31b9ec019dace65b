//! Edits of a flow's source text, for the checks that restore saved
//! conversations into an edited bot (the `turn` fuzz target, the tests of
//! sessions that survive a changed bot): statements inserted, removed and
//! swapped in every block; slots added first and last, removed (or
//! replaced by a `set`), retyped, renamed; the flow removed; the
//! signatures of its actions changed. An edit may give a bot that does
//! not load: callers skip those, as an author could not deploy them.

use crate::diagnostics::Span;
use crate::load::{ParsedBot, SourceFile};
use crate::syntax::ast::{FlowDecl, Form, Item, SlotTypeRef, Stmt, StmtKind};

/// One edit of a bot: the files with one or more texts changed.
#[derive(Clone)]
pub struct Edit {
    pub name: String,
    pub files: Vec<SourceFile>,
    /// False when it removes or moves a statement holding a `do` (or the
    /// flow): a confirmation may then rightly lead to no action.
    pub keeps_actions: bool,
}

fn replaced(
    files: &[SourceFile],
    file: usize,
    range: std::ops::Range<usize>,
    with: &str,
) -> Vec<SourceFile> {
    let mut out = files.to_vec();
    let text = &mut out[file].text;
    text.replace_range(range, with);
    out
}

fn indent_at(text: &str, at: usize) -> String {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect()
}

fn holds_do(stmt: &Stmt) -> bool {
    match &stmt.kind {
        StmtKind::Do { .. } | StmtKind::Call { .. } => true,
        StmtKind::If {
            branches,
            otherwise,
        } => {
            branches.iter().any(|(_, b)| b.iter().any(holds_do))
                || otherwise.iter().flatten().any(holds_do)
        }
        StmtKind::Match {
            cases, otherwise, ..
        } => {
            cases.iter().any(|c| c.body.iter().any(holds_do))
                || otherwise.iter().flatten().any(holds_do)
        }
        _ => false,
    }
}

/// Every block of statements of a flow, and every form.
fn blocks<'a>(stmts: &'a [Stmt], out: &mut Vec<&'a [Stmt]>, forms: &mut Vec<&'a Form>) {
    out.push(stmts);
    for s in stmts {
        match &s.kind {
            StmtKind::If {
                branches,
                otherwise,
            } => {
                for (_, b) in branches {
                    blocks(b, out, forms);
                }
                if let Some(b) = otherwise {
                    blocks(b, out, forms);
                }
            }
            StmtKind::Match {
                cases, otherwise, ..
            } => {
                for c in cases {
                    blocks(&c.body, out, forms);
                }
                if let Some(b) = otherwise {
                    blocks(b, out, forms);
                }
            }
            StmtKind::Do { ok, failed, .. } => {
                for b in [ok, failed].into_iter().flatten() {
                    blocks(b, out, forms);
                }
            }
            StmtKind::Form(f) => {
                forms.push(f);
                for slot in &f.slots {
                    if let Some(then) = slot.clauses.attempts.as_ref().and_then(|a| a.then.as_ref())
                    {
                        blocks(then, out, forms);
                    }
                }
            }
            _ => {}
        }
    }
}

const SAY: &str = "say fr: \"Une précision.\" nl: \"Een verduidelijking.\" en: \"A detail.\"";
const SLOT: &str = "slot extra_answer: text ask fr: \"Encore une chose ?\" nl: \"Nog iets?\" en: \"Anything else?\"";

/// The file a span of the parsed bot points into, as an index of `files`.
fn file_of(parsed: &ParsedBot, files: &[SourceFile], span: Span) -> Option<usize> {
    let name = &parsed.sources.get(span.source)?.name;
    files.iter().position(|f| f.name == *name)
}

/// Edits of one flow of the bot, each a whole new set of files.
pub fn edits_of_flow(files: &[SourceFile], parsed: &ParsedBot, flow: &FlowDecl) -> Vec<Edit> {
    let mut out = Vec::new();
    let Some(file) = file_of(parsed, files, flow.span) else {
        return out;
    };
    let text = files[file].text.as_str();
    let name = &flow.name.name;
    let mut all = Vec::new();
    let mut forms = Vec::new();
    blocks(&flow.body, &mut all, &mut forms);
    for (b, block) in all.iter().enumerate() {
        if block.is_empty() {
            continue;
        }
        for k in [0, block.len() - 1] {
            let at = block[k].span.start;
            let with = format!("{SAY}\n{}", indent_at(text, at));
            out.push(Edit {
                name: format!("{name}: insert a say before statement {k} of block {b}"),
                files: replaced(files, file, at..at, &with),
                keeps_actions: true,
            });
        }
        for (k, s) in block.iter().enumerate() {
            out.push(Edit {
                name: format!("{name}: remove statement {k} of block {b}"),
                files: replaced(files, file, s.span.range(), ""),
                keeps_actions: !holds_do(s),
            });
        }
        for k in 0..block.len().saturating_sub(1) {
            let (a, c) = (&block[k], &block[k + 1]);
            let swapped = format!("{}{}", &text[c.span.range()], &text[a.span.range()]);
            out.push(Edit {
                name: format!("{name}: swap statements {k} and {} of block {b}", k + 1),
                files: replaced(files, file, a.span.start..c.span.end, &swapped),
                keeps_actions: !holds_do(a) && !holds_do(c),
            });
        }
    }
    for (f, form) in forms.iter().enumerate() {
        let Some(first) = form.slots.first() else {
            continue;
        };
        let indent = indent_at(text, first.span.start);
        out.push(Edit {
            name: format!("{name}: add a required slot first in form {f}"),
            files: replaced(
                files,
                file,
                first.span.start..first.span.start,
                &format!("{SLOT}\n{indent}"),
            ),
            keeps_actions: true,
        });
        let last = form.slots.last().unwrap();
        out.push(Edit {
            name: format!("{name}: add a required slot last in form {f}"),
            files: replaced(
                files,
                file,
                last.span.end..last.span.end,
                &format!("{SLOT}\n{indent}"),
            ),
            keeps_actions: true,
        });
        for slot in &form.slots {
            out.push(Edit {
                name: format!("{name}: remove slot {} of form {f}", slot.name.name),
                files: replaced(files, file, slot.span.range(), ""),
                keeps_actions: true,
            });
            // The slot removed, its uses kept: a fixed value replaces the question.
            if let Some(value) = literal_for(parsed, &slot.ty) {
                let at = flow.body.first().map_or(slot.span.start, |s| s.span.start);
                let set = format!("set {} = {value}\n{}", slot.name.name, indent_at(text, at));
                let mut edited = replaced(files, file, slot.span.range(), "");
                edited[file].text.replace_range(at..at, &set);
                out.push(Edit {
                    name: format!(
                        "{name}: remove slot {} of form {f}, set instead",
                        slot.name.name
                    ),
                    files: edited,
                    keeps_actions: true,
                });
            }
            let (range, ty) = match &slot.ty {
                SlotTypeRef::Type(id) => (
                    id.span.range(),
                    if id.name == "text" { "name" } else { "text" },
                ),
                SlotTypeRef::Like(id) => (slot.name.span.end..id.span.end, ": text"),
            };
            out.push(Edit {
                name: format!("{name}: retype slot {} of form {f}", slot.name.name),
                files: replaced(files, file, trim(text, range), ty),
                keeps_actions: true,
            });
            let renamed = rename_in(
                &text[flow.span.range()],
                &slot.name.name,
                &format!("{}_renamed", slot.name.name),
            );
            out.push(Edit {
                name: format!("{name}: rename slot {} of form {f}", slot.name.name),
                files: replaced(files, file, flow.span.range(), &renamed),
                keeps_actions: true,
            });
        }
    }
    out.push(Edit {
        name: format!("remove the flow {name}"),
        files: replaced(files, file, flow.span.range(), ""),
        keeps_actions: false,
    });
    // The signatures of the actions it does.
    let mut actions: Vec<&str> = Vec::new();
    collect_actions(&flow.body, &mut actions);
    for item in &parsed.items {
        let Item::Action(a) = item else { continue };
        if !actions.contains(&a.name.name.as_str()) {
            continue;
        }
        let Some(afile) = file_of(parsed, files, a.span) else {
            continue;
        };
        let atext = files[afile].text.as_str();
        if let Some(last) = a.params.last() {
            let at = last.ty.span.end;
            out.push(Edit {
                name: format!("action {}: a new optional argument", a.name.name),
                files: replaced(files, afile, at..at, ", extra_argument?: text"),
                keeps_actions: true,
            });
        }
        for p in &a.params {
            let q = p.name.span.end;
            if !atext[q..].starts_with('?') {
                out.push(Edit {
                    name: format!("action {}: {} becomes optional", a.name.name, p.name.name),
                    files: replaced(files, afile, q..q, "?"),
                    keeps_actions: true,
                });
            }
            if atext[q..].starts_with('?') {
                out.push(Edit {
                    name: format!("action {}: {} becomes required", a.name.name, p.name.name),
                    files: replaced(files, afile, q..q + 1, ""),
                    keeps_actions: true,
                });
            }
        }
        if let Some(last) = a.results.last() {
            let at = last.ty.span.end;
            out.push(Edit {
                name: format!("action {}: a new result field", a.name.name),
                files: replaced(files, afile, at..at, ", extra_result: text"),
                keeps_actions: true,
            });
        }
    }
    out
}

/// A value of a slot's type, as a literal.
fn literal_for(parsed: &ParsedBot, ty: &SlotTypeRef) -> Option<String> {
    let name = match ty {
        SlotTypeRef::Type(id) => id.name.clone(),
        SlotTypeRef::Like(id) => parsed.items.iter().find_map(|i| match i {
            Item::Slot(s) if s.name.name == id.name => Some(s.ty.name.clone()),
            _ => None,
        })?,
    };
    Some(match name.as_str() {
        "date" => "2025-09-01".into(),
        "time" => "10:00".into(),
        "number" => "1".into(),
        "money" => "15 EUR".into(),
        "yesno" => "yes".into(),
        "email" => "\"tom@example.be\"".into(),
        "phone" => "\"+32470123456\"".into(),
        "plate" => "\"1-ABC-234\"".into(),
        "postal_code" => "\"1170\"".into(),
        "text" | "name" | "iban" | "national_number" | "structured_communication" => "\"X\"".into(),
        choice => parsed.items.iter().find_map(|i| match i {
            Item::Choice(c) if c.name.name == choice => {
                Some(format!("\"{}\"", c.options.first()?.key.name))
            }
            _ => None,
        })?,
    })
}

/// A span without the whitespace the parser lets it run on over.
fn trim(text: &str, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let s = &text[range.clone()];
    range.start..range.start + s.trim_end().len()
}

fn collect_actions<'a>(stmts: &'a [Stmt], out: &mut Vec<&'a str>) {
    let mut all = Vec::new();
    let mut forms = Vec::new();
    blocks(stmts, &mut all, &mut forms);
    for block in all {
        for s in block {
            if let StmtKind::Do { action, .. } = &s.kind {
                out.push(&action.name);
            }
        }
    }
}

/// Replaces a name as a whole word.
pub fn rename_in(text: &str, from: &str, to: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut out = String::new();
    let mut i = 0;
    while let Some(pos) = text[i..].find(from) {
        let at = i + pos;
        out.push_str(&text[i..at]);
        let before = text[..at].chars().last();
        let after = text[at + from.len()..].chars().next();
        out.push_str(if word(before) || word(after) {
            from
        } else {
            to
        });
        i = at + from.len();
    }
    out.push_str(&text[i..]);
    out
}
