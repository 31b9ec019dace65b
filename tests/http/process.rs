//! Real `guichet serve` processes killed with SIGKILL between and during
//! turns: every answer a client received is in the history afterwards,
//! and no turn is half-written. On SQLite the server is started again on
//! the same file; on PostgreSQL the conversation goes on on the other
//! replica.

use crate::backends;
use crate::support::{flows_dir, TempDir};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

struct Server {
    child: Child,
    url: String,
}

impl Server {
    /// Starts `guichet serve` on a free port and reads the address it prints.
    fn start(store: &str, cwd: &std::path::Path) -> Server {
        std::fs::write(
            cwd.join("guichet.toml"),
            "[limits]\nper_ip_rate = 0.0\nper_conversation_rate = 0.0\n",
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
            .args(["serve"])
            .arg(flows_dir())
            .args(["--addr", "127.0.0.1:0", "--store", store, "--demo"])
            .current_dir(cwd)
            .env("GUICHET_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("guichet serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("guichet serve: listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Server { child, url }
    }

    fn kill9(mut self) {
        self.child.kill().unwrap(); // SIGKILL on Unix
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The events every answer held, by conversation.
type Received = Arc<Mutex<HashMap<String, Vec<Value>>>>;

async fn create(client: &reqwest::Client, url: &str) -> (String, String) {
    let r: Value = client
        .post(format!("{url}/api/conversations"))
        .json(&json!({"lang": "fr"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        r["id"].as_str().unwrap().into(),
        r["token"].as_str().unwrap().into(),
    )
}

/// Sends one input; the answer's events, or `None` when the server died.
async fn send(
    client: &reqwest::Client,
    url: &str,
    id: &str,
    token: &str,
    client_id: &str,
    text: &str,
) -> Option<Vec<Value>> {
    let r = client
        .post(format!("{url}/api/conversations/{id}/inputs"))
        .bearer_auth(token)
        .json(&json!({"client_id": client_id, "text": text}))
        .send()
        .await
        .ok()?;
    if !r.status().is_success() {
        return None;
    }
    let body: Value = r.json().await.ok()?;
    body["events"].as_array().cloned()
}

const TEXTS: &[&str] = &["bonjour", "merci", "quels sont les horaires ?", "au revoir"];

/// Every event a client received is in the history, identical; turns are
/// whole (each `user` event is followed by its turn up to `turn_end`).
async fn check(
    client: &reqwest::Client,
    url: &str,
    tokens: &HashMap<String, String>,
    received: &Received,
) {
    let received = received.lock().unwrap().clone();
    let mut total = 0;
    for (id, events) in &received {
        let token = &tokens[id];
        let h: Value = client
            .get(format!("{url}/api/conversations/{id}/events"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let history = h["events"].as_array().unwrap();
        let by_seq: HashMap<i64, &Value> = history
            .iter()
            .map(|e| (e["seq"].as_i64().unwrap(), e))
            .collect();
        for e in events {
            let seq = e["seq"].as_i64().unwrap();
            assert_eq!(
                by_seq.get(&seq),
                Some(&e),
                "conversation {id}: answered event {seq} lost"
            );
            total += 1;
        }
        let mut open = false;
        for (i, e) in history.iter().enumerate() {
            assert_eq!(e["seq"].as_i64().unwrap(), i as i64 + 1);
            match e["type"].as_str().unwrap() {
                "user" => {
                    assert!(!open, "a half-written turn in {id}");
                    open = true;
                }
                "turn_end" => open = false,
                _ => {}
            }
        }
        assert!(!open, "a half-written turn at the end of {id}");
    }
    assert!(total > 0);
}

/// Drives `n` conversations, each one turn after the other, until the
/// server dies; returns when all stopped.
async fn drive(
    url: String,
    convs: Vec<(String, String)>,
    received: Received,
    stop_after: usize,
    server: Server,
) {
    let client = reqwest::Client::new();
    let answers = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let server = Arc::new(Mutex::new(Some(server)));
    let mut tasks = Vec::new();
    for (c, (id, token)) in convs.into_iter().enumerate() {
        let (client, url, received, answers, server) = (
            client.clone(),
            url.clone(),
            received.clone(),
            answers.clone(),
            server.clone(),
        );
        tasks.push(tokio::spawn(async move {
            for i in 0.. {
                let text = TEXTS[i % TEXTS.len()];
                let Some(events) =
                    send(&client, &url, &id, &token, &format!("k{c}-{i}"), text).await
                else {
                    return;
                };
                received
                    .lock()
                    .unwrap()
                    .entry(id.clone())
                    .or_default()
                    .extend(events);
                if answers.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == stop_after {
                    // Killed while the other conversations' turns are in flight.
                    if let Some(s) = server.lock().unwrap().take() {
                        s.kill9();
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_loses_no_answered_turn_when_killed() {
    let dir = TempDir::new("kill-sqlite");
    let store = format!("sqlite://{}", dir.path().join("guichet.db").display());
    let client = reqwest::Client::new();
    let received: Received = Arc::default();
    let mut tokens = HashMap::new();

    // Between turns: an answer, then SIGKILL.
    let a = Server::start(&store, dir.path());
    let (id, token) = create(&client, &a.url).await;
    tokens.insert(id.clone(), token.clone());
    let mut answers = Vec::new();
    for (i, text) in TEXTS.iter().enumerate() {
        let events = send(&client, &a.url, &id, &token, &format!("b{i}"), text)
            .await
            .unwrap();
        received
            .lock()
            .unwrap()
            .entry(id.clone())
            .or_default()
            .extend(events.clone());
        answers.push(events);
    }
    a.kill9();
    let b = Server::start(&store, dir.path());
    check(&client, &b.url, &tokens, &received).await;
    // The conversation goes on, and a retried input is not applied twice.
    let again = send(&client, &b.url, &id, &token, "b1", "merci")
        .await
        .unwrap();
    assert_eq!(again, answers[1]);

    // During turns: eight conversations busy, SIGKILL after 60 answers.
    let mut convs = Vec::new();
    for _ in 0..8 {
        let (id, token) = create(&client, &b.url).await;
        tokens.insert(id.clone(), token.clone());
        convs.push((id, token));
    }
    let url = b.url.clone();
    drive(url, convs, received.clone(), 60, b).await;
    let c = Server::start(&store, dir.path());
    check(&client, &c.url, &tokens, &received).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgresql_loses_no_answered_turn_and_the_other_replica_goes_on() {
    let Some(store) = backends::postgres_url().await else {
        return;
    };
    let dir = TempDir::new("kill-pg");
    let client = reqwest::Client::new();
    let received: Received = Arc::default();
    let mut tokens = HashMap::new();
    let a = Server::start(&store, dir.path());
    let dir_b = TempDir::new("kill-pg-b");
    let b = Server::start(&store, dir_b.path());
    let mut convs = Vec::new();
    for _ in 0..8 {
        let (id, token) = create(&client, &a.url).await;
        tokens.insert(id.clone(), token.clone());
        convs.push((id, token));
    }
    drive(a.url.clone(), convs.clone(), received.clone(), 60, a).await;
    check(&client, &b.url, &tokens, &received).await;
    // The same conversations continue on B, right away: no lock is left.
    for (i, (id, token)) in convs.iter().enumerate() {
        let events = send(&client, &b.url, id, token, &format!("after-{i}"), "merci").await;
        let events = events.expect("the other replica serves the conversation");
        received
            .lock()
            .unwrap()
            .entry(id.clone())
            .or_default()
            .extend(events);
    }
    check(&client, &b.url, &tokens, &received).await;
}

#[tokio::test]
async fn a_bot_with_errors_is_refused_at_start_with_its_diagnostics() {
    let dir = TempDir::new("refused");
    std::fs::write(
        dir.path().join("bot.flow"),
        "flow hello\n  say en: \"unterminated\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["serve"])
        .arg(dir.path())
        .args(["--addr", "127.0.0.1:0", "--store"])
        .arg(format!("sqlite://{}", dir.path().join("g.db").display()))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bot.flow"), "{stderr}");
    assert!(stderr.contains("the bot is not served"), "{stderr}");
    assert!(
        String::from_utf8_lossy(&out.stdout).is_empty(),
        "nothing listens"
    );
}

#[tokio::test]
async fn sighup_reloads_the_bot_and_a_broken_one_is_refused() {
    let dir = TempDir::new("sighup");
    let bot = dir.path().join("bot");
    std::fs::create_dir_all(&bot).unwrap();
    let flow = |text: &str| {
        format!("bot \"Test\"\n  languages en\n  start hello\nend\n\nflow hello\n  say en: \"{text}\"\nend\n")
    };
    std::fs::write(bot.join("bot.flow"), flow("First version")).unwrap();
    std::fs::write(dir.path().join("guichet.toml"), "reload_poll = \"0s\"\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(["serve"])
        .arg(&bot)
        .args(["--addr", "127.0.0.1:0", "--store", "sqlite://g.db"])
        .current_dir(dir.path())
        .env("GUICHET_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("guichet serve: listening on ")
        .unwrap()
        .to_string();
    let server = Server { child, url };
    let client = reqwest::Client::new();
    let greeting = |client: reqwest::Client, url: String| async move {
        let r: Value = client
            .post(format!("{url}/api/conversations"))
            .json(&json!({"lang": "en"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let (id, token) = (r["id"].as_str().unwrap(), r["token"].as_str().unwrap());
        let r: Value = client
            .post(format!("{url}/api/conversations/{id}/inputs"))
            .bearer_auth(token)
            .json(&json!({"client_id": "s", "event": "start"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["events"][1]["text"].as_str().unwrap_or("").to_string()
    };
    let metric = |client: reqwest::Client, url: String, outcome: &'static str| async move {
        let text = client
            .get(format!("{url}/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.lines().any(|l| {
            l.starts_with("guichet_reloads_total") && l.contains(outcome) && l.ends_with(" 1")
        })
    };
    assert_eq!(
        greeting(client.clone(), server.url.clone()).await,
        "First version"
    );
    let hup = || {
        let ok = Command::new("kill")
            .args(["-HUP", &server.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    };
    // A broken bot: refused, the old one serves.
    std::fs::write(bot.join("bot.flow"), "flow hello\n  say en: \"broken\n").unwrap();
    hup();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !metric(client.clone(), server.url.clone(), "refused").await {
        assert!(
            std::time::Instant::now() < deadline,
            "the reload was not tried"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        greeting(client.clone(), server.url.clone()).await,
        "First version"
    );
    // A correct one: taken.
    std::fs::write(bot.join("bot.flow"), flow("Second version")).unwrap();
    hup();
    while !metric(client.clone(), server.url.clone(), "loaded").await {
        assert!(
            std::time::Instant::now() < deadline,
            "the reload did not happen"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        greeting(client.clone(), server.url.clone()).await,
        "Second version"
    );
}
