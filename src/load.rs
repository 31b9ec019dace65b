//! Loading a bot: read the files of a folder (or strings), add the
//! standard library, parse everything, and let the bot's own declarations
//! replace the stdlib's of the same name.

use crate::diagnostics::{Diagnostic, SourceId, Sources, Span};
use crate::lookup::FastSet;
use crate::syntax::ast::{File, Item};
use crate::syntax::parse_file;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The standard library, written in the language, compiled into the binary
/// so a bot loads the same anywhere.
pub const STDLIB: &[(&str, &str)] = &[("stdlib/core.flow", include_str!("../stdlib/core.flow"))];

/// A bot parsed but not yet checked.
#[derive(Debug, Clone, Default)]
pub struct ParsedBot {
    pub sources: Sources,
    /// The bot's items after stdlib replacement, in file order.
    pub items: Vec<Item>,
    /// Which sources are the standard library (the checker does not warn
    /// about their unused declarations).
    pub stdlib: HashSet<SourceId>,
    /// Table name → its CSV source, for the tables whose file was found.
    pub tables: HashMap<String, SourceId>,
    /// Syntax and loading mistakes.
    pub diagnostics: Vec<Diagnostic>,
}

/// A file given as a string: its name (for diagnostics and to find CSV
/// tables beside it) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// Reads a bot from a flow file or a folder of them (recursively, sorted
/// by path so loading is deterministic). CSV files are read when a table
/// names them.
pub fn read_path(path: &Path) -> Result<Vec<SourceFile>, String> {
    let mut files = Vec::new();
    if path.is_dir() {
        let mut paths = Vec::new();
        collect(path, &mut paths).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        paths.sort();
        for p in paths {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if ext == "flow" || ext == "csv" {
                let text = std::fs::read_to_string(&p)
                    .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
                files.push(SourceFile {
                    name: p.display().to_string(),
                    text,
                });
            }
        }
        if !files.iter().any(|f| f.name.ends_with(".flow")) {
            return Err(format!("{} holds no .flow file", path.display()));
        }
    } else {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        files.push(SourceFile {
            name: path.display().to_string(),
            text,
        });
        // Tables beside a single flow file.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Ok(entries) = std::fs::read_dir(dir) {
                let mut csvs: Vec<PathBuf> = entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "csv"))
                    .collect();
                csvs.sort();
                for p in csvs {
                    if let Ok(text) = std::fs::read_to_string(&p) {
                        files.push(SourceFile {
                            name: p.display().to_string(),
                            text,
                        });
                    }
                }
            }
        }
    }
    Ok(files)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Parses the bot's files plus the stdlib.
pub fn parse(files: &[SourceFile]) -> ParsedBot {
    let mut bot = ParsedBot::default();
    let mut csv_by_name: HashMap<String, SourceId> = HashMap::new();
    let mut parsed: Vec<(SourceId, File, bool)> = Vec::new();

    for (name, text) in STDLIB {
        let id = bot.sources.add(*name, *text);
        bot.stdlib.insert(id);
        let (file, diags) = parse_file(id, text);
        bot.diagnostics.extend(diags);
        parsed.push((id, file, true));
    }
    for f in files {
        let id = bot.sources.add(f.name.clone(), f.text.as_str());
        if f.name.ends_with(".csv") {
            csv_by_name.insert(normalise_path(&f.name), id);
            continue;
        }
        let (file, diags) = parse_file(id, &f.text);
        bot.diagnostics.extend(diags);
        parsed.push((id, file, false));
    }

    // The bot's own names replace the stdlib's: which stdlib items stay.
    let own: FastSet<(u8, &str)> = parsed
        .iter()
        .filter(|(_, _, stdlib)| !stdlib)
        .flat_map(|(_, f, _)| f.items.iter().filter_map(item_key))
        .collect();
    let kept: Vec<Vec<bool>> = parsed
        .iter()
        .map(|(_, f, stdlib)| {
            if !stdlib {
                return Vec::new();
            }
            f.items
                .iter()
                .map(|item| item_key(item).is_none_or(|k| !own.contains(&k)))
                .collect()
        })
        .collect();
    drop(own);
    bot.items
        .reserve(parsed.iter().map(|(_, f, _)| f.items.len()).sum());
    // The bot's items come first: where a bot's trigger and the stdlib's
    // tie, the bot's wins.
    let mut parsed: Vec<_> = parsed.into_iter().zip(kept).collect();
    parsed.sort_by_key(|((_, _, stdlib), _)| *stdlib);
    for ((id, file, stdlib), kept) in parsed {
        for (i, item) in file.items.into_iter().enumerate() {
            if stdlib && !kept.get(i).copied().unwrap_or(true) {
                continue;
            }
            if let Item::Table(t) = &item {
                let declared_in = bot
                    .sources
                    .get(id)
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                let rel = t.file.literal_text();
                let wanted = normalise_path(
                    &Path::new(&declared_in)
                        .parent()
                        .unwrap_or(Path::new(""))
                        .join(&rel)
                        .display()
                        .to_string(),
                );
                let found = csv_by_name.get(&wanted).copied().or_else(|| {
                    // A bot given as strings names its tables by file name alone.
                    csv_by_name
                        .iter()
                        .find(|(n, _)| n.rsplit('/').next() == Some(rel.as_str()))
                        .map(|(_, id)| *id)
                });
                match found {
                    Some(csv) => {
                        bot.tables.insert(t.name.name.clone(), csv);
                    }
                    None => bot.diagnostics.push(
                        Diagnostic::error(
                            "missing-table-file",
                            t.file.span,
                            format!("the table file `{rel}` was not found"),
                        )
                        .with_label("no such file beside this flow file")
                        .with_help(format!(
                            "put `{rel}` in the same folder as this flow file; its first line names the columns"
                        )),
                    ),
                }
            }
            bot.items.push(item);
        }
    }
    bot
}

/// Namespace and name of an item, for stdlib replacement. Flows and FAQ
/// entries share one namespace: both are started by triggers.
fn item_key(item: &Item) -> Option<(u8, &str)> {
    Some(match item {
        Item::Flow(f) => (0, &f.name.name),
        Item::Faq(f) => (0, &f.name.name),
        Item::Action(a) => (1, &a.name.name),
        Item::Choice(c) => (2, &c.name.name),
        Item::Pattern(p) => (2, &p.name.name),
        Item::Slot(s) => (3, &s.name.name),
        Item::Table(t) => (4, &t.name.name),
        Item::Text(t) => (5, &t.name.name),
        Item::Bot(_) | Item::Synonyms(_) => return None,
    })
}

fn normalise_path(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The span of a whole source file's start, for diagnostics about a file.
pub fn file_start(source: SourceId) -> Span {
    Span::new(source, 0..0)
}
