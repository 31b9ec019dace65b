//! `guichet run --jsonl` as a careless or hostile host drives it: blank
//! lines, a stdin that cannot be read, a line of tens of megabytes, lines
//! sent twice, and session files attacked or interrupted by kill -9.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn guichet() -> Command {
    Command::new(env!("CARGO_BIN_EXE_guichet"))
}

fn flows() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/flows").to_string()
}

fn run_args() -> Vec<String> {
    [
        "run",
        &flows(),
        "--jsonl",
        "--now",
        "2025-04-14T10:00:00+02:00",
        "--seed",
        "1",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn parse(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

fn run(lines: &[&str], extra: &[&str]) -> Vec<serde_json::Value> {
    let mut child = guichet()
        .args(run_args())
        .args(extra)
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
    parse(&out.stdout)
}

fn turn_ends(events: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    events.iter().filter(|e| e["type"] == "turn_end").collect()
}

fn error_codes(events: &[serde_json::Value]) -> Vec<&str> {
    events
        .iter()
        .filter(|e| e["type"] == "error")
        .map(|e| e["code"].as_str().unwrap_or(""))
        .collect()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guichet-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Waits for a child, killing it after `limit`: a hang is a failure, not a stuck test.
fn wait_at_most(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_blank_line_gets_an_error_and_a_turn_end_and_turn_ends_count_the_turns() {
    let events = run(
        &[
            r#"{"text": "Je voudrais inscrire mon fils à la crèche"}"#,
            "",
            "   ",
            r#"{"text": "Lucas"}"#,
        ],
        &[],
    );
    let ends = turn_ends(&events);
    assert_eq!(ends.len(), 4, "{events:#?}");
    assert_eq!(error_codes(&events), ["bad_input", "bad_input"]);
    let turns: Vec<u64> = ends.iter().map(|e| e["turn"].as_u64().unwrap()).collect();
    // Lines that are not inputs leave the count where it was.
    assert_eq!(turns, [1, 1, 1, 2]);
}

#[test]
fn a_stdin_that_keeps_failing_ends_the_run_with_a_message() {
    let dir = temp_dir("stdin-dir");
    let mut child = guichet()
        .args(run_args())
        .stdin(Stdio::from(std::fs::File::open(&dir).unwrap()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("guichet runs");
    let status = wait_at_most(&mut child, Duration::from_secs(60))
        .expect("guichet gives up on an unreadable stdin instead of looping");
    assert_eq!(status.code(), Some(1));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("stdin is not readable"), "{stderr}");
    assert!(stderr.contains("giving up"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Peak resident memory of a running process, from /proc (Linux), in kB.
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn a_huge_line_is_skipped_while_it_is_read_and_memory_stays_bounded() {
    const LINE: usize = 50 << 20;
    let mut child = guichet()
        .args(run_args())
        .args(["--max-line-bytes", "10000"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("guichet runs");
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let read_turn = |stdout: &mut BufReader<std::process::ChildStdout>| {
        let mut events = Vec::new();
        loop {
            let mut line = String::new();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "guichet ended early"
            );
            let e: serde_json::Value = serde_json::from_str(&line).unwrap();
            let end = e["type"] == "turn_end";
            events.push(e);
            if end {
                return events;
            }
        }
    };
    writeln!(stdin, r#"{{"event": "start"}}"#).unwrap();
    stdin.flush().unwrap();
    read_turn(&mut stdout);
    let baseline = peak_rss_kb(pid);

    let writer = std::thread::spawn(move || {
        let chunk = vec![b'x'; 1 << 20];
        stdin.write_all(b"{\"text\": \"").unwrap();
        for _ in 0..LINE >> 20 {
            stdin.write_all(&chunk).unwrap();
        }
        stdin.write_all(b"\"}\n").unwrap();
        writeln!(
            stdin,
            r#"{{"text": "Je voudrais inscrire mon fils à la crèche"}}"#
        )
        .unwrap();
        stdin
    });
    let huge = read_turn(&mut stdout);
    assert_eq!(error_codes(&huge), ["too_long"], "{huge:#?}");
    let next = read_turn(&mut stdout);
    assert_eq!(
        turn_ends(&next)[0]["flow"],
        "creche_enrolment",
        "the line after the long one works"
    );
    if let (Some(before), Some(after)) = (baseline, peak_rss_kb(pid)) {
        // The 50 MB line never sits in memory: the peak grows by far less than it.
        assert!(
            after < before + 20_000,
            "peak memory went from {before} kB to {after} kB"
        );
    }
    drop(writer.join().unwrap());
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_line_sent_again_with_the_same_id_is_answered_again_and_applied_once() {
    let dir = temp_dir("ids");
    let session = dir.join("session.json");
    let s = session.to_str().unwrap();
    let first = run(
        &[
            r#"{"id": "m1", "text": "Je voudrais inscrire mon fils à la crèche"}"#,
            r#"{"id": "m2", "text": "Lucas"}"#,
        ],
        &["--session", s],
    );
    // The host crashed before reading the answer to m2 and sends it again.
    let again = run(
        &[
            r#"{"id": "m2", "text": "Lucas"}"#,
            r#"{"id": "m3", "text": "Dupont"}"#,
        ],
        &["--session", s],
    );
    let first_ends = turn_ends(&first);
    let again_ends = turn_ends(&again);
    assert_eq!(again_ends[0]["replayed"], true);
    assert_eq!(again_ends[0]["turn"], first_ends[1]["turn"]);
    assert_eq!(again_ends[0]["slots"], first_ends[1]["slots"]);
    // Lucas was not taken as the last name: m2 was applied once.
    assert_eq!(again_ends[1]["slots"]["child_first_name"], "Lucas");
    assert_eq!(again_ends[1]["slots"]["child_last_name"], "Dupont");
    assert_eq!(again_ends[1]["turn"], 3);
    assert!(again_ends[1].get("replayed").is_none());
    let bad = run(&[r#"{"id": 7, "text": "bonjour"}"#], &[]);
    assert_eq!(error_codes(&bad), ["bad_input"]);
    let _ = std::fs::remove_dir_all(&dir);
}

fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.contains(".tmp"))
        .collect()
}

#[cfg(unix)]
#[test]
fn session_files_are_private_and_a_planted_symlink_is_not_followed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("session-perms");
    let session = dir.join("session.json");
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let mut child = guichet()
        .args(run_args())
        .arg("--session")
        .arg(&session)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // guichet used to write `session.tmpPID` and follow a link found there.
    std::os::unix::fs::symlink(&victim, dir.join(format!("session.tmp{}", child.id()))).unwrap();
    writeln!(
        child.stdin.take().unwrap(),
        r#"{{"text": "Je voudrais inscrire mon fils à la crèche"}}"#
    )
    .unwrap();
    assert!(child.wait_with_output().unwrap().status.success());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let mode = std::fs::metadata(&session).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a session file is readable by its owner only");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&session).unwrap()).unwrap();
    assert_eq!(saved["stack"][0]["flow"], "creche_enrolment");

    // The next run removes what earlier runs left: the planted link (not
    // what it points to) and a temporary file of a process that is gone.
    let stale = dir.join(".session.json.999999999.0123456789abcdef.tmp");
    std::fs::write(&stale, "{").unwrap();
    run(
        &[r#"{"text": "Lucas"}"#],
        &["--session", session.to_str().unwrap()],
    );
    assert_eq!(temporaries(&dir), Vec::<String>::new());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn kill_9_at_any_moment_leaves_a_whole_session_and_no_temporary_files() {
    let dir = temp_dir("kill9");
    let session = dir.join("session.json");
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for round in 0..20 {
        let mut child = guichet()
            .args(run_args())
            .arg("--session")
            .arg(&session)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || {
            for i in 0..400 {
                let line = if i % 2 == 0 {
                    r#"{"text": "Je voudrais inscrire mon fils à la crèche"}"#
                } else {
                    r#"{"text": "annuler"}"#
                };
                if writeln!(stdin, "{line}").is_err() {
                    return;
                }
            }
        });
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(150 + seed % 250));
        child.kill().unwrap();
        child.wait().unwrap();
        let _ = writer.join();
        assert!(
            temporaries(&dir).len() <= 1,
            "round {round}: {:?}",
            temporaries(&dir)
        );
        if session.exists() {
            let text = std::fs::read_to_string(&session).unwrap();
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("round {round}: a half-written session: {e}"));
        }
    }
    run(
        &[r#"{"event": "start"}"#],
        &["--session", session.to_str().unwrap()],
    );
    assert_eq!(temporaries(&dir), Vec::<String>::new());
    let _ = std::fs::remove_dir_all(&dir);
}
