//! The managers' dashboard at `/staff/stats`, beside the staff inbox and
//! behind the same sign-in: the figures of a period as JSON (the page
//! fetches them again every few seconds), each chart as SVG, the figures
//! as CSV, the messages not understood grouped with what to add to the
//! bot; and, for staff who see every service, a citizen's data exported
//! or erased.
//!
//! Values that find a citizen travel in POST bodies, never in addresses
//! (which browsers and proxies keep).

use super::{learn, query, svg, to_csv};
use crate::serve::api::extract::JsonBody;
use crate::serve::app::App;
use crate::serve::assets;
use crate::serve::error::ApiError;
use crate::serve::staff::{StaffAction, StaffPage, StaffUser};
use crate::serve::store::{Selector, StoreError};
use crate::values::Lang;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// The most messages not understood the dashboard groups.
const UNMATCHED_READ: usize = 1000;

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/staff/stats", get(page))
        .route("/staff/stats/", get(page))
        .route("/staff/stats/{file}", get(file))
        .route("/staff/api/stats", get(figures))
        .route("/staff/api/stats.csv", get(csv))
        .route("/staff/api/stats/charts/{name}", get(chart))
        .route("/staff/api/privacy/find", post(find))
        .route("/staff/api/privacy/export", post(export))
        .route("/staff/api/privacy/erase", post(erase))
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn internal(e: StoreError) -> ApiError {
    ApiError::Internal(e.to_string())
}

async fn page(_: StaffPage, req: Request) -> Response {
    match assets::file("stats/index.html", req.headers()) {
        Some(r) => no_store(r),
        None => ApiError::NotFound.into_response(),
    }
}

/// The page's script and style, for signed-in staff.
async fn file(_: StaffUser, Path(name): Path<String>, req: Request) -> Response {
    if !matches!(name.as_str(), "stats.js" | "stats.css") {
        return ApiError::NotFound.into_response();
    }
    match assets::file(&format!("stats/{name}"), req.headers()) {
        Some(r) => r,
        None => ApiError::NotFound.into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct Period {
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
    channel: Option<String>,
}

fn period(app: &App, p: &Period) -> Result<crate::serve::store::StatsQuery, ApiError> {
    query(
        p.from.as_deref(),
        p.to.as_deref(),
        p.lang.as_deref(),
        p.channel.as_deref(),
        app.service.clock().local().date(),
    )
    .map_err(ApiError::BadInput)
}

/// The staff's language, and the bot's flows labelled in it.
fn labels(app: &App, ui: Option<&str>) -> (Lang, svg::Labels) {
    let bot = app.service.bots().get();
    let lang = ui
        .and_then(|l| l.parse::<Lang>().ok())
        .unwrap_or_else(|| app.service.staff_lang());
    let confirmation = match lang {
        Lang::Fr => "confirmation",
        Lang::Nl => "bevestiging",
        Lang::En => "confirmation",
    };
    let mut labels = svg::Labels::new();
    for f in &bot.program().flows {
        labels.insert(f.name.clone(), f.label(lang));
        // A form's steps: `flow/slot`, by the slot's label.
        for slot in f.forms.iter().flat_map(|form| &form.slots) {
            let label = slot
                .labels
                .iter()
                .find(|(l, _)| *l == lang)
                .or(slot.labels.first())
                .and_then(|(_, words)| words.first().cloned())
                .unwrap_or_else(|| slot.name.replace('_', " "));
            labels.insert(format!("{}/{}", f.name, slot.name), label);
        }
        labels.insert(
            format!("{}/{}", f.name, crate::runtime::records::CONFIRMATION),
            confirmation.to_string(),
        );
    }
    (lang, labels)
}

/// Staff who see every service may export and erase a citizen's data.
fn sees_everything(user: &StaffUser) -> bool {
    user.services.iter().any(|s| s == "*")
}

/// `GET /staff/api/stats?from&to&lang&channel`: every figure, and the
/// messages not understood grouped.
async fn figures(
    State(app): State<Arc<App>>,
    user: StaffUser,
    Query(p): Query<Period>,
) -> Result<Response, ApiError> {
    let q = period(&app, &p)?;
    let store = app.service.store();
    let report = store.stats_report(&q).await.map_err(internal)?;
    let rows = store
        .unmatched_messages(&q, UNMATCHED_READ)
        .await
        .map_err(internal)?;
    let bot = app.service.bots().get();
    let groups = learn::group(&rows, Some(&bot));
    let mut channels = vec!["web"];
    if app.config.messenger.is_some() {
        channels.push("messenger");
    }
    let languages: Vec<String> = bot.languages().iter().map(Lang::to_string).collect();
    let (_, labels) = labels(&app, None);
    let body = json!({
        "report": report,
        "labels": labels,
        "unmatched": groups,
        "charts": svg::CHARTS,
        "languages": languages,
        "channels": channels,
        "updated_ms": app.service.clock().now_ms(),
        "privacy": sees_everything(&user),
    });
    Ok(no_store(Json(body).into_response()))
}

/// `GET /staff/api/stats.csv?...`: the figures as CSV, to download.
async fn csv(
    State(app): State<Arc<App>>,
    _: StaffUser,
    Query(p): Query<Period>,
) -> Result<Response, ApiError> {
    let q = period(&app, &p)?;
    let report = app
        .service
        .store()
        .stats_report(&q)
        .await
        .map_err(internal)?;
    let mut r = to_csv(&report).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"guichet-stats-{}-{}.csv\"",
        q.from, q.to
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(no_store(r))
}

#[derive(Deserialize, Default)]
pub struct ChartQuery {
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
    channel: Option<String>,
    /// The language of the chart's words (fr, nl, en).
    ui: Option<String>,
}

/// `GET /staff/api/stats/charts/NAME.svg?...`: one chart.
async fn chart(
    State(app): State<Arc<App>>,
    _: StaffUser,
    Path(name): Path<String>,
    Query(c): Query<ChartQuery>,
) -> Result<Response, ApiError> {
    let name = name.strip_suffix(".svg").unwrap_or(&name);
    if !svg::CHARTS.contains(&name) {
        return Err(ApiError::NotFound);
    }
    let q = period(
        &app,
        &Period {
            from: c.from,
            to: c.to,
            lang: c.lang,
            channel: c.channel,
        },
    )?;
    let report = app
        .service
        .store()
        .stats_report(&q)
        .await
        .map_err(internal)?;
    let (ui, labels) = labels(&app, c.ui.as_deref());
    let drawing = svg::chart(&report, name, ui, &labels).ok_or(ApiError::NotFound)?;
    let mut r = drawing.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml; charset=utf-8"),
    );
    Ok(no_store(r))
}

/// Whose data, in a POST body: exactly one of the three.
#[derive(Deserialize)]
pub struct Whose {
    conversation: Option<String>,
    psid: Option<String>,
    value: Option<String>,
}

fn selector(app: &App, body: Value) -> Result<Selector, ApiError> {
    let w: Whose = serde_json::from_value(body).map_err(|_| {
        ApiError::BadInput("the body is `{\"value\": \"...\"}` or `conversation`, `psid`".into())
    })?;
    let clean = |s: Option<String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    match (clean(w.conversation), clean(w.psid), clean(w.value)) {
        (Some(c), None, None) => Ok(Selector::Conversation(c)),
        (None, Some(p), None) => Ok(Selector::Psid(p)),
        (None, None, Some(v)) if v.chars().count() >= 3 => Ok(Selector::Value(
            crate::privacy::value_variants(&v, app.service.clock().local()),
        )),
        (None, None, Some(_)) => Err(ApiError::BadInput(
            "a value needs at least 3 characters".into(),
        )),
        _ => Err(ApiError::BadInput(
            "give exactly one of `conversation`, `psid` or `value`".into(),
        )),
    }
}

fn allowed(user: &StaffUser) -> Result<(), ApiError> {
    if sees_everything(user) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("not_allowed"))
    }
}

