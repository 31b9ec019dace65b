//! The edited bot: the files on disk with the page's unsaved texts over
//! them. Each member of staff has a `Workspace` of the editor analysis
//! (the one behind `guichet lsp`), so diagnostics, completion and hover
//! are the language server's; the bot built from the edited texts (for
//! the trial chat and the tests) is kept for the few last versions.

use super::files::{check_relative, BadPath, BotFolder, FileKind};
use crate::analysis::{self, Analysis, Range, Workspace};
use crate::diagnostics::{Diagnostic, Located, LocatedLabel, Severity, Sources};
use crate::load::SourceFile;
use crate::Bot;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The page's unsaved texts, by path relative to the bot's folder.
pub type Unsaved = BTreeMap<String, String>;

/// How many members of staff keep a workspace at once (the least recently
/// used goes first).
const DESKS: usize = 16;
/// How many built bots are kept (the trial chat and the tests of the same
/// texts reuse them).
const BOTS: usize = 4;

/// One diagnostic: an entry of `guichet check --format json` (its `file`
/// relative to the bot's folder), with the range an editor underlines (0-based
/// lines, UTF-16 columns, as JavaScript counts them).
#[derive(Debug, Clone, Serialize)]
pub struct StudioDiagnostic {
    #[serde(flatten)]
    pub located: Located,
    pub range: Option<Range>,
}

/// The whole bot's diagnostics: the document `guichet check --format
/// json` prints, each entry with its range.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub diagnostics: Vec<StudioDiagnostic>,
    pub errors: usize,
    pub warnings: usize,
}

impl Report {
    fn new(diagnostics: Vec<StudioDiagnostic>) -> Report {
        let errors = diagnostics
            .iter()
            .filter(|d| d.located.severity == Severity::Error)
            .count();
        Report {
            errors,
            warnings: diagnostics.len() - errors,
            diagnostics,
        }
    }
}

/// A member of staff's workspace, by login.
type Desk = (String, Arc<Mutex<Workspace>>);
/// A bot built from texts, by the hash of those texts.
type Built = (String, Result<Bot, Arc<Report>>);

pub struct Editing {
    pub folder: BotFolder,
    desks: Mutex<Vec<Desk>>,
    bots: Mutex<Vec<Built>>,
}

impl Editing {
    pub fn new(folder: BotFolder) -> Editing {
        Editing {
            folder,
            desks: Mutex::new(Vec::new()),
            bots: Mutex::new(Vec::new()),
        }
    }

    /// The bot's texts: the files on disk, with `unsaved` over them. An
    /// unsaved text must be one of the bot's files.
    pub fn texts(&self, unsaved: &Unsaved) -> Result<BTreeMap<String, String>, BadPath> {
        let mut texts = self.folder.read_all();
        for (path, text) in unsaved {
            check_relative(path)?;
            match texts.get_mut(path) {
                Some(t) => t.clone_from(text),
                None => return Err(BadPath(format!("{path}: no such file in the bot's folder"))),
            }
        }
        Ok(texts)
    }

    /// The workspace of a member of staff, brought to `texts`.
    pub fn desk(&self, login: &str, texts: &BTreeMap<String, String>) -> Arc<Mutex<Workspace>> {
        let desk = {
            let mut desks = self.desks.lock().unwrap_or_else(|e| e.into_inner());
            let found = desks.iter().position(|(l, _)| l == login);
            let desk = match found {
                Some(i) => desks.remove(i).1,
                None => Arc::new(Mutex::new(Workspace::from_files(
                    &self.folder.root,
                    BTreeMap::new(),
                ))),
            };
            desks.push((login.to_string(), desk.clone()));
            if desks.len() > DESKS {
                desks.remove(0);
            }
            desk
        };
        {
            let mut ws = desk.lock().unwrap_or_else(|e| e.into_inner());
            let wanted: BTreeMap<String, &String> = texts
                .iter()
                .map(|(p, t)| (self.folder.source_name(p), t))
                .collect();
            let gone: Vec<String> = ws
                .files()
                .filter(|f| !wanted.contains_key(*f))
                .map(str::to_string)
                .collect();
            for f in gone {
                // Not on disk any more: the workspace forgets it.
                ws.close(&f);
            }
            for (name, text) in wanted {
                if ws.text(&name) != Some(text.as_str()) {
                    ws.set_text(&name, text.clone());
                }
            }
        }
        desk
    }

