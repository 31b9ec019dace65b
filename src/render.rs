//! Diagnostics shown to a person: file:line:column, the offending text
//! underlined, the message, related places and help, via miette.

use crate::diagnostics::{Diagnostic, Located, Severity, Sources, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;

/// Renders diagnostics one after the other, each with its place and help.
/// Without colour the output is stable, so tests can compare it.
pub fn render(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_context_lines(1);
    let mut out = String::new();
    for d in diags {
        let report = Report::new(d, sources);
        let loc = Located::new(d, sources);
        out.push_str(&format!(
            "{}: {}:{}:{}\n",
            match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            loc.file,
            loc.line,
            loc.column
        ));
        if handler.render_report(&mut out, &report).is_err() {
            // Rendering into a String cannot fail short of a bug in miette; fall back to one line.
            out.push_str(&format!("{d}\n"));
        }
        out.push('\n');
    }
    out
}

/// Related places may lie in other files than the main one; miette shows
/// one source per report, so those are added as notes.
struct Report {
    code: &'static str,
    severity: Severity,
    message: String,
    help: Option<String>,
    source: CharColumns,
    labels: Vec<LabeledSpan>,
}

/// A file for miette, whose columns count characters as ours do: miette
/// counts bytes, so a line with "é" before the mistake would show one
/// column more in the box than in the header.
struct CharColumns {
    name: String,
    text: String,
}

impl SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let start = inner.span().offset().min(self.text.len());
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = if inner.column() == 0 {
            0
        } else {
            self.text
                .get(line_start..start)
                .map_or(inner.column(), |s| s.chars().count())
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

impl Report {
    fn new(d: &Diagnostic, sources: &Sources) -> Report {
        let (name, text) = sources
            .get(d.span.source)
            .map(|s| (s.name.clone(), s.text.to_string()))
            .unwrap_or_default();
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(d.label.clone()).filter(|l| !l.is_empty()),
            clamp(d.span, &text),
        )];
        let mut notes = Vec::new();
        for r in &d.related {
            if r.span.source == d.span.source {
                labels.push(LabeledSpan::new_with_span(
                    Some(r.message.clone()),
                    clamp(r.span, &text),
                ));
            } else {
                let loc = sources.line_col(r.span.source, r.span.start);
                let file = sources
                    .get(r.span.source)
                    .map(|s| s.name.as_str())
                    .unwrap_or("");
                notes.push(format!("{}: {}:{}:{}", r.message, file, loc.0, loc.1));
            }
        }
        let help = match (&d.help, notes.is_empty()) {
            (h, true) => h.clone(),
            (Some(h), false) => Some(format!("{h}\n{}", notes.join("\n"))),
            (None, false) => Some(notes.join("\n")),
        };
        Report {
            code: d.code,
            severity: d.severity,
            message: d.message.clone(),
            help,
            source: CharColumns { name, text },
            labels,
        }
    }
}

/// A span inside the text, on character boundaries, so miette never slices wrongly.
fn clamp(span: Span, text: &str) -> SourceSpan {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    SourceSpan::new(start.into(), end - start)
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}
