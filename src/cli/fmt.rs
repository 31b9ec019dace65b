//! `guichet fmt [--check] PATH...`: rewrites `.flow` files in the one
//! canonical layout, or with `--check` lists those that would change.

use guichet::diagnostics::Sources;
use guichet::syntax::format_source;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Lines of context shown around the first difference with `--check`.
const DIFF_LINES: usize = 6;

pub fn run(paths: &[PathBuf], check: bool, stdin: bool) -> ExitCode {
    if stdin || paths.iter().any(|p| p.as_os_str() == "-") {
        return run_stdin();
    }
    let mut files = Vec::new();
    for path in paths {
        if let Err(e) = collect(path, true, &mut files) {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    files.sort();
    files.dedup();
    let (mut changed, mut broken) = (0, 0);
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", file.display());
                return ExitCode::from(2);
            }
        };
        let formatted = match format_source(&text) {
            Ok(f) => f,
            Err(diagnostics) => {
                report(file, &text, &diagnostics);
                broken += 1;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        if check {
            outln!("would reformat {}", file.display());
            out!("{}", first_difference(&text, &formatted));
        } else if let Err(e) = write_atomically(file, &formatted) {
            eprintln!("error: cannot write {}: {e}", file.display());
            return ExitCode::from(2);
        } else {
            outln!("formatted {}", file.display());
        }
    }
    let verb = if check { "would change" } else { "changed" };
    eprintln!(
        "{} file{} checked, {changed} {verb}{}",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        if broken > 0 {
            format!(", {broken} with errors left as they are")
        } else {
            String::new()
        }
    );
    if broken > 0 || (check && changed > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_stdin() -> ExitCode {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("error: cannot read stdin: {e}");
        return ExitCode::from(2);
    }
    match format_source(&text) {
        Ok(formatted) => {
            out!("{formatted}");
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            report(Path::new("<stdin>"), &text, &diagnostics);
            ExitCode::from(1)
        }
    }
}

/// The `.flow` files of a path. A file named on the command line that is
/// not a `.flow` file (a `.test`, a CSV table) is left alone.
fn collect(path: &Path, named: bool, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if path.is_dir() {
        let entries =
            std::fs::read_dir(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            collect(&entry.path(), false, out)?;
        }
    } else if path.extension().is_some_and(|e| e == "flow") {
        out.push(path.to_path_buf());
    } else if named {
        if !path.exists() {
            return Err(format!("{} does not exist", path.display()));
        }
        eprintln!("{}: not a .flow file, left alone", path.display());
    }
    Ok(())
}

fn report(file: &Path, text: &str, diagnostics: &[guichet::diagnostics::Diagnostic]) {
    let mut sources = Sources::default();
    sources.add(file.display().to_string(), text);
    let color = std::env::var_os("NO_COLOR").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stderr());
    eprint!("{}", guichet::render::render(diagnostics, &sources, color));
    eprintln!(
        "{}: not formatted ({} error{})",
        file.display(),
        diagnostics.len(),
        if diagnostics.len() == 1 { "" } else { "s" }
    );
}

/// Writes beside the file, then renames over it: an interrupted run leaves
/// the old file or the new one, never half of one.
fn write_atomically(file: &Path, text: &str) -> std::io::Result<()> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = file.with_file_name(format!(".{name}.fmt-{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    if let Ok(meta) = std::fs::metadata(file) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, file).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// The first lines that differ, unified-diff style: the changed region
/// between the common beginning and the common end, cut short.
fn first_difference(old: &str, new: &str) -> String {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let common = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[common..]
        .iter()
        .rev()
        .zip(new[common..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = format!("@@ line {} @@\n", common + 1);
    for line in old[common..old.len() - tail].iter().take(DIFF_LINES) {
        out.push_str(&format!("-{line}\n"));
    }
    for line in new[common..new.len() - tail].iter().take(DIFF_LINES) {
        out.push_str(&format!("+{line}\n"));
    }
    out
}
