//! Hover, go to definition, find references, rename, the outline,
//! formatting and quick fixes, over a `Workspace`.

use super::index::{Kind, Namespace, Symbol, Target};
use super::testfiles::TestRef;
use super::{lines, Analysis, FileDiagnostic, Location, Position, Range, TextEdit, Workspace};
use crate::check::explain::explain;
use crate::stdlib::signatures::{self, Builtin, Param, Returns};
use serde::Serialize;
use std::collections::BTreeMap;

/// What hovering a place shows, in Markdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hover {
    pub markdown: String,
    pub range: Range,
}

/// One entry of a file's outline, with what it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outline {
    pub name: String,
    pub detail: String,
    pub kind: OutlineKind,
    /// The whole declaration.
    pub range: Range,
    /// Its name.
    pub selection: Range,
    pub children: Vec<Outline>,
}

/// An outline entry's kind (`Kind` as `Serialize`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutlineKind {
    Bot,
    Flow,
    Faq,
    Action,
    Choice,
    Pattern,
    Option,
    Slot,
    Param,
    Variable,
    Table,
    Text,
}

/// A fix for a diagnostic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CodeAction {
    pub title: String,
    /// The code of the diagnostic it fixes.
    pub code: String,
    pub diagnostic: Range,
    pub edits: BTreeMap<String, Vec<TextEdit>>,
}

/// A built-in function written as a signature: `round(number, number) -> number`.
pub fn builtin_signature(b: &Builtin) -> String {
    let params: Vec<String> = b
        .params
        .iter()
        .map(|p| match p {
            Param::Is(t) => t.to_string(),
            Param::Any => "any value".to_string(),
            Param::Numeric => "number or money".to_string(),
            Param::Comparable => "value".to_string(),
            Param::Table => "table".to_string(),
        })
        .collect();
    let returns = match &b.returns {
        Returns::Is(t) => t.to_string(),
        Returns::FirstArg => "same as the first".to_string(),
        Returns::TableRow => "a row or nothing".to_string(),
        Returns::TableRows => "a list of rows".to_string(),
    };
    format!("{}({}) -> {returns}", b.name, params.join(", "))
}

/// Whether `name` may name something: a letter or `_`, then letters,
/// digits and `_`, and no reserved word.
pub fn valid_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !crate::syntax::is_reserved(name)
}

/// The word (a name) around byte `at` of `text`: its range.
pub(crate) fn word_at(text: &str, at: usize) -> Option<(usize, usize)> {
    let at = at.min(text.len());
    let is = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = text.as_bytes();
    let mut start = at;
    while start > 0 && is(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = at;
    while end < bytes.len() && is(bytes[end]) {
        end += 1;
    }
    (end > start).then_some((start, end))
}

fn kind_of(kind: Kind) -> OutlineKind {
    match kind {
        Kind::Bot => OutlineKind::Bot,
        Kind::Flow => OutlineKind::Flow,
        Kind::Faq => OutlineKind::Faq,
        Kind::Action => OutlineKind::Action,
        Kind::Choice => OutlineKind::Choice,
        Kind::Pattern => OutlineKind::Pattern,
        Kind::Option => OutlineKind::Option,
        Kind::Slot | Kind::FormSlot => OutlineKind::Slot,
        Kind::Param => OutlineKind::Param,
        Kind::Variable => OutlineKind::Variable,
        Kind::Table => OutlineKind::Table,
        Kind::Text => OutlineKind::Text,
    }
}

impl Analysis {
    /// The target at a position of a file, and the text of that file.
    fn target(&self, file: &str, pos: Position) -> Option<Target> {
        let id = self.source_of(file)?;
        let text = &self.parsed.sources.get(id)?.text;
        self.index.target_at(id, lines::offset(text, pos))
    }

    fn test_refs_of<'a>(&'a self, t: &'a Target) -> impl Iterator<Item = &'a TestRef> + 'a {
        self.test_refs.iter().filter(move |r| {
            r.name == t.name
                && match t.namespace {
                    Namespace::Local | Namespace::Slot => r.namespace == Namespace::Local,
                    ns => r.namespace == ns,
                }
        })
    }
}

