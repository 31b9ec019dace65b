//! The inbox's API, under `/staff/api`: the queue, a case with its
//! transcript, and what staff do (claim, answer, hand back, close). A case
//! of a service the member of staff does not see is answered as unknown.

use super::auth::{StaffAction, StaffUser};
use crate::serve::api::parse_after;
use crate::serve::app::App;
use crate::serve::error::ApiError;
use crate::serve::store::{Case, CaseState, OutboxState};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Closed cases shown beside the queue: those of the last hours.
const RECENT_MS: i64 = 8 * 3600 * 1000;

pub fn case_json(app: &App, case: &Case, user: &StaffUser) -> Value {
    let now = app.service.clock().now_ms();
    let summary: Value = serde_json::from_str(&case.summary).unwrap_or(Value::Null);
    let staff = &app.config.staff;
    json!({
        "id": case.id,
        "conversation": case.conversation_id,
        "state": case.state.as_str(),
        "service": case.service,
        "service_label": staff.service_label(&case.service),
        "reason": case.reason,
        "flow": case.flow,
        "lang": case.lang,
        "channel": case.channel,
        "created_ms": case.created_ms,
        "waiting_ms": match case.claimed_ms.or(case.closed_ms) {
            Some(at) => at - case.created_ms,
            None => now - case.created_ms,
        },
        "claimed_by": case.staff_name.as_ref().map(|n| json!({
            "name": n,
            "mine": case.staff_login.as_deref() == Some(user.login.as_str()),
        })),
        "mine": case.state == CaseState::Claimed && case.staff_login.as_deref() == Some(user.login.as_str()),
        "filed": case.filed_ms.is_some(),
        "outcome": case.outcome,
        "summary": summary,
    })
}

/// The open cases and the recently closed ones this member of staff sees.
pub async fn queue_json(app: &App, user: &StaffUser) -> Result<Value, ApiError> {
    let store = app.service.store();
    let open = store.open_cases(500).await.map_err(internal)?;
    let since = app.service.clock().now_ms() - RECENT_MS;
    let closed = store.closed_cases(since, 50).await.map_err(internal)?;
    let visible = |cases: Vec<Case>| -> Vec<Value> {
        cases
            .iter()
            .filter(|c| user.allows(&c.service))
            .map(|c| case_json(app, c, user))
            .collect()
    };
    Ok(json!({
        "now_ms": app.service.clock().now_ms(),
        "cases": visible(open),
        "closed": visible(closed),
    }))
}

fn internal(e: crate::serve::store::StoreError) -> ApiError {
    ApiError::Internal(e.to_string())
}

/// `GET /staff/api/queue`
pub async fn queue(State(app): State<Arc<App>>, user: StaffUser) -> Result<Json<Value>, ApiError> {
    Ok(Json(queue_json(&app, &user).await?))
}

async fn visible_case(app: &App, user: &StaffUser, id: &str) -> Result<Case, ApiError> {
    match app.service.store().case(id).await.map_err(internal)? {
        Some(c) if user.allows(&c.service) => Ok(c),
        _ => Err(ApiError::UnknownCase),
    }
}

#[derive(Deserialize)]
pub struct After {
    after: Option<String>,
}

/// `GET /staff/api/cases/{id}?after=SEQ`: the case and its conversation's
/// events (all, or those after `SEQ`), with the delivery state of messages
/// pushed to Messenger.
pub async fn case(
    State(app): State<Arc<App>>,
    user: StaffUser,
    Path(id): Path<String>,
    Query(q): Query<After>,
) -> Result<Json<Value>, ApiError> {
    let case = visible_case(&app, &user, &id).await?;
    let after = parse_after(q.after.as_deref())?;
    let store = app.service.store();
    let events = store
        .events_after(&case.conversation_id, after, 2000)
        .await
        .map_err(internal)?;
    let mut deliveries: HashMap<i64, Value> = HashMap::new();
    if case.channel != "web" {
        for row in store
            .outbox_of(&case.conversation_id, &case.channel)
            .await
            .map_err(internal)?
        {
            if let Some(seq) = row.seq.filter(|s| *s > after) {
                let state = match row.state {
                    OutboxState::Sent => "sent",
                    OutboxState::Failed => "failed",
                    _ => "pending",
                };
                deliveries.insert(seq, json!({"state": state, "error": row.error}));
            }
        }
    }
    let events: Vec<Value> = events
        .iter()
        .map(|e| {
            let mut v: Value = serde_json::from_str(&e.to_json()).unwrap_or(Value::Null);
            if let Some(d) = deliveries.remove(&e.seq) {
                v["delivery"] = d;
            }
            v
        })
        .collect();
    Ok(Json(json!({
        "case": case_json(&app, &case, &user),
        "events": events,
    })))
}

/// `POST /staff/api/cases/{id}/claim`: 409 `case_taken` for the second.
pub async fn claim(
    State(app): State<Arc<App>>,
    StaffAction(user): StaffAction,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    visible_case(&app, &user, &id).await?;
    let case = app.service.claim(&id, &user.member()).await?;
    Ok(Json(json!({"case": case_json(&app, &case, &user)})))
}

#[derive(Deserialize)]
pub struct Message {
    text: String,
}

/// `POST /staff/api/cases/{id}/messages` with `{"text": ...}`.
pub async fn message(
    State(app): State<Arc<App>>,
    StaffAction(user): StaffAction,
    Path(id): Path<String>,
    crate::serve::api::extract::JsonBody(body): crate::serve::api::extract::JsonBody,
) -> Result<Json<Value>, ApiError> {
    let m: Message =
        serde_json::from_value(body).map_err(|_| ApiError::BadInput("`text` is missing".into()))?;
    visible_case(&app, &user, &id).await?;
    let event = app
        .service
        .staff_reply(&id, &user.member(), &m.text)
        .await?;
    let event: Value = serde_json::from_str(&event.to_json()).unwrap_or(Value::Null);
    Ok(Json(json!({"event": event})))
}

/// `POST /staff/api/cases/{id}/hand-back`
pub async fn hand_back(
    State(app): State<Arc<App>>,
    StaffAction(user): StaffAction,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    visible_case(&app, &user, &id).await?;
    let case = app.service.hand_back(&id, &user.member()).await?;
    Ok(Json(json!({"case": case_json(&app, &case, &user)})))
}

/// `POST /staff/api/cases/{id}/close`
pub async fn close(
    State(app): State<Arc<App>>,
    StaffAction(user): StaffAction,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    visible_case(&app, &user, &id).await?;
    let case = app.service.close_case(&id, &user.member()).await?;
    Ok(Json(json!({"case": case_json(&app, &case, &user)})))
}
