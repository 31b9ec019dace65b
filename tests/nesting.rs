//! Nesting never crashes: blocks and expressions inside each other, at the
//! limits and far past them, through check, fmt, graph and a turn. Each
//! case runs on a thread with a 2 MiB stack, as small as a tokio worker's:
//! a stack overflow aborts the process, which no test can catch, so the
//! thread is the test.

use guichet::bot::check_files;
use guichet::graph::{graph, Format};
use guichet::load::SourceFile;
use guichet::syntax::blocks::{MAX_BLOCK_DEPTH, MAX_EXPR_DEPTH};
use guichet::syntax::format_source;
use guichet::{Bot, Event, Input};

const STACK: usize = 2 << 20;

/// Runs `f` on a thread with a 2 MiB stack and returns its result.
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .expect("a thread starts")
        .join()
        .expect("the thread finished without a panic")
}

const HEADER: &str = "bot \"Deep\"\n  languages en\nend\n\n";

/// A bot whose flow `deep` holds `body` and says what `set x = <expr>` gives.
fn bot_with(body: &str) -> String {
    format!(
        "{HEADER}flow deep\n  triggers\n    en: \"go\"\n{body}end\n\nflow other\n  triggers\n    en: \"other\"\n  say en: \"still here\"\nend\n"
    )
}

/// `n` nested `if`, indented as the formatter would up to 40 levels (past
/// that, 10,000 levels would be 100 MB of spaces).
fn nested_ifs(n: usize) -> String {
    let indent = |i: usize| " ".repeat(2 + 2 * i.min(40));
    let mut body = String::new();
    for i in 0..n {
        body.push_str(&indent(i));
        body.push_str("if 1 > 0\n");
    }
    body.push_str(&indent(n));
    body.push_str("say en: \"deep inside\"\n");
    for i in (0..n).rev() {
        body.push_str(&indent(i));
        body.push_str("end\n");
    }
    body
}

fn expr_body(expr: &str) -> String {
    format!("  set x = {expr}\n  say en: \"x is {{x}}\"\n")
}

fn parens(n: usize) -> String {
    format!("{}1{}", "(".repeat(n), ")".repeat(n))
}

fn sum(terms: usize) -> String {
    vec!["1"; terms].join(" + ")
}

fn lists(n: usize) -> String {
    format!("{}1{}", "[".repeat(n), "]".repeat(n))
}

fn nots(n: usize) -> String {
    format!("{}true", "not ".repeat(n))
}

/// What `check` says of a bot: its diagnostics' codes.
fn check_codes(text: String) -> Vec<&'static str> {
    small_stack(move || {
        let files = vec![SourceFile {
            name: "deep.flow".into(),
            text,
        }];
        let (_, diags) = check_files(&files);
        diags.iter().map(|d| d.code).collect()
    })
}

/// Formats, draws and runs a bot that must load: the turn's `say` texts
/// and error codes.
fn everything_works(text: String) -> Vec<String> {
    small_stack(move || {
        let formatted = format_source(&text).expect("the bot formats");
        assert_eq!(format_source(&formatted).as_deref(), Ok(formatted.as_str()));
        let bot = Bot::from_sources(&[("deep.flow", &text)]).expect("the bot loads");
        graph(bot.program(), Some("deep"), Format::Mermaid).expect("the flow draws");
        graph(bot.program(), None, Format::Dot).expect("the bot draws");
        let now = chrono::NaiveDate::from_ymd_opt(2025, 4, 14)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let mut session = bot.new_session(None, 0);
        bot.turn(&mut session, Input::text("go"), now)
            .into_iter()
            .filter_map(|e| match e {
                Event::Say { text, .. } => Some(text),
                Event::Error { code, .. } => Some(format!("error: {code}")),
                _ => None,
            })
            .collect()
    })
}

/// Checks, formats and loads a bot that goes past a limit: one `too-deep`
/// error, the rest of the file read.
fn refused(text: String) {
    assert_eq!(check_codes(text.clone()), vec!["too-deep"]);
    small_stack(move || {
        let errors = format_source(&text).expect_err("a file too deep is not formatted");
        assert!(errors.iter().any(|d| d.code == "too-deep"));
        match Bot::from_sources(&[("deep.flow", &text)]) {
            Ok(_) => panic!("a bot too deep is not loaded"),
            Err(err) => assert!(err.diagnostics.iter().any(|d| d.code == "too-deep")),
        }
    });
}

#[test]
fn blocks_at_the_limit_work_everywhere() {
    // The flow is one block, so it holds one less `if`.
    let said = everything_works(bot_with(&nested_ifs(MAX_BLOCK_DEPTH - 1)));
    assert_eq!(said, vec!["deep inside"]);
}

