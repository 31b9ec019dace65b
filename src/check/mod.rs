//! Placeholder; replaced by the checker.
use crate::diagnostics::Diagnostic;
use crate::load::ParsedBot;
pub fn check(_bot: &ParsedBot) -> Vec<Diagnostic> {
    Vec::new()
}
