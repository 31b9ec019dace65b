//! `GET /staff/api/stream`: the inbox, live, by Server-Sent Events. At
//! once and after every change, a `queue` event with the cases this member
//! of staff sees; for each conversation of those cases that moved, an
//! `activity` event (`{"case", "seq"}`) so that an open transcript reads
//! what is new. Changes made by other replicas arrive through the store's
//! announcements. The stream ends when the server shuts down.

use super::api::queue_json;
use super::auth::StaffUser;
use crate::serve::app::App;
use crate::serve::error::ApiError;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::Stream;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// Changes gathered before the queue is read again.
const SETTLE: Duration = Duration::from_millis(100);
/// The queue is sent again this often anyway (waiting times).
const REFRESH: Duration = Duration::from_secs(30);

pub async fn stream(State(app): State<Arc<App>>, user: StaffUser) -> Result<Response, ApiError> {
    let first = queue_json(&app, &user).await?;
    let local = app.service.signals().inbox.subscribe();
    let remote = app.service.store().remote_events();
    let events = live(app, user, first, local, remote);
    Ok(Sse::new(events)
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(15))
                .text("keep-alive"),
        )
        .into_response())
}

fn queue_event(queue: &Value) -> Event {
    Event::default().event("queue").data(queue.to_string())
}

/// The conversations of the queue's cases: conversation id → case id.
fn conversations(queue: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for list in ["cases", "closed"] {
        for c in queue[list].as_array().into_iter().flatten() {
            if let (Some(conv), Some(id)) = (c["conversation"].as_str(), c["id"].as_str()) {
                out.insert(conv.to_string(), id.to_string());
            }
        }
    }
    out
}

fn live(
    app: Arc<App>,
    user: StaffUser,
    first: Value,
    mut local: broadcast::Receiver<crate::serve::conversation::InboxSignal>,
    mut remote: Option<broadcast::Receiver<(String, i64)>>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    async_stream(move |tx| async move {
        let mut shutdown = app.shutdown_signal();
        let mut known = conversations(&first);
        if tx.send(queue_event(&first)).await.is_err() {
            return;
        }
        loop {
            // Wait for a change, then gather those that follow it closely.
            let mut moved: BTreeMap<String, i64> = BTreeMap::new();
            let mut refresh = false;
            tokio::select! {
                _ = shutdown.changed() => return,
                _ = tx.closed() => return,
                _ = tokio::time::sleep(REFRESH) => refresh = true,
                s = local.recv() => match s {
                    Ok(s) => { moved.insert(s.conversation_id, s.seq); }
                    Err(broadcast::error::RecvError::Lagged(_)) => refresh = true,
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                r = recv_remote(&mut remote) => match r {
                    Some((id, seq)) => { moved.insert(id, seq); }
                    None => refresh = true,
                },
            }
            let settle = tokio::time::sleep(SETTLE);
            tokio::pin!(settle);
            loop {
                tokio::select! {
                    _ = &mut settle => break,
                    s = local.recv() => if let Ok(s) = s { moved.insert(s.conversation_id, s.seq); },
                    r = recv_remote(&mut remote) => if let Some((id, seq)) = r { moved.insert(id, seq); },
                }
            }
            let queue = match queue_json(&app, &user).await {
                Ok(q) => q,
                Err(_) => continue,
            };
            let now_known = conversations(&queue);
            let relevant = refresh
                || moved
                    .keys()
                    .any(|c| known.contains_key(c) || now_known.contains_key(c));
            if !relevant {
                continue;
            }
            if tx.send(queue_event(&queue)).await.is_err() {
                return;
            }
            for (conversation, seq) in &moved {
                if let Some(case) = now_known.get(conversation).or(known.get(conversation)) {
                    let data = json!({"case": case, "seq": seq}).to_string();
                    if tx
                        .send(Event::default().event("activity").data(data))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            }
            known = now_known;
        }
    })
}

/// The next event another replica committed; `None` when there is no
/// announcement channel (then it never resolves) or when it lagged.
async fn recv_remote(
    remote: &mut Option<broadcast::Receiver<(String, i64)>>,
) -> Option<(String, i64)> {
    match remote {
        Some(r) => match r.recv().await {
            Ok(x) => Some(x),
            Err(broadcast::error::RecvError::Lagged(_)) => None,
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
        },
        None => std::future::pending().await,
    }
}

/// A stream fed by a task through a small channel: the task ends when the
/// client goes away (its sends fail).
fn async_stream<F, Fut>(f: F) -> impl Stream<Item = Result<Event, Infallible>>
where
    F: FnOnce(tokio::sync::mpsc::Sender<Event>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel::<Event>(16);
    tokio::spawn(f(tx));
    futures_util::stream::unfold(
        rx,
        |mut rx| async move { rx.recv().await.map(|e| (Ok(e), rx)) },
    )
}
