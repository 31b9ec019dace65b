//! Live events by Server-Sent Events. The stream subscribes to the live
//! channel first, then replays from the store what the client missed
//! (`Last-Event-ID` or `?after=`), and drops what it already sent by seq.
//! It ends when the server shuts down.

use super::conversations::{parse_after, HISTORY_PAGE};
use super::extract::bearer_of;
use crate::serve::app::App;
use crate::serve::conversation::ConversationService;
use crate::serve::error::ApiError;
use crate::serve::store::StoredEvent;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

#[derive(Deserialize)]
pub struct StreamQuery {
    after: Option<String>,
    token: Option<String>,
}

/// The request's parts that matter here.
pub struct StreamAuth {
    token: Option<String>,
    last_event_id: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for StreamAuth {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(StreamAuth {
            token: bearer_of(parts),
            last_event_id: parts
                .headers
                .get("last-event-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        })
    }
}

pub async fn stream(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Query(q): Query<StreamQuery>,
    auth: StreamAuth,
) -> Result<Response, ApiError> {
    let token = auth.token.or(q.token).ok_or(ApiError::MissingToken)?;
    app.service.authorize(&id, &token).await?;
    let after = match auth.last_event_id.as_deref() {
        Some(s) if !s.trim().is_empty() => parse_after(Some(s.trim()))?,
        _ => parse_after(q.after.as_deref())?,
    };
    // Subscribe first: nothing committed after the replay's read is missed.
    let live = app.service.subscribe(&id);
    let state = Live {
        service: app.service.clone(),
        id,
        last: after,
        queue: VecDeque::new(),
        needs_read: true,
        live,
        shutdown: app.shutdown_signal(),
        _gauge: StreamGauge::open(),
    };
    let events = futures_util::stream::unfold(state, next_event);
    Ok(Sse::new(events)
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(15))
                .text("keep-alive"),
        )
        .into_response())
}

/// Counts open streams for `/metrics`.
struct StreamGauge;

impl StreamGauge {
    fn open() -> StreamGauge {
        metrics::gauge!("guichet_sse_streams").increment(1.0);
        StreamGauge
    }
}

impl Drop for StreamGauge {
    fn drop(&mut self) {
        metrics::gauge!("guichet_sse_streams").decrement(1.0);
    }
}

struct Live {
    service: Arc<ConversationService>,
    id: String,
    /// The last seq sent.
    last: i64,
    queue: VecDeque<StoredEvent>,
    needs_read: bool,
    live: broadcast::Receiver<StoredEvent>,
    shutdown: watch::Receiver<bool>,
    _gauge: StreamGauge,
}

fn sse_event(e: &StoredEvent) -> Event {
    Event::default()
        .id(e.seq.to_string())
        .event("message")
        .data(e.to_json())
}

async fn next_event(mut s: Live) -> Option<(Result<Event, Infallible>, Live)> {
    loop {
        if *s.shutdown.borrow() {
            return None;
        }
        if let Some(e) = s.queue.pop_front() {
            if e.seq > s.last {
                s.last = e.seq;
                let event = sse_event(&e);
                return Some((Ok(event), s));
            }
            continue;
        }
        if s.needs_read {
            match s.service.history(&s.id, s.last, HISTORY_PAGE).await {
                Ok(events) => {
                    s.needs_read = events.len() == HISTORY_PAGE;
                    s.queue.extend(events);
                    continue;
                }
                Err(_) => return None,
            }
        }
        tokio::select! {
            _ = s.shutdown.changed() => return None,
            received = s.live.recv() => match received {
                // A marker (an event another replica committed) or a gap:
                // read the store.
                Ok(e) if e.body.is_empty() || e.seq > s.last + 1 => {
                    if e.seq > s.last {
                        s.needs_read = true;
                    }
                }
                Ok(e) => s.queue.push_back(e),
                Err(broadcast::error::RecvError::Lagged(_)) => s.needs_read = true,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}
