//! Actions performed by HTTP hooks, against a small back office served on
//! a free port: a result at once, a refusal, a hook too slow, a hook that
//! fails then answers, and one that answers later through the callback.

use crate::support::{config, Chat, Served, SseReader, TempDir, TestApp};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use guichet::serve::config::{HookConfig, Secret};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default, Clone)]
struct BackOffice {
    calls: Arc<Mutex<Vec<(HeaderMap, Value)>>>,
}

async fn record(b: &BackOffice, headers: HeaderMap, body: Value) -> usize {
    let mut calls = b.calls.lock().unwrap();
    calls.push((headers, body));
    calls.len()
}

async fn ok(State(b): State<BackOffice>, h: HeaderMap, Json(v): Json<Value>) -> Json<Value> {
    record(&b, h, v).await;
    Json(json!({"ok": true, "value": {"status": "en cours", "updated": "2026-03-01"}}))
}

async fn refuse(State(b): State<BackOffice>, h: HeaderMap, Json(v): Json<Value>) -> Json<Value> {
    record(&b, h, v).await;
    Json(json!({"ok": false, "error": "unknown reference"}))
}

async fn slow(State(b): State<BackOffice>, h: HeaderMap, Json(v): Json<Value>) -> Json<Value> {
    record(&b, h, v).await;
    tokio::time::sleep(Duration::from_secs(5)).await;
    Json(json!({"ok": true, "value": {"status": "too late", "updated": "2026-03-01"}}))
}

async fn flaky(
    State(b): State<BackOffice>,
    h: HeaderMap,
    Json(v): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if record(&b, h, v).await == 1 {
        return (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({})));
    }
    (
        StatusCode::OK,
        Json(json!({"ok": true, "value": {"status": "acceptée", "updated": "2026-03-02"}})),
    )
}

async fn later(
    State(b): State<BackOffice>,
    h: HeaderMap,
    Json(v): Json<Value>,
) -> (StatusCode, Json<Value>) {
    record(&b, h, v).await;
    (
        StatusCode::ACCEPTED,
        Json(
            json!({"pending": true, "say": {"text": "Nous cherchons votre dossier.",
            "links": [{"label": "Suivre", "url": "https://backoffice.example/suivi"}]}}),
        ),
    )
}

async fn back_office() -> (String, BackOffice, tokio::task::JoinHandle<()>) {
    let b = BackOffice::default();
    let router = Router::new()
        .route("/ok", post(ok))
        .route("/refuse", post(refuse))
        .route("/slow", post(slow))
        .route("/flaky", post(flaky))
        .route("/later", post(later))
        .with_state(b.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (url, b, task)
}

async fn app_with_hook(url: String, timeout: Duration, retries: u32) -> TestApp {
    let dir = TempDir::new("hooks");
    let mut c = config(dir.path());
    c.demo = false;
    c.hooks.insert(
        "get_request_status".into(),
        HookConfig {
            url,
            secret_header: Some("X-Guichet-Secret".into()),
            secret: Some(Secret::new("hook-secret")),
            timeout,
            retries,
            backoff: Duration::from_millis(20),
        },
    );
    TestApp::with_config(c, dir).await
}

/// Asks for a request's status: the second message performs the action.
async fn ask_status(chat: &mut Chat<'_>) -> crate::support::Reply {
    let r = chat.say("où en est ma demande ?").await;
    assert_eq!(r.last()["expecting"]["name"], "reference");
    chat.say("CR-2026-0042").await
}

#[tokio::test]
async fn a_hooks_result_continues_the_flow_in_the_same_answer() {
    let (url, b, _server) = back_office().await;
    let t = app_with_hook(format!("{url}/ok"), Duration::from_secs(2), 0).await;
    let mut chat = Chat::open(&t, "fr").await;
    let r = ask_status(&mut chat).await;
    let types: Vec<&str> = r
        .events()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types.iter().filter(|t| **t == "turn_end").count(),
        1,
        "{types:?}"
    );
    assert!(types.contains(&"action"));
    assert!(
        r.says()
            .iter()
            .any(|s| s.contains("CR-2026-0042") && s.contains("en cours")),
        "{:?}",
        r.says()
    );
    assert_eq!(r.last()["type"], "turn_end");
    assert_eq!(r.last()["flow"], Value::Null);
    let (headers, body) = b.calls.lock().unwrap()[0].clone();
    assert_eq!(headers["x-guichet-secret"], "hook-secret");
    assert_eq!(
        headers["idempotency-key"].to_str().unwrap(),
        format!("{}:{}", chat.id, body["id"].as_str().unwrap())
    );
    assert_eq!(body["action"], "get_request_status");
    assert_eq!(body["args"]["reference"], "CR-2026-0042");
    assert_eq!(body["conversation"], json!(chat.id));
    assert_eq!(body["lang"], "fr");
    assert_eq!(body["channel"], "web");
    assert!(body["callback_url"]
        .as_str()
        .unwrap()
        .starts_with("http://guichet.test/api/actions/"));
    // The history holds the same log.
    let h = chat.history(0).await;
    assert_eq!(h.events().last(), r.events().last());
}