/// `POST /staff/api/privacy/find`: the conversations a selector names.
async fn find(
    State(app): State<Arc<App>>,
    StaffAction(user): StaffAction,
    JsonBody(w): JsonBody,
) -> Result<Json<Value>, ApiError> {
    allowed(&user)?;
    let s = selector(&app, w)?;
    let ids = app
        .service
        .store()
        .find_conversations(&s)
        .await
        .map_err(internal)?;
    Ok(Json(json!({ "conversations": ids })))
}

/// `POST /staff/api/privacy/export`: everything held, as JSON.
async fn export(
    State(app): State<Arc<App>>,
    StaffAction(user): StaffAction,
    JsonBody(w): JsonBody,
) -> Result<Response, ApiError> {
    allowed(&user)?;
    let s = selector(&app, w)?;
    let store = app.service.store();
    let ids = store.find_conversations(&s).await.map_err(internal)?;
    let held = store.export_conversations(&ids).await.map_err(internal)?;
    tracing::info!(by = %user.login, conversations = ids.len(), "a citizen's data was exported");
    let mut r = Json(held).into_response();
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"guichet-export.json\""),
    );
    Ok(no_store(r))
}

/// `POST /staff/api/privacy/erase`: deletes a citizen's conversations and
/// everything derived from them.
async fn erase(
    State(app): State<Arc<App>>,
    StaffAction(user): StaffAction,
    JsonBody(w): JsonBody,
) -> Result<Json<Value>, ApiError> {
    allowed(&user)?;
    let s = selector(&app, w)?;
    let store = app.service.store();
    let ids = store.find_conversations(&s).await.map_err(internal)?;
    let erased = store.erase_conversations(&ids).await.map_err(internal)?;
    tracing::info!(by = %user.login, conversations = ids.len(), "a citizen's data was erased");
    Ok(Json(json!({
        "conversations": ids.len(),
        "rows": erased,
    })))
}
