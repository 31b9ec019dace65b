//! Diagnostics as data: every stage (syntax, check, loading) reports
//! mistakes as `Diagnostic`s, all of them collected before anything is
//! rendered. Rendering (miette) happens at the edge, in `render`.

use serde::Serialize;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// Which source file a span points into (an index into `Sources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct SourceId(pub u32);

/// A byte range in one source file. Line and column are computed only when
/// a diagnostic is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub source: SourceId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(source: SourceId, range: Range<usize>) -> Span {
        Span {
            source,
            start: range.start,
            end: range.end,
        }
    }

    pub fn to(self, other: Span) -> Span {
        Span {
            source: self.source,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

/// One source file of a bot.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as given (relative to where the bot was loaded from), or a
    /// name like `stdlib/yes_no.flow`.
    pub name: String,
    pub text: Arc<str>,
}

/// All the files of a bot, so that spans can be turned into file:line:column.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<Source>,
}

impl Sources {
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceId {
        self.files.push(Source {
            name: name.into(),
            text: text.into(),
        });
        SourceId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: SourceId) -> Option<&Source> {
        self.files.get(id.0 as usize)
    }

    pub fn iter(&self) -> impl Iterator<Item = (SourceId, &Source)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, s)| (SourceId(i as u32), s))
    }

    /// The source text under a span.
    pub fn snippet(&self, span: Span) -> &str {
        self.get(span.source)
            .and_then(|s| s.text.get(span.range()))
            .unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, source: SourceId, offset: usize) -> (usize, usize) {
        let Some(src) = self.get(source) else {
            return (1, 1);
        };
        let text = &src.text;
        let offset = offset.min(text.len());
        let mut line = 1;
        let mut line_start = 0;
        for (i, c) in text.char_indices() {
            if i >= offset {
                break;
            }
            if c == '\n' {
                line += 1;
                line_start = i + 1;
            }
        }
        let col = text
            .get(line_start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        (line, col)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A secondary place that explains the main one ("first declared here").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One mistake (or suspicious thing) in a bot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable code, e.g. `unknown-slot`: documented, never reused.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// What to write under the underline.
    pub label: String,
    pub related: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            span,
            label: String::new(),
            related: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// A diagnostic with its place resolved, lines and columns 1-based and
/// counted in characters: one entry of `check --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Located {
    pub code: &'static str,
    pub severity: Severity,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
    /// What is written under the underline (may be empty).
    pub label: String,
    pub help: Option<String>,
    /// Other places that explain this one ("first declared here").
    pub related: Vec<LocatedLabel>,
}

/// A related place, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct LocatedLabel {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Located {
    pub fn new(d: &Diagnostic, sources: &Sources) -> Located {
        let (line, column) = sources.line_col(d.span.source, d.span.start);
        let (end_line, end_column) = sources.line_col(d.span.source, d.span.end);
        let file = |id| sources.get(id).map(|s| s.name.clone()).unwrap_or_default();
        Located {
            code: d.code,
            severity: d.severity,
            file: file(d.span.source),
            line,
            column,
            end_line,
            end_column,
            message: d.message.clone(),
            label: d.label.clone(),
            help: d.help.clone(),
            related: d
                .related
                .iter()
                .map(|r| {
                    let (line, column) = sources.line_col(r.span.source, r.span.start);
                    LocatedLabel {
                        file: file(r.span.source),
                        line,
                        column,
                        message: r.message.clone(),
                    }
                })
                .collect(),
        }
    }
}

/// What `guichet check --format json` prints: one JSON document with
/// every diagnostic in reading order (an empty list for a clean bot) and
/// the counts.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub diagnostics: Vec<Located>,
    pub errors: usize,
    pub warnings: usize,
}

impl CheckReport {
    pub fn new(diagnostics: &[Diagnostic], sources: &Sources) -> CheckReport {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        CheckReport {
            diagnostics: diagnostics
                .iter()
                .map(|d| Located::new(d, sources))
                .collect(),
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}

/// Sorts diagnostics by file and position, errors and warnings mixed, so
/// a flow author reads them top to bottom.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.span.source, d.span.start, d.span.end, d.code));
}

/// The closest name among `candidates`, for "did you mean ...?".
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(name, c);
        let limit = (name.chars().count().max(c.chars().count()) / 3).max(1);
        let close = d <= limit || c.contains(name) || name.contains(c);
        if close && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let mut s = Sources::default();
        let id = s.add("a.flow", "flow x\n  say \"é\" nope\n");
        let off = s.get(id).unwrap().text.find("nope").unwrap();
        assert_eq!(s.line_col(id, off), (2, 11));
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["child_birth_date", "start_date", "parent_email"];
        assert_eq!(
            did_you_mean("child_birthdate", names),
            Some("child_birth_date")
        );
        assert_eq!(did_you_mean("zzz", names), None);
    }
}
