//! The staff inbox at `/staff`: members of staff sign in, see the
//! hand-overs of their services live, claim one, answer the citizen in the
//! same conversation (widget or Messenger), hand it back to the bot or
//! close it. No page or API answers without a signed-in session: the API
//! says 401, pages send to the sign-in page. A citizen's conversation
//! token opens nothing here.

pub mod accounts;
pub mod api;
pub mod auth;
pub mod config;
pub mod hours;
pub mod stream;
pub mod summary;
pub mod ticketing;

pub use auth::{StaffAction, StaffPage, StaffUser};
pub use config::StaffConfig;

use crate::serve::app::App;
use crate::serve::assets;
use crate::serve::error::ApiError;
use crate::serve::ratelimit::RateLimiter;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

/// Sign-in attempts, per account and per client address.
pub struct SignInLimits {
    pub per_account: RateLimiter,
    pub per_address: RateLimiter,
}

impl SignInLimits {
    pub fn new(c: &StaffConfig) -> SignInLimits {
        let window = c.sign_in_window.as_secs_f64().max(1.0);
        let per = |n: u32| RateLimiter::new(f64::from(n) / window, f64::from(n));
        SignInLimits {
            per_account: per(c.sign_in_attempts_per_account),
            per_address: per(c.sign_in_attempts_per_address),
        }
    }
}

pub fn routes() -> Router<Arc<App>> {
    let api = Router::new()
        .route("/sign-in", post(auth::sign_in))
        .route("/sign-out", post(auth::sign_out))
        .route("/me", get(auth::me))
        .route("/queue", get(api::queue))
        .route("/cases/{id}", get(api::case))
        .route("/cases/{id}/claim", post(api::claim))
        .route("/cases/{id}/messages", post(api::message))
        .route("/cases/{id}/hand-back", post(api::hand_back))
        .route("/cases/{id}/close", post(api::close));
    Router::new()
        .nest("/staff/api", api)
        .route("/staff", get(inbox_page))
        .route("/staff/", get(inbox_page))
        .route("/staff/login", get(sign_in_page))
        .route("/staff/{file}", get(staff_file))
}

/// Routes that stay open (the live stream): no request time limit.
pub fn stream_routes() -> Router<Arc<App>> {
    Router::new().route("/staff/api/stream", get(stream::stream))
}

fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn inbox_page(_: StaffPage, req: Request) -> Response {
    match assets::file("staff/index.html", req.headers()) {
        Some(r) => no_store(r),
        None => ApiError::NotFound.into_response(),
    }
}

async fn sign_in_page(req: Request) -> Response {
    match assets::file("staff/login.html", req.headers()) {
        Some(r) => r,
        None => ApiError::NotFound.into_response(),
    }
}

/// The sign-in page's own files are open; the inbox's need a session.
async fn staff_file(
    State(app): State<Arc<App>>,
    Path(file): Path<String>,
    req: Request,
) -> Response {
    let user = auth::signed_in(&app, req.headers()).await.ok();
    let open = matches!(file.as_str(), "login.js" | "staff.css");
    let inbox = matches!(file.as_str(), "inbox.js");
    if file == "index.html" {
        return Redirect::to("/staff/").into_response();
    }
    if !(open || inbox && user.is_some()) {
        return if inbox {
            ApiError::NotSignedIn.into_response()
        } else {
            ApiError::NotFound.into_response()
        };
    }
    match assets::file(&format!("staff/{file}"), req.headers()) {
        Some(r) if inbox => no_store(r),
        Some(r) => r,
        None => ApiError::NotFound.into_response(),
    }
}
