//! `guichet eval FILE...`: the extractors measured against test-suite rows.

use guichet::understand::eval::{self, FileReport, Tally};
use guichet::understand::extract::DatePolicy;
use std::path::PathBuf;
use std::process::ExitCode;

/// How many failure kinds a table line names: more would not fit.
const TOP_FAILURES: usize = 3;

pub fn run(files: &[PathBuf], json: bool, failures: bool, policy: DatePolicy) -> ExitCode {
    let mut reports = Vec::new();
    let mut unreadable = Vec::new();
    for path in files {
        let name = path.display().to_string();
        match std::fs::read(path) {
            // Invalid UTF-8 only spoils its own lines, not the whole file.
            Ok(bytes) => reports.push(eval::evaluate(
                &name,
                &String::from_utf8_lossy(&bytes),
                policy,
            )),
            Err(e) => unreadable.push((name, e.to_string())),
        }
    }
    let total = eval::overall(&reports);
    if json {
        print_json(&reports, &unreadable, &total, failures, policy);
    } else {
        print_tables(&reports, &unreadable, &total, failures, policy);
    }
    // A measurement, not a gate: the figures are the result.
    ExitCode::SUCCESS
}

fn percent(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}%"))
        .unwrap_or_else(|| "n/a".to_string())
}

fn failures_cell(t: &Tally) -> String {
    let top = t.top_failures(TOP_FAILURES);
    if top.is_empty() {
        return "-".to_string();
    }
    top.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn row_cells(file: &str, suite: &str, lang: &str, kind: &str, t: &Tally) -> Vec<String> {
    vec![
        file.to_string(),
        suite.to_string(),
        lang.to_string(),
        kind.to_string(),
        t.rows.to_string(),
        t.verified.to_string(),
        t.correct.to_string(),
        percent(t.accuracy()),
        t.unverified.to_string(),
        percent(t.unverified_accuracy()),
        failures_cell(t),
    ]
}

fn print_tables(
    reports: &[FileReport],
    unreadable: &[(String, String)],
    total: &Tally,
    failures: bool,
    policy: DatePolicy,
) {
    let header: Vec<String> = [
        "file",
        "suite",
        "lang",
        "kind",
        "rows",
        "verified",
        "correct",
        "accuracy",
        "unverified",
        "unv. acc.",
        "commonest failures (verified)",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut lines = vec![header];
    for r in reports {
        let file = std::path::Path::new(&r.file)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(&r.file);
        for ((suite, lang, kind), t) in &r.groups {
            lines.push(row_cells(file, suite, lang, kind, t));
        }
        if r.groups.len() > 1 {
            lines.push(row_cells(file, "all", "all", "all", &r.total()));
        }
    }
    if reports.len() > 1 {
        lines.push(row_cells("all", "all", "all", "all", total));
    }
    outln!("date policy: {}", policy_name(policy));
    let orders = date_orders(reports);
    if !orders.is_empty() {
        outln!("date order (from each row's locale; plain en is en-US): {orders}");
    }
    print_markdown(&lines);

    for (file, error) in unreadable {
        outln!("unreadable file {file}: {error}");
    }
    let malformed: Vec<_> = reports.iter().flat_map(|r| &r.malformed).collect();
    if !malformed.is_empty() {
        outln!();
        outln!("malformed lines skipped: {}", malformed.len());
        for m in malformed {
            outln!("  {}:{}: {}", m.file, m.line, m.error);
        }
    }
    if failures {
        outln!();
        outln!("failures:");
        for r in reports {
            for (line, s) in &r.scored {
                let Some(f) = &s.failure else { continue };
                outln!(
                    "  {}:{} {} [{} {} {}{}] {}: text {:?}, expected {}, got {}, rule {}",
                    r.file,
                    line,
                    s.id,
                    s.suite,
                    s.lang,
                    s.kind,
                    if s.verified { "" } else { ", unverified" },
                    f.label(),
                    s.text,
                    s.expected,
                    s.got.as_deref().unwrap_or("nothing"),
                    s.rule.as_deref().unwrap_or("-"),
                );
            }
        }
    }
    outln!();
    outln!("accuracy: {}", percent(total.accuracy()));
}

/// "en month-first 458, day-first 13; fr day-first 196".
fn date_orders(reports: &[FileReport]) -> String {
    let mut all: std::collections::BTreeMap<String, std::collections::BTreeMap<&str, usize>> =
        Default::default();
    for r in reports {
        for (lang, counts) in r.date_orders() {
            for (order, n) in counts {
                *all.entry(lang.clone())
                    .or_default()
                    .entry(order)
                    .or_default() += n;
            }
        }
    }
    all.iter()
        .map(|(lang, counts)| {
            let counts: Vec<String> = counts.iter().map(|(o, n)| format!("{o} {n}")).collect();
            format!("{lang} {}", counts.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn policy_name(policy: DatePolicy) -> &'static str {
    match policy {
        DatePolicy::Future => "future",
        DatePolicy::Past => "past",
    }
}

/// A Markdown table, so the output pastes into a README as it is.
fn print_markdown(lines: &[Vec<String>]) {
    let columns = lines.first().map(Vec::len).unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            lines
                .iter()
                .map(|l| l.get(c).map(|s| s.chars().count()).unwrap_or(0))
                .max()
                .unwrap_or(0)
                .max(3)
        })
        .collect();
    let numeric = |c: usize| (4..10).contains(&c);
    let render = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(c, s)| {
                if numeric(c) {
                    format!("{s:>w$}", w = widths[c])
                } else {
                    format!("{s:<w$}", w = widths[c])
                }
            })
            .collect();
        format!("| {} |", padded.join(" | "))
    };
    for (i, l) in lines.iter().enumerate() {
        outln!("{}", render(l));
        if i == 0 {
            let rule: Vec<String> = widths
                .iter()
                .enumerate()
                .map(|(c, w)| {
                    if numeric(c) {
                        format!("{}:", "-".repeat(w.saturating_sub(1)))
                    } else {
                        "-".repeat(*w)
                    }
                })
                .collect();
            outln!("| {} |", rule.join(" | "));
        }
    }
}

fn tally_json(t: &Tally) -> serde_json::Value {
    serde_json::json!({
        "rows": t.rows,
        "verified": t.verified,
        "correct": t.correct,
        "accuracy": t.accuracy(),
        "unverified": t.unverified,
        "unverified_correct": t.unverified_correct,
        "unverified_accuracy": t.unverified_accuracy(),
        "failures": t.top_failures(usize::MAX)
            .into_iter()
            .map(|(k, n)| serde_json::json!({"kind": k, "count": n}))
            .collect::<Vec<_>>(),
    })
}

fn print_json(
    reports: &[FileReport],
    unreadable: &[(String, String)],
    total: &Tally,
    failures: bool,
    policy: DatePolicy,
) {
    let files: Vec<serde_json::Value> = reports
        .iter()
        .map(|r| {
            let groups: Vec<serde_json::Value> = r
                .groups
                .iter()
                .map(|((suite, lang, kind), t)| {
                    let mut g = tally_json(t);
                    g["suite"] = suite.clone().into();
                    g["lang"] = lang.clone().into();
                    g["kind"] = kind.clone().into();
                    g
                })
                .collect();
            let mut f = serde_json::json!({
                "file": r.file,
                "groups": groups,
                "total": tally_json(&r.total()),
                "date_orders": r.date_orders(),
                "malformed": r.malformed,
            });
            if failures {
                f["failures"] = r
                    .scored
                    .iter()
                    .filter(|(_, s)| s.failure.is_some())
                    .map(|(line, s)| {
                        serde_json::json!({
                            "line": line,
                            "id": s.id,
                            "suite": s.suite,
                            "lang": s.lang,
                            "kind": s.kind,
                            "verified": s.verified,
                            "text": s.text,
                            "expected": s.expected,
                            "got": s.got,
                            "rule": s.rule,
                            "order": s.order.name(),
                            "failure": s.failure.as_ref().map(|f| f.label()),
                        })
                    })
                    .collect();
            }
            f
        })
        .collect();
    let out = serde_json::json!({
        "policy": policy_name(policy),
        "files": files,
        "unreadable": unreadable
            .iter()
            .map(|(f, e)| serde_json::json!({"file": f, "error": e}))
            .collect::<Vec<_>>(),
        "total": tally_json(total),
    });
    match serde_json::to_string_pretty(&out) {
        Ok(s) => outln!("{s}"),
        Err(e) => eprintln!("error: {e}"),
    }
}