#[tokio::test]
async fn a_refusal_and_a_slow_hook_take_the_failed_branch() {
    let (url, _b, _server) = back_office().await;
    let t = app_with_hook(format!("{url}/refuse"), Duration::from_secs(2), 0).await;
    let mut chat = Chat::open(&t, "fr").await;
    let r = ask_status(&mut chat).await;
    assert!(
        r.says().iter().any(|s| s.contains("Je ne trouve pas")),
        "{:?}",
        r.says()
    );

    let t = app_with_hook(format!("{url}/slow"), Duration::from_millis(300), 1).await;
    let mut chat = Chat::open(&t, "fr").await;
    let started = Instant::now();
    let r = ask_status(&mut chat).await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "never a hung request"
    );
    assert!(
        r.says().iter().any(|s| s.contains("Je ne trouve pas")),
        "{:?}",
        r.says()
    );
    assert_eq!(r.last()["type"], "turn_end");
}

#[tokio::test]
async fn a_5xx_is_tried_again_with_the_same_idempotency_key() {
    let (url, b, _server) = back_office().await;
    let t = app_with_hook(format!("{url}/flaky"), Duration::from_secs(2), 2).await;
    let mut chat = Chat::open(&t, "fr").await;
    let r = ask_status(&mut chat).await;
    assert!(
        r.says().iter().any(|s| s.contains("acceptée")),
        "{:?}",
        r.says()
    );
    let calls = b.calls.lock().unwrap();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].0["idempotency-key"], calls[1].0["idempotency-key"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_202_waits_and_the_callback_is_pushed_on_the_stream() {
    let (url, b, _server) = back_office().await;
    let t = app_with_hook(format!("{url}/later"), Duration::from_secs(2), 0).await;
    let mut chat = Chat::open(&t, "fr").await;
    let r = ask_status(&mut chat).await;
    let notice = r
        .events()
        .iter()
        .find(|e| e["type"] == "notice")
        .expect("a notice");
    assert_eq!(notice["text"], "Nous cherchons votre dossier.");
    assert_eq!(
        notice["links"][0]["url"],
        "https://backoffice.example/suivi"
    );
    assert_eq!(r.last()["expecting"]["kind"], "action_result");
    // Meanwhile, the citizen is told to wait.
    let waiting = chat.say("alors ?").await;
    assert_eq!(waiting.last()["expecting"]["kind"], "action_result");

    let served = Served::start(t.app.clone()).await;
    let after = waiting.last()["seq"].as_i64().unwrap();
    let stream = reqwest::Client::new()
        .get(format!(
            "{}/api/conversations/{}/stream?after={after}&token={}",
            served.url, chat.id, chat.token
        ))
        .send()
        .await
        .unwrap();
    let mut live = SseReader::new(stream);

    let callback = b.calls.lock().unwrap()[0].1["callback_url"]
        .as_str()
        .unwrap()
        .to_string();
    let path = callback.strip_prefix("http://guichet.test").unwrap();
    let done = t
        .post(
            path,
            None,
            &json!({"ok": true, "value": {"status": "terminée", "updated": "2026-03-09"}}),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(done.body["status"], "applied");
    let say = live.next_of("say").await;
    assert!(say["text"].as_str().unwrap().contains("terminée"), "{say}");
    let end = live.next_of("turn_end").await;
    assert_eq!(end["expecting"], Value::Null);
    // A second delivery of the same result changes nothing.
    let again = t.post(path, None, &json!({"ok": true, "value": {}})).await;
    assert_eq!(again.body["status"], "already_done");
    let r = t.post(path, None, &json!({"value": {}})).await;
    assert_eq!(r.body["error"]["code"], "bad_input");
    served.stop().await;
}
