//! `guichet check PATH`.

use guichet::bot::check_files;
use guichet::diagnostics::CheckReport;
use guichet::load;
use std::path::Path;
use std::process::ExitCode;

pub fn run(path: &Path, format: &str) -> ExitCode {
    let files = match load::read_path(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (parsed, diagnostics) = check_files(&files);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    match format {
        "json" => {
            let report = CheckReport::new(&diagnostics, &parsed.sources);
            outln!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
        _ => {
            let color = std::env::var_os("NO_COLOR").is_none()
                && std::io::IsTerminal::is_terminal(&std::io::stderr());
            eprint!(
                "{}",
                guichet::render::render(&diagnostics, &parsed.sources, color)
            );
            eprintln!(
                "{}: {errors} error{}, {warnings} warning{}",
                path.display(),
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            );
        }
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
