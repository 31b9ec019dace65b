//! Placeholder; replaced by the miette renderer.
use crate::diagnostics::{Diagnostic, Located, Sources};
pub fn render(diags: &[Diagnostic], sources: &Sources, _color: bool) -> String {
    let mut out = String::new();
    for d in diags {
        let l = Located::new(d, sources);
        out.push_str(&format!(
            "{}:{}:{}: {:?}[{}]: {}\n",
            l.file, l.line, l.column, l.severity, l.code, l.message
        ));
        if let Some(h) = &l.help {
            out.push_str(&format!("  help: {h}\n"));
        }
    }
    out
}
