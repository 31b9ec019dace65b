//! `guichet check PATH [--against OLD]`.

use guichet::bot::check_files;
use guichet::compat::Effect;
use guichet::diagnostics::CheckReport;
use guichet::{load, Bot};
use std::path::Path;
use std::process::ExitCode;

pub fn run(path: &Path, format: &str, against: Option<&Path>) -> ExitCode {
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
    let color = std::env::var_os("NO_COLOR").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stderr());
    match format {
        "json" => {
            let report = CheckReport::new(&diagnostics, &parsed.sources);
            let mut doc = serde_json::to_value(&report).unwrap_or_default();
            let mut code = ExitCode::from(u8::from(errors > 0));
            if let (Some(old), 0) = (against, errors) {
                match versions(&files, old, color) {
                    Ok((old_bot, new)) => {
                        let changes: Vec<serde_json::Value> = new
                            .compatibility(&old_bot)
                            .iter()
                            .map(|c| c.located(&old_bot, &new))
                            .collect();
                        if let Some(obj) = doc.as_object_mut() {
                            obj.insert("changes".into(), changes.into());
                        }
                    }
                    Err(failed) => code = failed,
                }
            }
            outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            return code;
        }
        _ => {
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
        return ExitCode::from(1);
    }
    match against {
        Some(old) => compare(&files, old, color),
        None => ExitCode::SUCCESS,
    }
}

/// Lists what deploying this version over `old` does to conversations in
/// progress. The changes do not make the check fail: they are for the
/// author to read before deploying.
fn compare(files: &[load::SourceFile], old: &Path, color: bool) -> ExitCode {
    let (old_bot, new) = match versions(files, old, color) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let changes = new.compatibility(&old_bot);
    for c in &changes {
        let sources = if c.in_old {
            old_bot.sources()
        } else {
            new.sources()
        };
        eprint!(
            "{}",
            guichet::render::render(std::slice::from_ref(&c.diagnostic), sources, color)
        );
    }
    let count = |e: Effect| changes.iter().filter(|c| c.effect == e).count();
    eprintln!(
        "against {}: {} change{} for conversations in progress ({} restart, {} move to a safe point, {} ask again, {} go on)",
        old.display(),
        changes.len(),
        if changes.len() == 1 { "" } else { "s" },
        count(Effect::Restarts),
        count(Effect::Moves),
        count(Effect::AsksAgain),
        count(Effect::Continues),
    );
    ExitCode::SUCCESS
}

/// The version being checked and the one it replaces, both loaded; a
/// failure is reported on stderr and given as the exit code.
fn versions(files: &[load::SourceFile], old: &Path, color: bool) -> Result<(Bot, Bot), ExitCode> {
    let new = match Bot::from_files(files) {
        Ok(b) => b,
        Err(e) => {
            eprint!(
                "{}",
                guichet::render::render(&e.diagnostics, &e.sources, color)
            );
            return Err(ExitCode::from(1));
        }
    };
    match Bot::from_path(old) {
        Ok(b) => Ok((b, new)),
        Err(e) => {
            eprintln!(
                "error: the version to compare with, {}, does not load:",
                old.display()
            );
            eprint!(
                "{}",
                guichet::render::render(&e.diagnostics, &e.sources, color)
            );
            Err(ExitCode::from(2))
        }
    }
}
