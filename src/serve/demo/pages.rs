//! The demo back office's pages and their small JSON API: the simulated
//! payment page (Pay / Refuse call back like a real provider) and the list
//! of requests, whose status staff may change.

use super::{epc, DemoBackOffice, DEMO_IBAN, STATUSES};
use crate::serve::actions::ActionResult;
use crate::serve::api::extract::JsonBody;
use crate::serve::app::App;
use crate::serve::assets;
use crate::serve::error::ApiError;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/demo/requests", get(requests_page))
        .route("/demo/pay/{id}", get(pay_page))
        .route("/demo/pay/{id}/qr.svg", get(qr))
        .route("/demo/api/requests", get(list_requests))
        .route("/demo/api/requests/{reference}", post(set_status))
        .route("/demo/api/payments/{id}", get(payment))
        .route("/demo/api/payments/{id}/{decision}", post(decide))
}

fn demo(app: &App) -> Result<&Arc<DemoBackOffice>, ApiError> {
    app.demo.as_ref().ok_or(ApiError::NotFound)
}

fn page(path: &str, headers: &HeaderMap) -> Response {
    assets::file(path, headers).unwrap_or_else(|| ApiError::NotFound.into_response())
}

async fn requests_page(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match demo(&app) {
        Ok(_) => page("backoffice/requests.html", &headers),
        Err(e) => e.into_response(),
    }
}

async fn pay_page(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    match demo(&app) {
        Ok(_) => page("backoffice/pay.html", &headers),
        Err(e) => e.into_response(),
    }
}

async fn list_requests(State(app): State<Arc<App>>) -> Result<Json<Value>, ApiError> {
    let d = demo(&app)?;
    let requests = d
        .store()
        .requests(200)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(json!({"requests": requests, "statuses": STATUSES})))
}

async fn set_status(
    State(app): State<Arc<App>>,
    Path(reference): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let d = demo(&app)?;
    let status = body
        .get("status")
        .and_then(Value::as_str)
        .filter(|s| STATUSES.contains(s))
        .ok_or_else(|| {
            ApiError::BadInput(format!("`status` must be one of {}", STATUSES.join(", ")))
        })?;
    let today = d.clock().local().format("%Y-%m-%d").to_string();
    let found = d
        .store()
        .set_request_status(&reference, status, &today, d.clock().now_ms())
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if !found {
        return Err(ApiError::NotFound);
    }
    Ok(Json(
        json!({"reference": reference, "status": status, "updated": today}),
    ))
}

async fn payment(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let d = demo(&app)?;
    let p = d
        .store()
        .payment(&id)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .ok_or(ApiError::NotFound)?;
    let bot = app.service.bots().get();
    Ok(Json(json!({
        "id": p.id,
        "reference": p.reference,
        "amount": p.amount,
        "amount_text": super::amount_text(&p.amount, &p.lang),
        "currency": p.currency,
        "communication": p.communication,
        "description": p.description,
        "lang": p.lang,
        "status": p.status,
        "beneficiary": bot.program().name,
        "iban": DEMO_IBAN,
        "qr": format!("/demo/pay/{}/qr.svg", p.id),
    })))
}

async fn qr(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let d = demo(&app)?;
    let p = d
        .store()
        .payment(&id)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .ok_or(ApiError::NotFound)?;
    let bot = app.service.bots().get();
    let svg = epc::svg(&epc::Transfer {
        beneficiary: &bot.program().name,
        iban: DEMO_IBAN,
        amount: &p.amount,
        communication: &p.communication,
    })
    .ok_or_else(|| ApiError::Internal("the QR code could not be drawn".into()))?;
    let mut r = (StatusCode::OK, svg).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(r)
}

/// Pay or Refuse: settles the payment, then posts its result to the
/// conversation through the same path as a provider's callback.
async fn decide(
    State(app): State<Arc<App>>,
    Path((id, decision)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let d = demo(&app)?;
    let status = match decision.as_str() {
        "pay" => "paid",
        "refuse" => "refused",
        _ => return Err(ApiError::NotFound),
    };
    let p = d
        .store()
        .payment(&id)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .ok_or(ApiError::NotFound)?;
    let settled = d
        .store()
        .settle_payment(&id, status, d.clock().now_ms())
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if !settled {
        return Ok(Json(
            json!({"id": id, "status": p.status, "changed": false}),
        ));
    }
    let token = p.callback_url.rsplit('/').next().unwrap_or("");
    let value = json!({
        "status": if status == "paid" { "paid" } else { "failed" },
        "payment_id": p.reference,
    });
    app.service
        .complete_action(token, ActionResult::ok(value))
        .await?;
    Ok(Json(json!({"id": id, "status": status, "changed": true})))
}