impl Workspace {
    fn test_location(&self, r: &TestRef) -> Option<Location> {
        let text = self.files.get(&r.file)?;
        Some(Location {
            file: r.file.clone(),
            range: lines::range(text, r.start, r.end),
        })
    }

    /// Where the name at a position is declared.
    pub fn definition(&mut self, file: &str, pos: Position) -> Vec<Location> {
        let a = self.analysis();
        let Some(t) = a.target(file, pos) else {
            return Vec::new();
        };
        a.index
            .definitions(&t)
            .filter_map(|s| a.location(s.span))
            .collect()
    }

    /// Where the name at a position is used, in flows and in tests, and
    /// declared when `declaration` is set.
    pub fn references(&mut self, file: &str, pos: Position, declaration: bool) -> Vec<Location> {
        let a = self.analysis();
        let Some(t) = a.target(file, pos) else {
            return Vec::new();
        };
        let mut out: Vec<Location> = Vec::new();
        if declaration {
            out.extend(a.index.definitions(&t).filter_map(|s| a.location(s.span)));
        }
        out.extend(a.index.uses(&t).filter_map(|r| a.location(r.span)));
        out.extend(a.test_refs_of(&t).filter_map(|r| self.test_location(r)));
        out
    }

    /// The range of the name a rename at this position would change, or
    /// why it cannot be renamed.
    pub fn prepare_rename(&mut self, file: &str, pos: Position) -> Result<Range, String> {
        let a = self.analysis();
        let t = a
            .target(file, pos)
            .ok_or("there is no name of the bot here")?;
        let defs: Vec<&Symbol> = a.index.definitions(&t).collect();
        if defs.is_empty() {
            return Err(format!("`{}` is declared nowhere in this bot", t.name));
        }
        if defs.iter().all(|d| a.file_of(d.span.source).is_none()) {
            return Err(format!(
                "`{}` comes from the standard library: declare your own to replace it",
                t.name
            ));
        }
        if matches!(t.namespace, Namespace::Option | Namespace::Bot) {
            return Err("options and the bot's name are renamed by hand".into());
        }
        let id = a.source_of(file).ok_or("not a file of this bot")?;
        let text = &a
            .parsed
            .sources
            .get(id)
            .ok_or("not a file of this bot")?
            .text;
        let (start, end) =
            word_at(text, lines::offset(text, pos)).ok_or("there is no name here")?;
        Ok(lines::range(text, start, end))
    }

    /// The edits that rename the name at a position everywhere: its
    /// declaration, its uses in every flow file, and the tests.
    pub fn rename(
        &mut self,
        file: &str,
        pos: Position,
        new_name: &str,
    ) -> Result<BTreeMap<String, Vec<TextEdit>>, String> {
        self.prepare_rename(file, pos)?;
        let a = self.analysis();
        let t = a
            .target(file, pos)
            .ok_or("there is no name of the bot here")?;
        if !valid_name(new_name) {
            return Err(format!(
                "`{new_name}` is not a name: a letter or `_`, then letters, digits or `_`, and no reserved word"
            ));
        }
        if new_name == t.name {
            return Ok(BTreeMap::new());
        }
        let taken = a.index.symbols.iter().any(|s| {
            let other = s.target();
            other.namespace == t.namespace && other.scope == t.scope && s.name == new_name
        });
        if taken {
            return Err(format!("`{new_name}` is already declared"));
        }
        let mut edits: BTreeMap<String, Vec<TextEdit>> = BTreeMap::new();
        let mut push = |loc: Location, new_text: String| {
            edits.entry(loc.file).or_default().push(TextEdit {
                range: loc.range,
                new_text,
            });
        };
        for d in a.index.definitions(&t) {
            if let Some(loc) = a.location(d.span) {
                push(loc, new_name.to_string());
            }
        }
        for r in a.index.uses(&t) {
            if let Some(loc) = a.location(r.span) {
                let text = if r.shorthand {
                    format!("{}: {new_name}", r.name)
                } else {
                    new_name.to_string()
                };
                push(loc, text);
            }
        }
        for r in a.test_refs_of(&t) {
            if let Some(loc) = self.test_location(r) {
                push(loc, new_name.to_string());
            }
        }
        for list in edits.values_mut() {
            list.sort_by_key(|e| (e.range.start, e.range.end));
            list.dedup();
        }
        Ok(edits)
    }

