//! Operations: `/healthz`, `/readyz`, Prometheus `/metrics`, request logs
//! (route templates and conversation ids, never what a citizen wrote),
//! per-address rate limits.

use super::app::App;
use super::error::ApiError;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

static PROMETHEUS: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's metrics recorder, installed once (tests build many apps).
pub fn prometheus() -> &'static PrometheusHandle {
    PROMETHEUS.get_or_init(|| {
        let latency = [
            0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
        ];
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &latency)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        match builder.install_recorder() {
            Ok(handle) => handle,
            // Another recorder is installed: keep a handle of our own.
            Err(_) => PrometheusBuilder::new().build_recorder().handle(),
        }
    })
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn readyz(State(app): State<Arc<App>>) -> Response {
    let started = Instant::now();
    let store = app.service.store().ping().await;
    metrics::histogram!("guichet_store_seconds", "op" => "ping")
        .record(started.elapsed().as_secs_f64());
    let bot = app.service.bots().get();
    match store {
        Ok(()) => (
            StatusCode::OK,
            format!(
                "ready: store {} reachable, bot \"{}\" loaded\n",
                app.service.store().backend(),
                bot.program().name
            ),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "readiness: the store is unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "not ready: the store is unreachable\n",
            )
                .into_response()
        }
    }
}

async fn metrics_text(State(app): State<Arc<App>>) -> Response {
    metrics::gauge!("guichet_live_conversations").set(app.service.hub().conversations() as f64);
    let mut r = prometheus().render().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r
}

/// A log filter that never lets the database drivers log below `info`,
/// whatever else it asks: below it they print statements with their
/// parameters (a session, a citizen's message).
pub fn private_log_filter(filter: tracing_subscriber::EnvFilter) -> tracing_subscriber::EnvFilter {
    [
        "tokio_postgres=info",
        "rusqlite=info",
        "deadpool_postgres=info",
    ]
    .iter()
    .filter_map(|d| d.parse().ok())
    .fold(filter, |f, d| f.add_directive(d))
}

/// The client's address: the connection's, or the first of
/// `X-Forwarded-For` when the server is told to trust its proxy.
pub fn client_address(app: &App, req: &Request) -> String {
    if app.config.trust_forwarded_for {
        if let Some(first) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
        {
            return first.trim().to_string();
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".into())
}

/// Refuses a client address over its rate, with `Retry-After`.
pub async fn per_ip_limit(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let who = client_address(&app, &req);
    if let Err(retry_after_secs) = app.per_ip.check(&who) {
        return ApiError::RateLimited { retry_after_secs }.into_response();
    }
    next.run(req).await
}

/// Answers `503 busy` (in the API's JSON) to a request that takes longer
/// than the limit. A turn cut short this way is either committed or not
/// at all; the client's retry with the same client id gets its answer.
pub async fn time_limit(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(app.config.limits.request_timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::Busy.into_response(),
    }
}

/// Logs each request: method, route template, conversation id, status,
/// time. Never the body or the query (a text, a token).
pub async fn log_requests(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let conversation = route
        .as_deref()
        .filter(|r| r.starts_with("/api/conversations/{id}"))
        .and_then(|_| req.uri().path().split('/').nth(3))
        .map(str::to_string);
    let response = next.run(req).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let route = route.as_deref().unwrap_or("unmatched");
    match conversation {
        Some(c) => tracing::info!(%method, route, conversation = %c, status, ms, "request"),
        None => tracing::info!(%method, route, status, ms, "request"),
    }
    response
}
