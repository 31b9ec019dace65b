//! How long a Messenger message takes to be answered through the outbox:
//! `guichet serve` (in-process, SQLite in a temporary folder, the real
//! clock, its background workers) receives signed webhook deliveries over
//! HTTP and answers through a local fake Graph API, which notes when each
//! reply arrives. For each message: the webhook's 200 (the delivery is
//! stored), and the first reply message at the fake Graph API (apply the
//! delivery, mark_seen and typing_on, the turn, its commit with the
//! outbox rows, the worker's claim and send). The web API's answer to the
//! same messages is measured beside it.
//!
//!     cargo run --release --example messenger_latency -- [MESSAGES] [CONCURRENT]
//!
//! `bench/messenger/run.sh` runs it and prints the table of BENCHMARKS.md.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use guichet::serve::channels::messenger::MessengerConfig;
use guichet::serve::clock::{OsRandom, SystemClock};
use guichet::serve::{App, Parts, ServeConfig};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Arrivals = Arc<Mutex<HashMap<String, Instant>>>;

async fn graph(State(seen): State<Arrivals>, Json(body): Json<Value>) -> Json<Value> {
    if body.get("message").is_some() {
        if let Some(psid) = body["recipient"]["id"].as_str() {
            seen.lock()
                .unwrap()
                .entry(psid.to_string())
                .or_insert_with(Instant::now);
        }
    }
    Json(json!({"message_id": "m"}))
}

fn sign(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(b"bench-secret").unwrap();
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn row(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "| {name} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
        ms.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        percentile(&ms, 0.99),
        ms.last().copied().unwrap_or(f64::NAN)
    );
}

const TEXTS: [&str; 4] = [
    "bonjour",
    "je voudrais une place en crèche",
    "quels sont les horaires du parc à conteneurs ?",
    "merci beaucoup",
];

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let messages: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(400);
    let concurrent: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(8);

    let seen: Arrivals = Arc::default();
    let fake = Router::new()
        .route("/v21.0/me/messages", post(graph))
        .with_state(seen.clone());
    let graph_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let graph_url = format!("http://{}", graph_listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(graph_listener, fake).await });

    let dir = std::env::temp_dir().join(format!("guichet-messenger-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let flows = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("flows");
    let mut config = ServeConfig::new(&flows);
    config.store = format!("sqlite://{}", dir.join("guichet.db").display());
    config.demo = true;
    config.reload_poll = Duration::ZERO;
    config.limits.per_ip_rate = 0.0;
    config.limits.per_conversation_rate = 0.0;
    let mut m = MessengerConfig::new("1", "verify", "bench-secret", "token");
    m.graph_url = graph_url;
    config.messenger = Some(m);
    let store = guichet::serve::store::open(&config.store).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = App::build(Parts {
        config,
        bot: guichet::Bot::from_path(&flows).unwrap(),
        store,
        clock: Arc::new(SystemClock),
        random: Arc::new(OsRandom),
        public_url: url.clone(),
    });
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(guichet::serve::serve(app, listener, async {
        let _ = stopped.await;
    }));
    let client = reqwest::Client::new();

    // Messenger: each simulated person sends one message and waits for
    // the reply; `concurrent` people at a time.
    let acks = Arc::new(Mutex::new(Vec::new()));
    let replies = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrent {
        let (client, url, seen, acks, replies) = (
            client.clone(),
            url.clone(),
            seen.clone(),
            acks.clone(),
            replies.clone(),
        );
        tasks.push(tokio::spawn(async move {
            for i in (worker..messages).step_by(concurrent) {
                let psid = format!("psid-{i}");
                let body =
                    json!({"object": "page", "entry": [{"id": "PAGE", "time": 1, "messaging": [
                    {"sender": {"id": psid}, "recipient": {"id": "PAGE"}, "timestamp": 1,
                     "message": {"mid": format!("m-{i}"), "text": TEXTS[i % TEXTS.len()]}}]}]})
                    .to_string();
                let t0 = Instant::now();
                let r = client
                    .post(format!("{url}/webhooks/messenger"))
                    .header("content-type", "application/json")
                    .header("x-hub-signature-256", sign(body.as_bytes()))
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                acks.lock()
                    .unwrap()
                    .push(t0.elapsed().as_secs_f64() * 1000.0);
                let deadline = Instant::now() + Duration::from_secs(30);
                loop {
                    if let Some(at) = seen.lock().unwrap().get(&psid) {
                        replies
                            .lock()
                            .unwrap()
                            .push(at.duration_since(t0).as_secs_f64() * 1000.0);
                        break;
                    }
                    assert!(Instant::now() < deadline, "no reply for {psid}");
                    tokio::time::sleep(Duration::from_micros(200)).await;
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let messenger_secs = started.elapsed().as_secs_f64();

    // The web API, the same messages: the answer holds the bot's reply.
    let web = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for worker in 0..concurrent {
        let (client, url, web) = (client.clone(), url.clone(), web.clone());
        tasks.push(tokio::spawn(async move {
            for i in (worker..messages).step_by(concurrent) {
                let c: Value = client
                    .post(format!("{url}/api/conversations"))
                    .json(&json!({"lang": "fr"}))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let t0 = Instant::now();
                let r = client
                    .post(format!(
                        "{url}/api/conversations/{}/inputs",
                        c["id"].as_str().unwrap()
                    ))
                    .bearer_auth(c["token"].as_str().unwrap())
                    .json(&json!({"client_id": "m1", "text": TEXTS[i % TEXTS.len()]}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                let _ = r.bytes().await;
                web.lock()
                    .unwrap()
                    .push(t0.elapsed().as_secs_f64() * 1000.0);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }

    println!(
        "{messages} messages, {concurrent} at a time; Messenger run {messenger_secs:.1} s ({:.0} messages/s)",
        messages as f64 / messenger_secs
    );
    println!("| path | n | p50 ms | p95 ms | p99 ms | max ms |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    row(
        "Messenger: webhook 200 (delivery stored)",
        acks.lock().unwrap().clone(),
    );
    row(
        "Messenger: first reply at the Graph API",
        replies.lock().unwrap().clone(),
    );
    row(
        "Web API: answer with the reply",
        web.lock().unwrap().clone(),
    );
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(5), server).await;
    let _ = std::fs::remove_dir_all(&dir);
}