#[test]
fn blocks_past_the_limit_are_refused() {
    refused(bot_with(&nested_ifs(MAX_BLOCK_DEPTH)));
    refused(bot_with(&nested_ifs(10_000)));
}

#[test]
fn brackets_at_the_limit_work_everywhere() {
    // `set x = ...` is one expression level of its own.
    let said = everything_works(bot_with(&expr_body(&parens(MAX_EXPR_DEPTH - 1))));
    assert_eq!(said, vec!["x is 1"]);
    let said = everything_works(bot_with(&expr_body(&sum(MAX_EXPR_DEPTH))));
    assert_eq!(said, vec![format!("x is {MAX_EXPR_DEPTH}")]);
    let said = everything_works(bot_with(&expr_body(&nots(MAX_EXPR_DEPTH - 1))));
    assert_eq!(said.len(), 1);
    let said = everything_works(bot_with(&expr_body(&format!(
        "length({})",
        lists(MAX_EXPR_DEPTH - 2)
    ))));
    // Read, formatted and drawn; the turn refuses to keep such a list.
    assert_eq!(said, vec!["error: too_deep"]);
}

#[test]
fn expressions_past_the_limit_are_refused() {
    refused(bot_with(&expr_body(&parens(MAX_EXPR_DEPTH + 1))));
    refused(bot_with(&expr_body(&parens(100_000))));
    refused(bot_with(&expr_body(&sum(MAX_EXPR_DEPTH + 1))));
    refused(bot_with(&expr_body(&sum(50_000))));
    refused(bot_with(&expr_body(&lists(20_000))));
    refused(bot_with(&expr_body(&nots(100_000))));
    refused(bot_with(&format!(
        "  say en: \"{}\"\n",
        "{length([".repeat(5_000)
    )));
}

#[test]
fn the_items_around_a_deep_one_are_still_read() {
    // `other` and the bot declaration are read: no `missing-bot`, no
    // warning about what the deep flow would have used.
    let text = format!(
        "{}\nflow caller\n  triggers\n    en: \"c\"\n  call other\nend\n",
        bot_with(&nested_ifs(10_000))
    );
    assert_eq!(check_codes(text), vec!["too-deep"]);
}

#[test]
fn a_turn_keeps_lists_of_a_reasonable_depth() {
    let said = everything_works(bot_with(&expr_body(&format!("length({})", lists(20)))));
    assert_eq!(said, vec!["x is 1"]);
}

/// The sizes that used to overflow the stack: 2,000 nested `if` (500 on a
/// 2 MiB stack), 5,000 nested parentheses, 10,000 nested lists, a sum of
/// 20,000 terms.
fn sizes_that_crashed() -> Vec<(&'static str, String)> {
    vec![
        ("500 if", bot_with(&nested_ifs(500))),
        ("2,000 if", bot_with(&nested_ifs(2_000))),
        ("5,000 (", bot_with(&expr_body(&parens(5_000)))),
        ("10,000 [", bot_with(&expr_body(&lists(10_000)))),
        ("20,000 +", bot_with(&expr_body(&sum(20_000)))),
    ]
}

#[test]
fn the_sizes_that_crashed_are_a_diagnostic_on_a_small_stack() {
    for (_, text) in sizes_that_crashed() {
        refused(text);
    }
}

/// `guichet check`, `run --jsonl` and `fmt` on the same files, each in its
/// own process: exit code 1 and the `too-deep` diagnostic with its place,
/// never a signal.
#[test]
fn check_run_and_fmt_answer_the_sizes_that_crashed_with_a_diagnostic() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let dir = std::env::temp_dir().join(format!("guichet-nesting-{}", std::process::id()));
    for (what, text) in sizes_that_crashed() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("deep.flow"), &text).unwrap();
        let guichet = || {
            let mut c = Command::new(env!("CARGO_BIN_EXE_guichet"));
            c.env("NO_COLOR", "1")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            c
        };
        let runs = [
            vec!["check", dir.to_str().unwrap()],
            vec!["run", dir.to_str().unwrap(), "--jsonl"],
            vec!["fmt", "--check", dir.to_str().unwrap()],
            vec!["fmt", "--stdin"],
        ];
        for args in runs {
            let mut child = guichet().args(&args).spawn().unwrap();
            let mut stdin = child.stdin.take().unwrap();
            if args[1] == "--stdin" {
                stdin.write_all(text.as_bytes()).unwrap();
            } else {
                stdin.write_all(b"{\"text\": \"go\"}\n").unwrap();
            }
            drop(stdin);
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{what}, {args:?}: {err}");
            assert!(err.contains("too-deep"), "{what}, {args:?}: {err}");
            assert!(
                err.contains("deep.flow") || err.contains("<stdin>"),
                "{what}, {args:?}: {err}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
