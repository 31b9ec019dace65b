//! Analysis for editors: a bot's folder held in memory (its flows, CSV
//! tables and conversation tests, with the editor's unsaved texts over
//! the files on disk), and the answers an editor asks for: diagnostics,
//! completion, hover, definitions, references, rename, the outline,
//! formatting and quick fixes.
//!
//! Nothing here speaks a protocol: `guichet lsp` (the command line) turns
//! these answers into the Language Server Protocol, and a web page could
//! ask for them over HTTP. Positions are 0-based lines and UTF-16 columns,
//! as both count them; spans stay byte ranges inside.

pub mod complete;
pub mod index;
mod lines;
mod navigate;
mod testfiles;

pub use complete::{Completion, CompletionKind};
pub use index::{Index, Kind, Namespace, Symbol, Target};
pub use lines::{offset, position, range, Position, Range};
pub use navigate::{builtin_signature, valid_name, CodeAction, Hover, Outline, OutlineKind};

use crate::diagnostics::{Diagnostic, Severity, SourceId, Span};
use crate::load::{ParsedBot, SourceFile};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A place in a file of the bot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub range: Range,
}

/// A change to a file's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    pub range: Range,
    pub new_text: String,
}

/// A diagnostic placed in one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileDiagnostic {
    pub range: Range,
    pub severity: Severity,
    pub code: String,
    pub message: String,
    /// What the underline says.
    pub label: String,
    pub help: Option<String>,
    pub related: Vec<(Location, String)>,
}

/// Everything known about the bot's current texts.
#[derive(Debug)]
pub struct Analysis {
    pub parsed: ParsedBot,
    /// The checker's and the loader's diagnostics, as `guichet check` gives them.
    pub diagnostics: Vec<Diagnostic>,
    pub index: Index,
    /// Names used in the conversation tests (`= slot`, `! action`, `+ payload`).
    pub(crate) test_refs: Vec<testfiles::TestRef>,
    /// Test files that do not read: file, line (0-based), message, help.
    pub(crate) test_problems: Vec<(String, usize, String, Option<String>)>,
}

/// A bot's folder, with the texts an editor has open.
#[derive(Debug)]
pub struct Workspace {
    root: PathBuf,
    /// Every `.flow`, `.csv` and `.test` file of the bot by path: the
    /// editor's text when open, else the file's.
    files: BTreeMap<String, String>,
    open: BTreeSet<String>,
    analysis: Option<Arc<Analysis>>,
    /// The analysis before the last change, until the next is made.
    previous: Option<Arc<Analysis>>,
    /// The last analysis in which every file read whole.
    clean: Option<Arc<Analysis>>,
}

/// The folder of the bot a file belongs to: the highest folder of `.flow`
/// files above it (a bot's flows may sit in subfolders), starting from a
/// test file's parent when its own folder holds no flow.
pub fn bot_root(file: &Path) -> PathBuf {
    let has_flows = |dir: &Path| {
        std::fs::read_dir(dir).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "flow"))
        })
    };
    let mut dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
    if !has_flows(&dir) {
        if let Some(parent) = dir.parent().filter(|p| has_flows(p)) {
            dir = parent.to_path_buf();
        }
    }
    while let Some(parent) = dir.parent() {
        if parent.as_os_str().is_empty() || !has_flows(parent) {
            break;
        }
        dir = parent.to_path_buf();
    }
    dir
}

fn is_bot_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "flow" || e == "csv" || e == "test")
}

