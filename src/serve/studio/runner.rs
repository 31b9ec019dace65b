//! "Run tests": the conversation tests (`.test` files) of the edited texts
//! against the edited bot, as `guichet test` runs them, each failure with
//! the step that failed (what was expected) and the bot's last turn (what
//! it got).

use super::files::FileKind;
use crate::testing;
use crate::Bot;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct TestResult {
    /// Relative to the bot's folder.
    pub file: String,
    pub name: String,
    /// Where the test starts (1-based).
    pub line: usize,
    pub failure: Option<TestFailure>,
}

#[derive(Debug, Serialize)]
pub struct TestFailure {
    /// The failing step's line (1-based) and its text: what was expected.
    pub line: usize,
    pub step: String,
    pub message: String,
    pub help: Option<String>,
    /// The bot's last turn: what it got.
    pub got: Vec<Value>,
}

#[derive(Debug, Serialize)]
pub struct TestRun {
    pub passed: usize,
    pub failed: usize,
    pub results: Vec<TestResult>,
}

/// Runs every `.test` file of `texts` (relative paths) against `bot`.
pub fn run_all(bot: &Bot, texts: &BTreeMap<String, String>) -> TestRun {
    let mut results = Vec::new();
    for (file, text) in texts
        .iter()
        .filter(|(p, _)| FileKind::of(p) == Some(FileKind::Test))
    {
        let stem = file
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".test"))
            .unwrap_or("test");
        let step_at = |line: usize| {
            text.lines()
                .nth(line.saturating_sub(1))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        match testing::parse_for(bot, text, stem) {
            Err(f) => results.push(TestResult {
                file: file.clone(),
                name: stem.to_string(),
                line: f.line,
                failure: Some(TestFailure {
                    line: f.line,
                    step: step_at(f.line),
                    message: f.message,
                    help: f.help,
                    got: Vec::new(),
                }),
            }),
            Ok(tests) => {
                for outcome in tests.iter().flat_map(|t| testing::run(bot, t)) {
                    results.push(TestResult {
                        file: file.clone(),
                        name: outcome.name,
                        line: outcome.line,
                        failure: outcome.failure.map(|f| TestFailure {
                            line: f.line,
                            step: step_at(f.line),
                            message: f.message,
                            help: f.help,
                            got: f
                                .last_turn
                                .iter()
                                .filter_map(|e| serde_json::to_value(e).ok())
                                .collect(),
                        }),
                    });
                }
            }
        }
    }
    let failed = results.iter().filter(|r| r.failure.is_some()).count();
    TestRun {
        passed: results.len() - failed,
        failed,
        results,
    }
}
