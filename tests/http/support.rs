//! The test harness: an application built in-process with a fixed clock,
//! seeded randomness and a fresh SQLite file, driven without a socket
//! (`oneshot`), or served on port 0 when a real client is needed.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use guichet::serve::clock::{FixedClock, SeededRandom};
use guichet::serve::store::Store;
use guichet::serve::{App, Parts, ServeConfig};
use guichet::Bot;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

/// Copies a folder and what it holds (a bot to edit in a test).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

pub fn flows_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("flows")
}

pub fn sample_bot() -> Bot {
    Bot::from_path(flows_dir()).expect("the sample bot loads")
}

/// Everything the test binary logs, from the first call on: one global
/// subscriber (a scoped one misses the log lines whose interest other
/// tests' threads already cached), at the most detailed level, with the
/// server's own cap on the database drivers.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).to_string()
    }
}

pub fn captured_logs() -> &'static Captured {
    static LOGS: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let captured = Captured::default();
        let sink = captured.clone();
        let filter =
            guichet::serve::ops::private_log_filter(tracing_subscriber::EnvFilter::new("trace"));
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(move || sink.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
        captured
    })
}

/// A folder removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "guichet-test-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn now() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 10)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

pub struct TestApp {
    pub app: Arc<App>,
    pub router: Router,
    pub clock: Arc<FixedClock>,
    pub dir: TempDir,
}

/// A reply: status, headers, body as JSON (or `Null`).
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
    pub fn events(&self) -> &Vec<Value> {
        self.body["events"]
            .as_array()
            .expect("an answer with events")
    }
    /// The texts of `say` events.
    pub fn says(&self) -> Vec<String> {
        self.events()
            .iter()
            .filter(|e| e["type"] == "say")
            .map(|e| e["text"].as_str().unwrap_or("").to_string())
            .collect()
    }
    pub fn last(&self) -> &Value {
        self.events().last().expect("at least one event")
    }
}

pub fn config(dir: &Path) -> ServeConfig {
    let mut c = ServeConfig::new(flows_dir());
    c.store = format!("sqlite://{}", dir.join("guichet.db").display());
    c.demo = true;
    c.reload_poll = std::time::Duration::ZERO;
    c.limits.per_ip_rate = 0.0;
    c.limits.per_conversation_rate = 0.0;
    c
}

impl TestApp {
    pub async fn new() -> TestApp {
        let dir = TempDir::new("app");
        let c = config(dir.path());
        TestApp::with_config(c, dir).await
    }

    pub async fn with_config(config: ServeConfig, dir: TempDir) -> TestApp {
        let store = guichet::serve::store::open(&config.store).await.unwrap();
        TestApp::with_store(config, dir, store).await
    }

    pub async fn with_store(config: ServeConfig, dir: TempDir, store: Arc<dyn Store>) -> TestApp {
        TestApp::with_store_seeded(config, dir, store, 42).await
    }

    /// With its own seed: two servers on one store make different ids.
    pub async fn with_store_seeded(
        config: ServeConfig,
        dir: TempDir,
        store: Arc<dyn Store>,
        seed: u64,
    ) -> TestApp {
        let clock = Arc::new(FixedClock::new(now()));
        let bot = Bot::from_path(&config.bot_dir).expect("the bot loads");
        let app = App::build(Parts {
            config,
            bot,
            store,
            clock: clock.clone(),
            random: Arc::new(SeededRandom::new(seed)),
            public_url: "http://guichet.test".into(),
        });
        let router = guichet::serve::router(app.clone());
        TestApp {
            app,
            router,
            clock,
            dir,
        }
    }

    pub async fn call(&self, req: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 10 << 20)
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    pub async fn get(&self, uri: &str, token: Option<&str>) -> Reply {
        let mut b = Request::get(uri);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        self.call(b.body(Body::empty()).unwrap()).await
    }

    pub async fn post(&self, uri: &str, token: Option<&str>, body: &Value) -> Reply {
        let mut b = Request::post(uri).header("content-type", "application/json");
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        self.call(b.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// A new conversation: (id, token).
    pub async fn create(&self, lang: Option<&str>) -> (String, String) {
        let body = match lang {
            Some(l) => json!({"lang": l}),
            None => json!({}),
        };
        let r = self.post("/api/conversations", None, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        (
            r.body["id"].as_str().unwrap().to_string(),
            r.body["token"].as_str().unwrap().to_string(),
        )
    }
}

/// A conversation driven through the API, with a fresh client id per input.
pub struct Chat<'a> {
    pub app: &'a TestApp,
    pub id: String,
    pub token: String,
    n: u32,
}

impl<'a> Chat<'a> {
    pub async fn open(app: &'a TestApp, lang: &str) -> Chat<'a> {
        let (id, token) = app.create(Some(lang)).await;
        let mut chat = Chat {
            app,
            id,
            token,
            n: 0,
        };
        let r = chat.send(json!({"event": "start"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        chat
    }

    /// The same conversation, through another server.
    pub fn join(app: &'a TestApp, id: &str, token: &str) -> Chat<'a> {
        Chat {
            app,
            id: id.to_string(),
            token: token.to_string(),
            n: 1000,
        }
    }

    pub async fn send(&mut self, mut input: Value) -> Reply {
        self.n += 1;
        if input.get("client_id").is_none() {
            input["client_id"] = json!(format!("m-{}", self.n));
        }
        self.app
            .post(
                &format!("/api/conversations/{}/inputs", self.id),
                Some(&self.token),
                &input,
            )
            .await
    }

    pub async fn say(&mut self, text: &str) -> Reply {
        let r = self.send(json!({"text": text})).await;
        assert_eq!(r.status, StatusCode::OK, "{text}: {}", r.text);
        r
    }

    pub async fn press(&mut self, payload: &str) -> Reply {
        let r = self.send(json!({"button": payload})).await;
        assert_eq!(r.status, StatusCode::OK, "{payload}: {}", r.text);
        r
    }

    pub async fn history(&self, after: i64) -> Reply {
        self.app
            .get(
                &format!("/api/conversations/{}/events?after={after}", self.id),
                Some(&self.token),
            )
            .await
    }
}

/// The app served on a free port of the loopback; stops on drop.
pub struct Served {
    pub url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Served {
    pub async fn start(app: Arc<App>) -> Served {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = guichet::serve::serve(app, listener, async {
                let _ = stopped.await;
            })
            .await;
        });
        Served {
            url,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops gracefully and waits for the server to finish.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(10), t).await;
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// Reads Server-Sent Events from a response: (id, data) pairs.
pub struct SseReader {
    response: reqwest::Response,
    buffer: String,
}

impl SseReader {
    pub fn new(response: reqwest::Response) -> SseReader {
        SseReader {
            response,
            buffer: String::new(),
        }
    }

    /// The next event (comments skipped), waiting at most 10 s; `None` when
    /// the stream ended.
    pub async fn next(&mut self) -> Option<(i64, Value)> {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut id = None;
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if let Some(id) = id {
                    return Some((id, serde_json::from_str(&data).expect("JSON data")));
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .expect("an event within 10 s")
                .ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next event's JSON whose type is `type_`, skipping others.
    pub async fn next_of(&mut self, type_: &str) -> Value {
        loop {
            let (_, e) = self.next().await.expect("the stream goes on");
            if e["type"] == type_ {
                return e;
            }
        }
    }
}
