//! The `guichet` binary as hosts and authors use it: `run --jsonl` with a
//! session file that survives a killed process, and `check` exit codes.

use std::io::Write;
use std::process::{Command, Stdio};

fn guichet() -> Command {
    Command::new(env!("CARGO_BIN_EXE_guichet"))
}

fn flows() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/flows").to_string()
}

/// Runs `guichet run flows --jsonl` over `lines` and returns the events.
fn run(lines: &[&str], session: Option<&std::path::Path>) -> Vec<serde_json::Value> {
    run_with(lines, session, &[])
}

fn run_with(
    lines: &[&str],
    session: Option<&std::path::Path>,
    extra: &[&str],
) -> Vec<serde_json::Value> {
    let mut cmd = guichet();
    cmd.args([
        "run",
        &flows(),
        "--jsonl",
        "--now",
        "2025-04-14T10:00:00+02:00",
        "--seed",
        "1",
    ]);
    cmd.args(extra);
    if let Some(s) = session {
        cmd.arg("--session").arg(s);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("guichet runs");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        for l in lines {
            writeln!(stdin, "{l}").expect("write a line");
        }
    }
    let out = child.wait_with_output().expect("guichet ends");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

fn turn_ends(events: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    events.iter().filter(|e| e["type"] == "turn_end").collect()
}

#[test]
fn every_input_line_ends_with_exactly_one_turn_end_even_when_it_is_bad() {
    let events = run(
        &[
            r#"{"event": "start"}"#,
            "this is not json",
            r#"{"shape": "unknown"}"#,
            r#"{"action_result": {"id": "a9", "ok": true}}"#,
            r#"{"text": "Je voudrais inscrire mon fils à la crèche"}"#,
        ],
        None,
    );
    assert_eq!(turn_ends(&events).len(), 5);
    let errors: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "error")
        .map(|e| e["code"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(errors, ["bad_input", "bad_input", "unknown_action"]);
    let last = turn_ends(&events).pop().cloned().unwrap_or_default();
    assert_eq!(last["flow"], "creche_enrolment");
    assert_eq!(last["expecting"]["name"], "child_first_name");
    assert_eq!(last["lang"], "fr");
}

#[test]
fn a_killed_process_resumes_from_its_session_file() {
    let dir = std::env::temp_dir().join(format!("guichet-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let session = dir.join("session.json");
    let _ = std::fs::remove_file(&session);
    run(
        &[
            r#"{"text": "Ik wil mijn dochter inschrijven in de kinderopvang"}"#,
            r#"{"text": "Lotte"}"#,
        ],
        Some(&session),
    );
    assert!(session.exists(), "the session is written after every line");
    // A new process continues where the other stopped.
    let events = run(&[r#"{"text": "Peeters"}"#], Some(&session));
    let end = turn_ends(&events)[0].clone();
    assert_eq!(end["lang"], "nl");
    assert_eq!(end["slots"]["child_first_name"], "Lotte");
    assert_eq!(end["slots"]["child_last_name"], "Peeters");
    assert_eq!(end["expecting"]["name"], "child_birth_date");
    // A corrupt session file gives an error event and a fresh conversation.
    std::fs::write(&session, "{ corrupt").unwrap();
    let events = run(&[r#"{"text": "bonjour"}"#], Some(&session));
    assert_eq!(events[0]["type"], "error");
    assert_eq!(events[0]["code"], "bad_session");
    assert_eq!(turn_ends(&events).len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_exits_zero_on_the_sample_bot_and_one_on_a_broken_bot() {
    let ok = guichet()
        .args(["check", &flows()])
        .output()
        .expect("guichet check runs");
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let dir = std::env::temp_dir().join(format!("guichet-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("bot.flow"),
        "bot \"B\"\n  languages fr\nend\nflow a\n  say fr: \"{inconnu}\"\n  goto nulle_part\nend\n",
    )
    .unwrap();
    let out = guichet()
        .args(["check", dir.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(report["errors"], 2, "{report}");
    let codes: Vec<String> = report["diagnostics"]
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(codes.contains(&"unknown-name".to_string()), "{codes:?}");
    assert!(codes.contains(&"unknown-flow".to_string()), "{codes:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn guichet_test_reports_each_test_and_fails_with_the_line_of_the_failing_step() {
    let dir = std::env::temp_dir().join(format!("guichet-test-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    std::fs::write(
        dir.join("bot.flow"),
        "bot \"T\"\n  languages en\nend\nflow hello\n  triggers en: \"hello there\"\n  say en: \"Hi!\"\nend\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("tests/hello.test"),
        "@test greets\n> hello there\n< Hi\n@test wrong\n> hello there\n< Goodbye\n",
    )
    .unwrap();
    let junit = dir.join("report.xml");
    let out = guichet()
        .args([
            "test",
            dir.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("ok     "), "{stdout}");
    assert!(
        stdout.contains("hello.test:6: no message of the bot contains \"Goodbye\""),
        "{stdout}"
    );
    assert_eq!(stdout.lines().last(), Some("1 passed, 1 failed"));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fmt_check_exits_1_on_a_file_to_format_and_fmt_rewrites_it() {
    let dir = std::env::temp_dir().join(format!("guichet-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let file = dir.join("hello.flow");
    let untouched = dir.join("hello.test");
    std::fs::write(&file, "flow hello   # greets\n say \"Hello!\"\nend\n").expect("write");
    std::fs::write(&untouched, "  > hello\n").expect("write");

    let check = guichet()
        .args(["fmt", "--check"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert_eq!(check.status.code(), Some(1));
    let listed = String::from_utf8_lossy(&check.stdout);
    assert!(
        listed.contains("would reformat") && listed.contains("hello.flow"),
        "{listed}"
    );
    assert!(listed.contains("+  say \"Hello!\""), "{listed}");

    let rewrite = guichet().arg("fmt").arg(&dir).output().expect("runs");
    assert_eq!(rewrite.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "flow hello  # greets\n  say \"Hello!\"\nend\n"
    );
    assert_eq!(
        std::fs::read_to_string(&untouched).expect("read"),
        "  > hello\n"
    );

    let clean = guichet()
        .args(["fmt", "--check"])
        .arg(&dir)
        .output()
        .expect("runs");
    assert_eq!(clean.status.code(), Some(0));

    std::fs::write(&file, "flow hello\n say \"unclosed\nend\n").expect("write");
    let broken = guichet().args(["fmt"]).arg(&file).output().expect("runs");
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "flow hello\n say \"unclosed\nend\n",
        "a file with syntax errors is left as it is"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fmt_reads_stdin_and_writes_stdout() {
    let mut child = guichet()
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"flow f stop end")
        .expect("write");
    let out = child.wait_with_output().expect("ends");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "flow f\n  stop\nend\n"
    );
}

#[test]
fn guichet_test_runs_a_test_in_each_language_and_holds_a_coverage_floor() {
    let dir = std::env::temp_dir().join(format!("guichet-langs-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    std::fs::write(
        dir.join("bot.flow"),
        "bot \"T\"\n  languages fr en\nend\nflow hello\n  triggers\n    fr: \"bonjour là\"\n    en: \"hello there\", \"good morning\"\n  say\n    fr: \"Salut !\"\n    en: \"Hi!\"\nend\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("tests/hello.test"),
        "@test greets\n@lang fr en\nfr> bonjour là\nen> hello there\nfr< salut\nen< hi\n? nothing\n",
    )
    .unwrap();
    let test = |extra: &[&str]| {
        let out = guichet()
            .args(["test", dir.to_str().unwrap()])
            .args(extra)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    let (code, stdout) = test(&["--coverage", "--fail-under", "50"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("hello.test: greets [fr]"), "{stdout}");
    assert!(stdout.contains("hello.test: greets [en]"), "{stdout}");
    assert!(stdout.contains("2 passed, 0 failed"), "{stdout}");
    // "good morning" is never said: the floor of 100% is not met.
    let (code, stdout) = test(&["--coverage", "--fail-under", "100"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("good morning"), "{stdout}");
    assert!(stdout.contains("below 100%"), "{stdout}");

    std::fs::write(dir.join("tests/hello.test"), "@lang fr en\nnl> hallo\n").unwrap();
    let (code, stdout) = test(&[]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("hello.test:2: "), "{stdout}");
    assert!(stdout.contains("help: "), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A crèche enrolment up to the confirmation, with an e-mail address and a
/// phone number, then a request for a person.
const PERSONAL_LINES: &[&str] = &[
    r#"{"text": "je voudrais inscrire mon fils Tom à la crèche"}"#,
    r#"{"text": "Vandermeulen"}"#,
    r#"{"text": "3 mai 2024"}"#,
    r#"{"text": "1er septembre"}"#,
    r#"{"text": "tom.vandermeulen@exemple.be"}"#,
    r#"{"text": "0470 12 34 56"}"#,
    r#"{"text": "je veux parler à quelqu'un"}"#,
];

#[test]
fn run_redact_takes_personal_slots_out_of_turn_end_and_hand_over_summaries() {
    let plain = run(PERSONAL_LINES, None);
    let plain_text = serde_json::to_string(&plain).unwrap();
    assert!(plain_text.contains("tom.vandermeulen@exemple.be"));
    let redacted = run_with(PERSONAL_LINES, None, &["--redact"]);
    for e in &redacted {
        if e["type"] == "turn_end" || e["type"] == "handoff" {
            let text = e.to_string();
            for value in ["Tom", "Vandermeulen", "tom.vandermeulen", "+32470123456"] {
                assert!(!text.contains(value), "{value} in {text}");
            }
        }
    }
    let ends = turn_ends(&redacted);
    let last_with_slots = ends
        .iter()
        .rev()
        .find(|e| e["slots"].as_object().is_some_and(|s| !s.is_empty()))
        .expect("a turn_end with slots");
    assert_eq!(last_with_slots["slots"]["parent_email"], "[email]");
    assert_eq!(last_with_slots["slots"]["child_first_name"], "[name]");
    // Dates are not personal by type: they stay.
    assert_eq!(last_with_slots["slots"]["child_birth_date"], "2024-05-03");
    let handoff = redacted
        .iter()
        .find(|e| e["type"] == "handoff")
        .expect("a hand-over");
    assert_eq!(handoff["summary"]["slots"]["parent_phone"], "[phone]");
    assert!(handoff["summary"]["text"]
        .as_str()
        .unwrap()
        .contains("[redacted]"));
    // The citizen's own messages still show the values (`say` is for them).
    assert!(serde_json::to_string(&redacted).unwrap().contains("Tom"));
}

#[cfg(unix)]
#[test]
fn a_session_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("guichet-cli-mode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("session.json");
    // Even one left readable by an older version is written back private.
    std::fs::write(&file, "{}").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    run(&[r#"{"text": "bonjour"}"#], Some(&file));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
    let _ = std::fs::remove_dir_all(&dir);
}
