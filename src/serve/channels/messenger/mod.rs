//! The Messenger channel: Meta's webhook at `/webhooks/messenger`.
//!
//! - `GET`: the subscription check; `hub.verify_token` compared in
//!   constant time, `hub.challenge` echoed, else 403.
//! - `POST`: `X-Hub-Signature-256` (HMAC-SHA256 of the raw body with the
//!   app secret) is checked in constant time before anything is parsed; a
//!   bad or missing signature is 403 and changes nothing. The deliveries
//!   are written to the store (new `mid`s only) before the answer: 200
//!   means nothing is lost, a store failure is a 500 and Meta delivers
//!   again. They are then applied in a task; deliveries a process did not
//!   finish are taken again by the periodic pass.
//!
//! Replies go out through the outbox (`send.rs`).

pub mod config;
mod inbound;
pub mod render;
pub mod send;

pub use config::MessengerConfig;
pub use send::{Graph, MessengerPusher};

use crate::serve::app::App;
use crate::serve::conversation::ConversationService;
use crate::serve::error::ApiError;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

/// The webhook's path, to give Meta.
pub const WEBHOOK_PATH: &str = "/webhooks/messenger";

/// A webhook body, at most (Meta batches entries).
const BODY_LIMIT: usize = 1 << 20;

/// How long one process holds deliveries it is applying.
const LEASE: Duration = Duration::from_secs(60);

pub struct Messenger {
    service: Arc<ConversationService>,
    graph: Arc<Graph>,
}

impl Messenger {
    pub fn new(service: Arc<ConversationService>, graph: Arc<Graph>) -> Messenger {
        Messenger { service, graph }
    }

    pub fn config(&self) -> &MessengerConfig {
        self.graph.config()
    }

    pub fn graph(&self) -> &Arc<Graph> {
        &self.graph
    }

    pub(crate) fn service(&self) -> &Arc<ConversationService> {
        &self.service
    }

    /// Whether `header` (`sha256=HEX`) signs `body` with the app secret.
    pub fn signature_ok(&self, header: Option<&str>, body: &[u8]) -> bool {
        let Some(hex) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else {
            return false;
        };
        let Some(signature) = decode_hex(hex) else {
            return false;
        };
        let Ok(mut mac) =
            Hmac::<Sha256>::new_from_slice(self.config().app_secret.expose().as_bytes())
        else {
            return false;
        };
        mac.update(body);
        mac.verify_slice(&signature).is_ok()
    }

    /// Applies the deliveries with these mids (those no other process took).
    pub async fn process(&self, mids: Vec<String>) {
        let lease = self.service.clock().now_ms() + LEASE.as_millis() as i64;
        let taken = match self.service.store().take_messenger(&mids, lease).await {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(error = %e, "Messenger deliveries could not be taken; the periodic pass will");
                return;
            }
        };
        self.apply_all(taken).await;
    }

    async fn apply_all(&self, deliveries: Vec<crate::serve::store::MessengerDelivery>) {
        for d in deliveries {
            if inbound::apply(self, &d).await {
                if let Err(e) = self.service.store().messenger_done(&d.mid).await {
                    tracing::error!(error = %e, "a Messenger delivery could not be marked done");
                }
            }
        }
    }

    /// Deliveries received `stale` ago and never applied (a process
    /// stopped, the conversation was busy): applied now. Returns how many.
    pub async fn recover(&self, stale: Duration) -> usize {
        let now = self.service.clock().now_ms();
        let taken = match self
            .service
            .store()
            .take_stale_messenger(
                now - stale.as_millis() as i64,
                now,
                now + LEASE.as_millis() as i64,
                64,
            )
            .await
        {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(error = %e, "stale Messenger deliveries could not be read");
                return 0;
            }
        };
        let n = taken.len();
        self.apply_all(taken).await;
        n
    }
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Equal in time that does not depend on where they differ (nor, by
/// hashing first, on their lengths).
fn same_secret(a: &str, b: &str) -> bool {
    let (x, y) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    x.iter()
        .zip(y.iter())
        .fold(0u8, |acc, (p, q)| acc | (p ^ q))
        == 0
}

pub fn routes() -> Router<Arc<App>> {
    Router::new().route(
        WEBHOOK_PATH,
        get(verify)
            .post(receive)
            .layer(DefaultBodyLimit::max(BODY_LIMIT)),
    )
}

#[derive(Deserialize)]
struct Verify {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

async fn verify(State(app): State<Arc<App>>, Query(q): Query<Verify>) -> Response {
    let Some(m) = &app.messenger else {
        return ApiError::NotFound.into_response();
    };
    let ok = q.mode.as_deref() == Some("subscribe")
        && q.token
            .as_deref()
            .is_some_and(|t| same_secret(t, m.config().verify_token.expose()));
    match (ok, q.challenge) {
        (true, Some(challenge)) => {
            tracing::info!("the Messenger webhook was verified");
            (StatusCode::OK, challenge).into_response()
        }
        _ => (StatusCode::FORBIDDEN, "forbidden\n").into_response(),
    }
}

async fn receive(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(m) = app.messenger.clone() else {
        return ApiError::NotFound.into_response();
    };
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    if !m.signature_ok(signature, &body) {
        metrics::counter!("guichet_messenger_rejected_total").increment(1);
        tracing::warn!("a Messenger delivery without a valid signature was refused");
        return (StatusCode::FORBIDDEN, "forbidden\n").into_response();
    }
    let deliveries = match inbound::parse(&body) {
        Ok(d) => d,
        Err(e) => return ApiError::BadJson(e).into_response(),
    };
    if deliveries.is_empty() {
        return (StatusCode::OK, "EVENT_RECEIVED").into_response();
    }
    let now = m.service().clock().now_ms();
    let fresh = match m
        .service()
        .store()
        .receive_messenger(&deliveries, now)
        .await
    {
        Ok(f) => f,
        Err(e) => {
            tracing::error!(error = %e, "a Messenger delivery could not be stored; Meta will send it again");
            return ApiError::Internal(e.to_string()).into_response();
        }
    };
    let repeated = deliveries.len() - fresh.len();
    if repeated > 0 {
        metrics::counter!("guichet_messenger_duplicates_total").increment(repeated as u64);
    }
    if !fresh.is_empty() {
        tokio::spawn(async move { m.process(fresh).await });
    }
    (StatusCode::OK, "EVENT_RECEIVED").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_secrets() {
        assert_eq!(decode_hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(decode_hex("0g"), None);
        assert_eq!(decode_hex("abc"), None);
        assert!(same_secret("token", "token"));
        assert!(!same_secret("token", "token2"));
    }
}
