//! `POST /api/actions/{token}`: a back office's late result for an action
//! (a payment provider's webhook). The token is the action's secret.

use super::extract::JsonBody;
use crate::serve::actions::ActionResult;
use crate::serve::app::App;
use crate::serve::conversation::Completion;
use crate::serve::error::ApiError;
use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

/// Reads `{"ok": true, "value": {...}}` or `{"ok": false, "error": "..."}`.
pub fn parse_result(body: &Value) -> Result<ActionResult, ApiError> {
    let ok = body
        .get("ok")
        .and_then(Value::as_bool)
        .ok_or_else(|| ApiError::BadInput("a result has `ok`: true or false".into()))?;
    Ok(ActionResult {
        ok,
        value: body.get("value").cloned().filter(|v| !v.is_null()),
        error: body.get("error").map(|e| {
            e.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| e.to_string())
        }),
    })
}

pub async fn complete(
    State(app): State<Arc<App>>,
    Path(token): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let result = parse_result(&body)?;
    let status = match app.service.complete_action(&token, result).await? {
        Completion::Applied => "applied",
        Completion::AlreadyDone => "already_done",
    };
    Ok(Json(json!({ "status": status })))
}