    /// What hovering a position shows: the explanation of a diagnostic
    /// there, a built-in function's signature and documentation, or what
    /// the name there declares.
    pub fn hover(&mut self, file: &str, pos: Position) -> Option<Hover> {
        let a = self.analysis();
        let text = self.files.get(file)?.clone();
        let at = lines::offset(&text, pos);
        let mut parts: Vec<String> = Vec::new();
        let mut range = None;
        let diags = self.diagnostics_at(file, pos);
        for d in &diags {
            let mut s = format!("**{}** `{}`: {}", d.severity_word(), d.code, d.message);
            if let Some(e) = explain(&d.code) {
                s.push_str(&format!("\n\n{}\n\n{}", e.summary, e.meaning));
            }
            parts.push(s);
            range.get_or_insert(d.range);
        }
        let word = word_at(&text, at);
        let called = word.is_some_and(|(_, end)| text[end..].trim_start().starts_with('('));
        if let (Some((start, end)), true) = (word, called) {
            if let Some(b) = signatures::find(&text[start..end]) {
                parts.push(format!(
                    "```guichet\n{}\n```\n{}",
                    builtin_signature(b),
                    b.doc
                ));
                range = Some(lines::range(&text, start, end));
            }
        }
        if let Some(t) = a.target(file, pos) {
            for s in a.index.definitions(&t) {
                let mut md = format!("```guichet\n{}\n```", s.detail);
                if let Some(doc) = &s.doc {
                    md.push_str(&format!("\n{doc}"));
                }
                if let Some(scope) = &s.scope {
                    md.push_str(&format!("\n\n{} of `{scope}`", s.kind.word()));
                }
                parts.push(md);
            }
            if let Some((start, end)) = word {
                range = Some(lines::range(&text, start, end));
            }
        }
        let range = range?;
        (!parts.is_empty()).then(|| Hover {
            markdown: parts.join("\n\n---\n\n"),
            range,
        })
    }

    fn diagnostics_at(&mut self, file: &str, pos: Position) -> Vec<FileDiagnostic> {
        self.diagnostics_of(file)
            .into_iter()
            .filter(|d| d.range.start <= pos && pos <= d.range.end)
            .collect()
    }

    /// A file's outline: its declarations, with a flow's slots and
    /// parameters and a choice's options inside.
    pub fn outline(&mut self, file: &str) -> Vec<Outline> {
        let a = self.analysis();
        let Some(id) = a.source_of(file) else {
            return Vec::new();
        };
        let entry = |s: &Symbol| -> Option<Outline> {
            let full = a.location(s.full)?;
            let name = a.location(s.span)?;
            Some(Outline {
                name: s.name.clone(),
                detail: s.detail.clone(),
                kind: kind_of(s.kind),
                range: full.range,
                selection: name.range,
                children: Vec::new(),
            })
        };
        let mut out = Vec::new();
        for s in a.index.symbols.iter().filter(|s| s.span.source == id) {
            let top = !matches!(
                s.kind,
                Kind::Option | Kind::FormSlot | Kind::Param | Kind::Variable
            );
            if !top {
                continue;
            }
            let Some(mut o) = entry(s) else { continue };
            o.children = a
                .index
                .symbols
                .iter()
                .filter(|c| c.span.source == id && c.scope.as_deref() == Some(s.name.as_str()))
                .filter(|c| match s.kind {
                    Kind::Choice => c.kind == Kind::Option,
                    Kind::Flow | Kind::Faq => {
                        matches!(c.kind, Kind::FormSlot | Kind::Param | Kind::Variable)
                    }
                    _ => false,
                })
                .filter_map(entry)
                .collect();
            out.push(o);
        }
        out
    }

