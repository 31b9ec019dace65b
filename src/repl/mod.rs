//! Placeholder; replaced by the REPL.
use std::path::Path;
use std::process::ExitCode;
pub fn run(_path: &Path, _now: Option<&str>, _lang: Option<&str>, _seed: u64) -> ExitCode {
    ExitCode::from(2)
}
