//! `guichet serve`: the bot on the web. The chat API (docs/http-api.md),
//! the conversation store (SQLite or PostgreSQL), actions performed by
//! HTTP hooks or the demo back office, the widget's files, operations.
//!
//! `router(app)` builds the HTTP application, so tests drive it without a
//! socket; `run(config, listener, shutdown)` serves it until `shutdown`
//! completes, finishing the turns in flight.

pub mod actions;
pub mod api;
pub mod app;
pub mod assets;
pub mod channels;
pub mod clock;
pub mod config;
pub mod conversation;
pub mod demo;
pub mod error;
pub mod hub;
pub mod ops;
pub mod outbox;
pub mod ratelimit;
pub mod reload;
pub mod staff;
pub mod stats;
pub mod store;
pub mod studio;

pub use app::{App, Parts};
pub use config::ServeConfig;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware;
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The HTTP application.
pub fn router(app: Arc<App>) -> Router {
    let limits = app.config.limits.clone();
    let bounded = api::routes()
        .merge(demo::routes())
        .merge(staff::routes())
        .merge(stats::dashboard::routes())
        .merge(studio::routes(&app))
        .layer(middleware::from_fn_with_state(app.clone(), ops::time_limit));
    let api = bounded
        .merge(api::stream_routes())
        .merge(staff::stream_routes())
        .layer(middleware::from_fn_with_state(
            app.clone(),
            ops::per_ip_limit,
        ))
        .layer(cors(&app.config.allowed_origins));
    Router::new()
        .merge(api)
        .merge(channels::messenger::routes())
        .merge(ops::routes())
        .fallback(assets::fallback)
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(middleware::from_fn(ops::log_requests))
        .with_state(app)
}

fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("last-event-id"),
        ])
        .expose_headers([
            HeaderName::from_static("idempotent-replayed"),
            header::RETRY_AFTER,
        ])
        .max_age(Duration::from_secs(3600))
}

/// The jobs a server runs beside its requests: flows left idle are
/// recorded abandoned, idle conversations expire, what is older than the
/// retention period is purged,
/// actions owed since a crash are performed, idle live channels are swept,
/// other replicas' events are relayed, the bot is reloaded when its files
/// change. They stop with the returned handle.
pub fn start_background(app: &Arc<App>) -> Background {
    let mut tasks = Vec::new();
    let a = app.clone();
    tasks.push(tokio::spawn(async move {
        // The first pass at start: actions owed by a process that stopped.
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            let idle = chrono::Duration::from_std(a.config.idle_expiry)
                .unwrap_or(chrono::Duration::days(30));
            let before = (a.service.clock().now() - idle).timestamp_millis();
            // Flows left idle are recorded abandoned before their
            // conversations may expire.
            let idle = a.service.record_idle_flows().await;
            if idle > 0 {
                tracing::info!(
                    conversations = idle,
                    "flows left idle recorded as abandoned"
                );
            }
            match a.service.store().expire_idle(before).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(conversations = n, "idle conversations expired"),
                Err(e) => tracing::error!(error = %e, "expiry failed"),
            }
            if let Some(p) = a.service.purge_expired().await {
                if p.conversations > 0 || p.stats_rows > 0 {
                    tracing::info!(
                        conversations = p.conversations,
                        stats_rows = p.stats_rows,
                        "retention: older conversations purged, statistics rolled up"
                    );
                }
            }
            a.service.hub().sweep();
            // An action untouched for two minutes was asked for by a turn
            // whose process stopped before its hook answered.
            a.service
                .recover_owed_actions(Duration::from_secs(120))
                .await;
        }
    }));
    tasks.push(tokio::spawn(app.service.clone().relay_remote_events()));
    if !app.outbox.is_empty() {
        tasks.push(tokio::spawn(app.outbox.clone().run()));
    }
    tasks.push(tokio::spawn(handover_jobs(app.clone())));
    tasks.push(tokio::spawn(fold_counts(app.clone())));
    tasks.push(tokio::spawn(reload::watch(app.clone())));
    Background { tasks }
}

/// Every few seconds: cases nobody claimed in time, conversations the
/// Page's inbox stopped answering, Messenger deliveries a process left;
/// every minute, old sessions, deliveries and outbox rows are forgotten.
async fn handover_jobs(app: Arc<App>) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    let mut n: u64 = 0;
    loop {
        tick.tick().await;
        let echo_pause = app.messenger.as_ref().map(|m| m.config().echo_pause);
        app.service.handover_tick(echo_pause).await;
        if let Some(m) = &app.messenger {
            m.recover(Duration::from_secs(30)).await;
        }
        n += 1;
        if n.is_multiple_of(12) {
            let store = app.service.store();
            let now = app.service.clock().now_ms();
            let week = 7 * 24 * 3600 * 1000;
            let pruned = (
                store.prune_staff_sessions(now).await,
                store.prune_outbox(now - week).await,
                store.prune_messenger(now - week).await,
            );
            if let (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) = pruned {
                tracing::error!(error = %e, "old staff sessions, deliveries or outbox rows could not be removed");
            }
        }
    }
}

/// Every second: the statistics' records turns left pending are folded
/// into the records, figures and counts (and counts left pending, on
/// PostgreSQL, added to their rows). Whatever reads the statistics folds
/// first too: this keeps the pending lines few, and each fold short.
async fn fold_counts(app: Arc<App>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        // Ten thousand pending counts at most per statement; a backlog
        // takes a few.
        for _ in 0..100 {
            match app.service.store().fold_pending_counts().await {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "the statistics' pending records could not be folded");
                    break;
                }
            }
        }
    }
}

pub struct Background {
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Background {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes; then the event
/// streams end and the requests in flight finish.
pub async fn serve(
    app: Arc<App>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let _background = start_background(&app);
    let router = router(app.clone());
    let a = app.clone();
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        tracing::info!("shutting down: finishing the requests in flight");
        a.shut_down();
    })
    .await
}

/// Opens the store, builds the application and serves it: what
/// `guichet serve` does once it has read its settings and loaded the bot.
pub async fn run(
    config: ServeConfig,
    bot: crate::Bot,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), String> {
    let store = store::open(&config.store).await.map_err(|e| {
        format!(
            "the store {} could not be opened: {e}",
            redact(&config.store)
        )
    })?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    let app = App::build(Parts {
        config,
        bot,
        store,
        clock: Arc::new(clock::SystemClock),
        random: Arc::new(clock::OsRandom),
        public_url,
    });
    serve(app, listener, shutdown)
        .await
        .map_err(|e| e.to_string())
}

/// A store URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
