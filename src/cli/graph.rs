//! `guichet graph PATH`.

use std::path::Path;
use std::process::ExitCode;

pub fn run(_path: &Path, _flow: Option<&str>, _format: &str) -> ExitCode {
    ExitCode::from(2)
}