impl Workspace {
    /// The bot in the folder `root`, read from disk.
    pub fn load(root: &Path) -> Workspace {
        let mut files = BTreeMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if is_bot_file(&path) {
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        files.insert(path.display().to_string(), text);
                    }
                }
            }
        }
        Workspace::from_files(root, files)
    }

    /// A bot given as texts by path (nothing is read from disk).
    pub fn from_files(root: &Path, files: BTreeMap<String, String>) -> Workspace {
        Workspace {
            root: root.to_path_buf(),
            files,
            open: BTreeSet::new(),
            analysis: None,
            previous: None,
            clean: None,
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether a path is one of the bot's files.
    pub fn contains(&self, file: &str) -> bool {
        self.files.contains_key(file)
    }

    /// The bot's files, by path.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn text(&self, file: &str) -> Option<&str> {
        self.files.get(file).map(String::as_str)
    }

    /// An editor's text for a file (opened or changed).
    pub fn set_text(&mut self, file: &str, text: String) {
        self.open.insert(file.to_string());
        if self.files.get(file) != Some(&text) {
            self.files.insert(file.to_string(), text);
            self.invalidate();
        }
    }

    /// The editor closed a file: its text is the file's again (or it is
    /// gone, if it was never saved).
    pub fn close(&mut self, file: &str) {
        self.open.remove(file);
        match std::fs::read_to_string(file) {
            Ok(text) => self.set_text_from_disk(file, text),
            Err(_) => {
                if self.files.remove(file).is_some() {
                    self.invalidate();
                }
            }
        }
    }

    /// A file changed on disk: taken unless the editor has it open.
    pub fn disk_changed(&mut self, file: &str) {
        if self.open.contains(file) {
            return;
        }
        match std::fs::read_to_string(file) {
            Ok(text) => self.set_text_from_disk(file, text),
            Err(_) => {
                if self.files.remove(file).is_some() {
                    self.invalidate();
                }
            }
        }
    }

    fn set_text_from_disk(&mut self, file: &str, text: String) {
        if self.files.get(file) != Some(&text) {
            self.files.insert(file.to_string(), text);
            self.invalidate();
        }
    }

    fn invalidate(&mut self) {
        if let Some(a) = self.analysis.take() {
            self.previous = Some(a);
        }
    }

    /// The analysis of the current texts, computed once per change.
    pub fn analysis(&mut self) -> Arc<Analysis> {
        if let Some(a) = &self.analysis {
            return a.clone();
        }
        let a = Arc::new(self.analyse());
        let reads = !a
            .diagnostics
            .iter()
            .any(|d| crate::check::SYNTAX_CODES.contains(&d.code));
        if reads {
            self.clean = Some(a.clone());
        }
        self.previous = None;
        self.analysis = Some(a.clone());
        a
    }

    /// The names completion offers: those of the latest analysis made
    /// (not waiting for the one of the text just typed), with those of the
    /// last one where every file read whole, so that a flow with a
    /// mistake being typed keeps its names.
    pub fn names(&mut self) -> Index {
        let latest = match self.analysis.clone().or_else(|| self.previous.clone()) {
            Some(a) => a,
            None => self.analysis(),
        };
        let mut index = latest.index.clone();
        if let Some(clean) = &self.clean {
            if !Arc::ptr_eq(clean, &latest) {
                for s in &clean.index.symbols {
                    let t = s.target();
                    if !index.symbols.iter().any(|o| o.target() == t) {
                        index.symbols.push(s.clone());
                    }
                }
            }
        }
        index
    }

    fn analyse(&self) -> Analysis {
        let sources: Vec<SourceFile> = self
            .files
            .iter()
            .filter(|(name, _)| !name.ends_with(".test"))
            .map(|(name, text)| SourceFile {
                name: name.clone(),
                text: text.clone(),
            })
            .collect();
        let (parsed, diagnostics) = crate::bot::check_files(&sources);
        let index = Index::build(&parsed.items);
        let mut test_refs = Vec::new();
        let mut test_problems = Vec::new();
        for (name, text) in self.files.iter().filter(|(n, _)| n.ends_with(".test")) {
            test_refs.extend(testfiles::references(name, text));
            if let Err(f) = crate::testing::parse(text, "test") {
                test_problems.push((name.clone(), f.line.saturating_sub(1), f.message, f.help));
            }
        }
        Analysis {
            parsed,
            diagnostics,
            index,
            test_refs,
            test_problems,
        }
    }

    /// Every file's diagnostics, with an empty list for a file that has
    /// none (so an editor clears what it showed).
    pub fn diagnostics(&mut self) -> BTreeMap<String, Vec<FileDiagnostic>> {
        let files: Vec<String> = self.files.keys().cloned().collect();
        files
            .into_iter()
            .map(|f| {
                let list = self.diagnostics_of(&f);
                (f, list)
            })
            .collect()
    }

    /// One file's diagnostics.
    pub fn diagnostics_of(&mut self, file: &str) -> Vec<FileDiagnostic> {
        let a = self.analysis();
        let mut out: Vec<FileDiagnostic> = match a.source_of(file) {
            Some(id) => a
                .diagnostics
                .iter()
                .filter(|d| d.span.source == id)
                .map(|d| a.file_diagnostic(d))
                .collect(),
            None => Vec::new(),
        };
        let Some(text) = self.files.get(file) else {
            return out;
        };
        for (_, line, message, help) in a.test_problems.iter().filter(|p| p.0 == file) {
            let start = offset(
                text,
                Position {
                    line: *line as u32,
                    character: 0,
                },
            );
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
            out.push(FileDiagnostic {
                range: range(text, start, end),
                severity: Severity::Error,
                code: "test-file".into(),
                message: message.clone(),
                label: String::new(),
                help: help.clone(),
                related: vec![],
            });
        }
        out
    }
}

impl Analysis {
    /// The path of a source, unless it is the standard library's (not a
    /// file an editor can open).
    pub fn file_of(&self, id: SourceId) -> Option<String> {
        if self.parsed.stdlib.contains(&id) {
            return None;
        }
        self.parsed.sources.get(id).map(|s| s.name.clone())
    }

    pub fn source_of(&self, file: &str) -> Option<SourceId> {
        self.parsed
            .sources
            .iter()
            .find(|(id, s)| s.name == file && !self.parsed.stdlib.contains(id))
            .map(|(id, _)| id)
    }

    pub fn location(&self, span: Span) -> Option<Location> {
        let file = self.file_of(span.source)?;
        let text = &self.parsed.sources.get(span.source)?.text;
        Some(Location {
            file,
            range: range(text, span.start, span.end),
        })
    }

    fn file_diagnostic(&self, d: &Diagnostic) -> FileDiagnostic {
        let text = self
            .parsed
            .sources
            .get(d.span.source)
            .map(|s| s.text.clone())
            .unwrap_or_else(|| Arc::from(""));
        FileDiagnostic {
            range: range(&text, d.span.start, d.span.end),
            severity: d.severity,
            code: d.code.to_string(),
            message: d.message.clone(),
            label: d.label.clone(),
            help: d.help.clone(),
            related: d
                .related
                .iter()
                .filter_map(|r| Some((self.location(r.span)?, r.message.clone())))
                .collect(),
        }
    }
}