    /// The whole bot's diagnostics for a workspace.
    pub fn report(&self, ws: &mut Workspace) -> Report {
        let analysis = ws.analysis();
        let mut list = self.located(&analysis.diagnostics, &analysis.parsed.sources);
        list.extend(self.test_problems(&analysis, ws));
        Report::new(list)
    }

    /// The diagnostics of `texts` as a bot: what `guichet check` says of the
    /// folder once they are saved, the conversation tests included.
    pub fn check_texts(&self, texts: &BTreeMap<String, String>) -> Report {
        let files: BTreeMap<String, String> = texts
            .iter()
            .map(|(p, t)| (self.folder.source_name(p), t.clone()))
            .collect();
        let mut ws = Workspace::from_files(&self.folder.root, files);
        self.report(&mut ws)
    }

    fn located(&self, diagnostics: &[Diagnostic], sources: &Sources) -> Vec<StudioDiagnostic> {
        diagnostics
            .iter()
            .map(|d| {
                let mut located = Located::new(d, sources);
                located.file = self.relative_name(&located.file);
                for LocatedLabel { file, .. } in &mut located.related {
                    *file = self.relative_name(file);
                }
                let range = sources
                    .get(d.span.source)
                    .map(|s| analysis::range(&s.text, d.span.start, d.span.end));
                StudioDiagnostic { located, range }
            })
            .collect()
    }

    /// A source's name relative to the bot's folder (the standard library's
    /// keep theirs).
    fn relative_name(&self, name: &str) -> String {
        self.folder.relative(name).unwrap_or(name).to_string()
    }

    /// Conversation test files that do not read, as diagnostics.
    fn test_problems(&self, analysis: &Analysis, ws: &Workspace) -> Vec<StudioDiagnostic> {
        analysis
            .test_problems
            .iter()
            .map(|(file, line, message, help)| {
                let text = ws.text(file).unwrap_or("");
                let start = analysis::offset(
                    text,
                    analysis::Position {
                        line: *line as u32,
                        character: 0,
                    },
                );
                let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                let chars = text[start..end].chars().count();
                StudioDiagnostic {
                    located: Located {
                        code: "test-file",
                        severity: Severity::Error,
                        file: self.relative_name(file),
                        line: line + 1,
                        column: 1,
                        end_line: line + 1,
                        end_column: chars + 1,
                        message: message.clone(),
                        label: String::new(),
                        help: help.clone(),
                        related: Vec::new(),
                    },
                    range: Some(analysis::range(text, start, end)),
                }
            })
            .collect()
    }

    /// The bot of `texts` (flows and tables), or why it does not load.
    pub fn bot(&self, texts: &BTreeMap<String, String>) -> Result<Bot, Arc<Report>> {
        let sources: Vec<SourceFile> = texts
            .iter()
            .filter(|(p, _)| FileKind::of(p) != Some(FileKind::Test))
            .map(|(p, t)| SourceFile {
                name: self.folder.source_name(p),
                text: t.clone(),
            })
            .collect();
        let key = {
            let mut all = String::new();
            for s in &sources {
                all.push_str(&s.name);
                all.push('\0');
                all.push_str(&super::files::hash(&s.text));
                all.push('\0');
            }
            super::files::hash(&all)
        };
        {
            let bots = self.bots.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, b)) = bots.iter().find(|(k, _)| *k == key) {
                return b.clone();
            }
        }
        let built = Bot::from_files(&sources)
            .map_err(|e| Arc::new(Report::new(self.located(&e.diagnostics, &e.sources))));
        let mut bots = self.bots.lock().unwrap_or_else(|e| e.into_inner());
        bots.retain(|(k, _)| *k != key);
        bots.push((key, built.clone()));
        if bots.len() > BOTS {
            let _oldest = bots.remove(0);
        }
        built
    }
}
