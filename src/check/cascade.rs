//! After a syntax error, part of a file was not read, and what it declared
//! or used is missing from the bot: warnings about the whole bot (a flow
//! nobody calls, an action nobody does) and "unknown name" errors for what
//! the unread part declared would be false, and would bury the one real
//! mistake. They are left out until the file reads.

use crate::diagnostics::{Diagnostic, SourceId, Sources};
use crate::lookup::FastSet;

/// The codes of a file that could not be read whole.
pub const SYNTAX_CODES: [&str; 3] = ["syntax", "unclosed-block", "too-deep"];

/// Warnings that weigh the whole bot: one unread item can make them false.
const WHOLE_BOT_WARNINGS: [&str; 7] = [
    "duplicate-name",
    "hidden-trigger",
    "unknown-flow",
    "unreachable",
    "unused-action",
    "unused-flow",
    "unused-slot",
];

/// Drops from `diagnostics` what the unread parts of files with syntax
/// errors could explain.
pub fn quiet_after_syntax_errors(sources: &Sources, diagnostics: &mut Vec<Diagnostic>) {
    let broken: FastSet<SourceId> = diagnostics
        .iter()
        .filter(|d| SYNTAX_CODES.contains(&d.code))
        .map(|d| d.span.source)
        .collect();
    if broken.is_empty() {
        return;
    }
    // What the broken files declare, read or not: `flow NAME`, `bot "..."`.
    let mut declared: FastSet<String> = FastSet::default();
    let mut declares_bot = false;
    for id in &broken {
        let Some(source) = sources.get(*id) else {
            continue;
        };
        for line in source.text.lines() {
            let mut words = line
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty());
            match words.next() {
                Some("bot") => declares_bot = true,
                Some(
                    "flow" | "faq" | "action" | "choice" | "pattern" | "slot" | "table" | "text"
                    | "option",
                ) => declared.extend(words.next().map(str::to_string)),
                _ => {}
            }
        }
    }
    diagnostics.retain(|d| {
        if SYNTAX_CODES.contains(&d.code) {
            return true;
        }
        if !d.is_error() {
            return !WHOLE_BOT_WARNINGS.contains(&d.code);
        }
        match d.code {
            "missing-bot" | "missing-languages" => !declares_bot,
            code if code.starts_with("unknown-") => {
                !declared.contains(sources.snippet(d.span).trim())
            }
            _ => true,
        }
    });
}