    /// The file in the formatter's layout: `Ok(None)` when it already is,
    /// its syntax errors when it cannot be formatted.
    pub fn format(&self, file: &str) -> Result<Option<String>, String> {
        let text = self.files.get(file).ok_or("not a file of this bot")?;
        if !file.ends_with(".flow") {
            return Ok(None);
        }
        match crate::syntax::format_source(text) {
            Ok(f) if f == *text => Ok(None),
            Ok(f) => Ok(Some(f)),
            Err(diags) => Err(diags
                .first()
                .map(|d| format!("{}: {}", d.code, d.message))
                .unwrap_or_else(|| "this file cannot be formatted".into())),
        }
    }

    /// Fixes for the diagnostics that touch `range` of `file`: a name the
    /// checker suggests ("did you mean `x`?") put in place, an `end` put
    /// where the layout says a block stops.
    pub fn code_actions(&mut self, file: &str, range: Range) -> Vec<CodeAction> {
        let Some(text) = self.files.get(file).cloned() else {
            return Vec::new();
        };
        let diags = self.diagnostics_of(file);
        let mut out = Vec::new();
        for d in diags {
            if d.range.end < range.start || range.end < d.range.start {
                continue;
            }
            let help = d.help.as_deref().unwrap_or("");
            if let Some(name) = help
                .split("did you mean `")
                .nth(1)
                .and_then(|rest| rest.split('`').next())
            {
                out.push(CodeAction {
                    title: format!("Replace with `{name}`"),
                    code: d.code.clone(),
                    diagnostic: d.range,
                    edits: BTreeMap::from([(
                        file.to_string(),
                        vec![TextEdit {
                            range: d.range,
                            new_text: name.to_string(),
                        }],
                    )]),
                });
            }
            if d.code == "unclosed-block" {
                if let Some(edit) = end_after(&text, &d) {
                    out.push(CodeAction {
                        title: format!("Add `end` after line {}", edit.range.start.line + 1),
                        code: d.code.clone(),
                        diagnostic: d.range,
                        edits: BTreeMap::from([(file.to_string(), vec![edit])]),
                    });
                }
            }
        }
        out
    }
}

/// The edit that puts the missing `end` of an `unclosed-block` diagnostic
/// where its help says, indented as the block's opening line (a `do`'s
/// for its branches).
fn end_after(text: &str, d: &FileDiagnostic) -> Option<TextEdit> {
    let help = d.help.as_deref()?;
    let line: u32 = help
        .split("after line ")
        .nth(1)?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    let opener_line = text.lines().nth(d.range.start.line as usize)?;
    let mut indent = opener_line.len() - opener_line.trim_start().len();
    let word = opener_line.trim_start();
    if word.starts_with("ok") || word.starts_with("failed") {
        indent = indent.saturating_sub(2);
    }
    let at = text.lines().nth(line.checked_sub(1)? as usize)?;
    let pos = Position {
        line: line - 1,
        character: at.encode_utf16().count() as u32,
    };
    Some(TextEdit {
        range: Range {
            start: pos,
            end: pos,
        },
        new_text: format!("\n{}end", " ".repeat(indent)),
    })
}

impl FileDiagnostic {
    fn severity_word(&self) -> &'static str {
        if self.severity == crate::diagnostics::Severity::Error {
            "error"
        } else {
            "warning"
        }
    }
}
