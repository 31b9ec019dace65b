//! `guichet test PATH`: runs the conversation tests (`*.test` files) found
//! in the bot's folder against the bot.

use guichet::testing::{self, Outcome};
use guichet::Bot;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(path: &Path, junit: Option<&Path>, coverage: bool, fail_under: Option<f64>) -> ExitCode {
    let bot = match Bot::from_path(path) {
        Ok(b) => b,
        Err(e) => {
            eprint!(
                "{}",
                guichet::render::render(&e.diagnostics, &e.sources, false)
            );
            return ExitCode::from(1);
        }
    };
    let mut files = Vec::new();
    collect(path, &mut files);
    files.sort();
    if files.is_empty() {
        eprintln!("{}: no .test file found", path.display());
        return ExitCode::from(1);
    }
    let (mut passed, mut failed) = (0, 0);
    let mut report: Vec<(String, Outcome)> = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                outln!("FAILED {name}: cannot read it: {e}");
                failed += 1;
                continue;
            }
        };
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("test");
        let tests = match testing::parse_for(&bot, &text, stem) {
            Ok(t) => t,
            Err(f) => {
                outln!("FAILED {name}:{}: {}", f.line, f.message);
                if let Some(help) = &f.help {
                    outln!("  help: {help}");
                }
                failed += 1;
                continue;
            }
        };
        for outcome in tests.iter().flat_map(|test| testing::run(&bot, test)) {
            match &outcome.failure {
                None => {
                    passed += 1;
                    outln!("ok     {name}: {}", outcome.name);
                }
                Some(f) => {
                    failed += 1;
                    outln!("FAILED {name}: {}", outcome.name);
                    outln!("  {name}:{}: {}", f.line, f.message);
                    for e in &f.last_turn {
                        outln!("    {}", serde_json::to_string(e).unwrap_or_default());
                    }
                }
            }
            report.push((name.clone(), outcome));
        }
    }
    let mut below = None;
    if coverage {
        let covered: Vec<_> = report
            .iter()
            .flat_map(|(_, o)| o.covered.iter().copied())
            .collect();
        let percent = show_coverage(&bot, &covered);
        below = fail_under.filter(|&floor| percent < floor);
    }
    outln!("{passed} passed, {failed} failed");
    if let Some(floor) = below {
        outln!("coverage is below {floor}%");
    }
    if let Some(out) = junit {
        if let Err(e) = std::fs::write(out, junit_xml(&report, passed + failed, failed)) {
            eprintln!("cannot write {}: {e}", out.display());
            return ExitCode::from(2);
        }
    }
    if failed > 0 || below.is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A table per flow (done/total for each kind of place), then every place
/// no test reached, as `file:line`. Returns the share of places reached,
/// in percent.
fn show_coverage(bot: &Bot, covered: &[guichet::diagnostics::Span]) -> f64 {
    use guichet::compile::Coverable as C;
    let kinds = [
        (C::Step, "steps"),
        (C::Prompt, "prompts"),
        (C::Reprompt, "reprompts"),
        (C::Validation, "validations"),
        (C::Trigger, "triggers"),
    ];
    let flows = testing::coverage(bot, covered);
    outln!();
    out!("{:<28}", "coverage");
    for (_, name) in kinds {
        out!(" {name:>12}");
    }
    outln!();
    let (mut all, mut done) = (0, 0);
    for f in &flows {
        out!("{:<28}", f.flow);
        for (kind, _) in kinds {
            match f.counts.iter().find(|(k, _, _)| *k == kind) {
                Some((_, total, hit)) => {
                    all += total;
                    done += hit;
                    out!(" {:>12}", format!("{hit}/{total}"));
                }
                None => out!(" {:>12}", "-"),
            }
        }
        outln!();
    }
    let percent = if all == 0 {
        100.0
    } else {
        done as f64 * 100.0 / all as f64
    };
    outln!("covered: {done} of {all} places ({percent:.1}%)");
    let sources = bot.sources();
    let uncovered: Vec<_> = flows
        .iter()
        .flat_map(|f| f.uncovered.iter().map(move |u| (&f.flow, u)))
        .collect();
    if !uncovered.is_empty() {
        outln!("not covered:");
    }
    for (flow, (kind, span)) in uncovered {
        let file = sources
            .get(span.source)
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let (line, _) = sources.line_col(span.source, span.start);
        let snippet: String = sources
            .snippet(*span)
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(60)
            .collect();
        let what = kinds
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, n)| n.trim_end_matches('s'))
            .unwrap_or("place");
        outln!("  {file}:{line}: {flow}: {what}: {}", snippet.trim());
    }
    outln!();
    percent
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        if path.extension().is_some_and(|e| e == "test") {
            out.push(path.to_path_buf());
        }
        return;
    }
    if let Ok(entries) = std::fs::read_dir(path) {
        for entry in entries.flatten() {
            collect(&entry.path(), out);
        }
    }
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The JUnit XML most CI systems read.
fn junit_xml(report: &[(String, Outcome)], tests: usize, failures: usize) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"guichet\" tests=\"{tests}\" failures=\"{failures}\">\n"
    );
    for (file, o) in report {
        s.push_str(&format!(
            "  <testcase classname=\"{}\" name=\"{}\">",
            xml(file),
            xml(&o.name)
        ));
        if let Some(f) = &o.failure {
            s.push_str(&format!(
                "<failure message=\"{}\">{}:{}: {}</failure>",
                xml(&f.message),
                xml(file),
                f.line,
                xml(&f.message)
            ));
        }
        s.push_str("</testcase>\n");
    }
    s.push_str("</testsuite>\n");
    s
}
