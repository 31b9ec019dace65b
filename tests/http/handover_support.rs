//! What the Messenger and staff tests share: a fake Graph API (an axum
//! server on a free port that records what it is sent and answers as it
//! is told: 200, a 500, the `(#10)` error), signed webhook deliveries
//! shaped as in Meta's reference, and a member of staff signed in.

#![allow(dead_code)]

use crate::support::{config, TempDir, TestApp};
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{Request, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use guichet::serve::channels::messenger::MessengerConfig;
use guichet::serve::store::StaffAccount;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const PAGE: &str = "106531234567890";
pub const APP_ID: &str = "1784512345678901";
pub const APP_SECRET: &str = "3f1c2b9e8d7a6c5b4a3f2e1d0c9b8a7f";
pub const VERIFY_TOKEN: &str = "bruyeres-verify-Xq7";
pub const PAGE_TOKEN: &str = "EAAGpagetokenZZ";

#[derive(Clone, Default)]
struct Recorder {
    calls: Arc<Mutex<Vec<Value>>>,
    script: Arc<Mutex<VecDeque<(u16, Value)>>>,
    tokens: Arc<Mutex<Vec<String>>>,
}

async fn messages(
    State(r): State<Recorder>,
    Query(q): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    r.tokens
        .lock()
        .unwrap()
        .push(q.get("access_token").cloned().unwrap_or_default());
    let answer = r.script.lock().unwrap().pop_front();
    r.calls.lock().unwrap().push(body.clone());
    match answer {
        Some((status, body)) => (StatusCode::from_u16(status).unwrap(), Json(body)),
        None => (
            StatusCode::OK,
            Json(json!({"recipient_id": body["recipient"]["id"], "message_id": "m_sent"})),
        ),
    }
}

/// A fake Graph API: `POST /v21.0/me/messages`.
pub struct FakeGraph {
    pub url: String,
    r: Recorder,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeGraph {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeGraph {
    pub async fn start() -> FakeGraph {
        let r = Recorder::default();
        let router = Router::new()
            .route("/v21.0/me/messages", post(messages))
            .with_state(r.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        FakeGraph { url, r, task }
    }

    /// The next request gets this answer (then 200 again).
    pub fn answer_next(&self, status: u16, body: Value) {
        self.r.script.lock().unwrap().push_back((status, body));
    }

    /// The `(#10)` error Meta sends outside the messaging window.
    pub fn outside_window(&self) {
        self.answer_next(
            400,
            json!({"error": {"message": "(#10) This message is sent outside of allowed window.",
                "type": "OAuthException", "code": 10, "error_subcode": 2018278, "fbtrace_id": "AbCdEf"}}),
        );
    }

    /// Every request body, in order.
    pub fn calls(&self) -> Vec<Value> {
        self.r.calls.lock().unwrap().clone()
    }

    pub fn tokens(&self) -> Vec<String> {
        self.r.tokens.lock().unwrap().clone()
    }

    /// The requests that carry a message (not sender actions).
    pub fn sent(&self) -> Vec<Value> {
        self.calls()
            .into_iter()
            .filter(|c| c.get("message").is_some())
            .collect()
    }

    /// The texts of the messages sent (a template's text too).
    pub fn texts(&self) -> Vec<String> {
        self.sent()
            .iter()
            .map(|c| {
                c["message"]["text"]
                    .as_str()
                    .or(c["message"]["attachment"]["payload"]["text"].as_str())
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    }

    pub fn clear(&self) {
        self.r.calls.lock().unwrap().clear();
    }
}

pub fn messenger_config(graph_url: &str) -> MessengerConfig {
    let mut m = MessengerConfig::new(APP_ID, VERIFY_TOKEN, APP_SECRET, PAGE_TOKEN);
    m.graph_url = graph_url.to_string();
    m.backoff = Duration::from_millis(10);
    m
}

/// A test password's hash, made once (Argon2 is slow on purpose).
pub fn password_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        guichet::serve::staff::accounts::hash_password(
            "correct horse battery",
            &guichet::serve::clock::SeededRandom::new(3),
        )
        .unwrap()
    })
    .clone()
}

/// Staff of the sample commune: Marie (crèches), Luc (everything),
/// Anne (mobility only).
pub fn with_staff(c: &mut guichet::serve::ServeConfig) {
    c.apply_toml(
        r#"
        [staff]
        claim_timeout = "10m"
        [staff.services.petite_enfance]
        label = "Petite enfance"
        flows = ["creche_enrolment"]
        [staff.services.mobilite]
        label = "Mobilité"
        flows = ["parking_card"]
        "#,
        &|_| None,
    )
    .unwrap();
    for (login, name, services) in [
        ("marie", "Marie", vec!["petite_enfance", "general"]),
        ("luc", "Luc", vec!["*"]),
        ("anne", "Anne", vec!["mobilite"]),
    ] {
        c.staff.accounts.push(StaffAccount {
            login: login.into(),
            name: name.into(),
            password_hash: password_hash(),
            services: services.into_iter().map(String::from).collect(),
        });
    }
}

/// An app with Messenger (against `graph`) and staff.
pub async fn app_with(
    graph: Option<&FakeGraph>,
    edit: impl FnOnce(&mut guichet::serve::ServeConfig),
) -> TestApp {
    let dir = TempDir::new("handover");
    let mut c = config(dir.path());
    with_staff(&mut c);
    if let Some(g) = graph {
        c.messenger = Some(messenger_config(&g.url));
    }
    edit(&mut c);
    TestApp::with_config(c, dir).await
}

pub fn sign(body: &[u8], secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    let bytes = mac.finalize().into_bytes();
    format!(
        "sha256={}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

static MID: AtomicU64 = AtomicU64::new(1);

pub fn next_mid() -> String {
    format!(
        "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfip{}",
        MID.fetch_add(1, Ordering::Relaxed)
    )
}

/// One `messaging` item: a text from the person `psid`.
pub fn text_item(psid: &str, mid: &str, text: &str) -> Value {
    json!({"sender": {"id": psid}, "recipient": {"id": PAGE}, "timestamp": 1_773_136_800_000_i64,
        "message": {"mid": mid, "text": text}})
}

pub fn quick_reply_item(psid: &str, mid: &str, title: &str, payload: &str) -> Value {
    json!({"sender": {"id": psid}, "recipient": {"id": PAGE}, "timestamp": 1_773_136_800_000_i64,
        "message": {"mid": mid, "text": title, "quick_reply": {"payload": payload}}})
}

pub fn postback_item(psid: &str, mid: &str, title: &str, payload: &str) -> Value {
    json!({"sender": {"id": psid}, "recipient": {"id": PAGE}, "timestamp": 1_773_136_800_000_i64,
        "postback": {"mid": mid, "title": title, "payload": payload}})
}

/// An echo of a message the Page sent; `app_id` is ours, another app's,
/// or none (a person writing from the Page's inbox).
pub fn echo_item(psid: &str, mid: &str, text: &str, app_id: Option<&str>) -> Value {
    let mut message = json!({"mid": mid, "is_echo": true, "text": text});
    if let Some(a) = app_id {
        message["app_id"] = json!(a.parse::<u64>().unwrap());
    }
    json!({"sender": {"id": PAGE}, "recipient": {"id": psid}, "timestamp": 1_773_136_800_000_i64,
        "message": message})
}

/// The webhook body for these items, in one entry.
pub fn body(items: &[Value]) -> Vec<u8> {
    json!({"object": "page", "entry": [{"id": PAGE, "time": 1_773_136_800_000_i64, "messaging": items}]})
        .to_string()
        .into_bytes()
}

/// `POST /webhooks/messenger` with a signature (or another header value).
pub async fn deliver(
    t: &TestApp,
    body: Vec<u8>,
    signature: Option<String>,
) -> crate::support::Reply {
    let mut b = Request::post("/webhooks/messenger").header("content-type", "application/json");
    if let Some(s) = signature {
        b = b.header("x-hub-signature-256", s);
    }
    t.call(b.body(Body::from(body)).unwrap()).await
}

pub async fn deliver_signed(t: &TestApp, items: &[Value]) -> crate::support::Reply {
    let b = body(items);
    let s = sign(&b, APP_SECRET);
    let r = deliver(t, b, Some(s)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r
}

/// Delivers the outbox until `done` holds for what the fake Graph API
/// received, for at most 10 s.
pub async fn pump(t: &TestApp, graph: &FakeGraph, done: impl Fn(&FakeGraph) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        t.app.outbox.deliver_due().await;
        if done(graph) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the fake Graph API did not get what was expected: {:#?}",
            graph.calls()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the conversation of `psid` has an event of this type
/// after `after` (deliveries are applied in a task after the 200).
pub async fn wait_event(
    t: &TestApp,
    psid: &str,
    after: i64,
    pred: impl Fn(&Value) -> bool,
) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let key = format!("{PAGE}:{psid}");
    loop {
        if let Some(info) = t
            .app
            .service
            .store()
            .conversation_by_key("messenger", &key)
            .await
            .unwrap()
        {
            let events: Vec<Value> = t
                .app
                .service
                .store()
                .events_after(&info.id, after, 1000)
                .await
                .unwrap()
                .iter()
                .map(|e| serde_json::from_str(&e.to_json()).unwrap())
                .collect();
            if events.iter().any(&pred) {
                return events;
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no such event for {psid}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A member of staff signed in: the cookie and the CSRF token.
pub struct StaffSession {
    pub cookie: String,
    pub csrf: String,
}

pub async fn sign_in(t: &TestApp, login: &str) -> StaffSession {
    let r = t
        .call(
            Request::post("/staff/api/sign-in")
                .header("content-type", "application/json")
                .header("origin", "http://guichet.test")
                .body(Body::from(
                    json!({"login": login, "password": "correct horse battery"}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let set = r.headers["set-cookie"].to_str().unwrap().to_string();
    let cookie = set.split(';').next().unwrap().to_string();
    StaffSession {
        cookie,
        csrf: r.body["csrf"].as_str().unwrap().to_string(),
    }
}

impl StaffSession {
    pub async fn get(&self, t: &TestApp, uri: &str) -> crate::support::Reply {
        t.call(
            Request::get(uri)
                .header("cookie", &self.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, t: &TestApp, uri: &str, body: Value) -> crate::support::Reply {
        t.call(
            Request::post(uri)
                .header("cookie", &self.cookie)
                .header("content-type", "application/json")
                .header("origin", "http://guichet.test")
                .header("x-csrf-token", &self.csrf)
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    /// The open cases this member of staff sees.
    pub async fn queue(&self, t: &TestApp) -> Vec<Value> {
        let r = self.get(t, "/staff/api/queue").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.body["cases"].as_array().unwrap().clone()
    }
}

/// Waits until `psid`'s conversation holds `n` citizen inputs and the
/// last of them is answered (its turn ended, or staff hold it).
pub async fn wait_turns(t: &TestApp, psid: &str, n: usize) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let key = format!("{PAGE}:{psid}");
    loop {
        if let Some(info) = t
            .app
            .service
            .store()
            .conversation_by_key("messenger", &key)
            .await
            .unwrap()
        {
            let events: Vec<Value> = t
                .app
                .service
                .store()
                .events_after(&info.id, 0, 5000)
                .await
                .unwrap()
                .iter()
                .map(|e| serde_json::from_str(&e.to_json()).unwrap())
                .collect();
            let users = events.iter().filter(|e| e["type"] == "user").count();
            let settled = events
                .last()
                .is_some_and(|e| e["type"] == "turn_end" || info.mode == "staff");
            if users >= n && settled {
                return events;
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{psid}: {n} inputs were not answered in time"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
