//! Staff sign-in and sessions. A session is a random token in a cookie
//! (`HttpOnly`, `SameSite=Strict`, `Secure` unless the server is told it
//! runs on `http://127.0.0.1` for development), kept hashed in the store
//! with its CSRF token. Every state-changing request carries that token in
//! `X-CSRF-Token`, and its `Origin`, when the browser sends one, must be
//! this server. Sign-in attempts are limited per account and per address.
//!
//! Extractors for handlers (the statistics pages use them too):
//! - `StaffUser`: a signed-in member of staff and the services they see;
//!   401 `not_signed_in` otherwise;
//! - `StaffAction`: the same, for a request that changes something: 403
//!   `bad_csrf` / `bad_origin` otherwise;
//! - `StaffPage`: for an HTML page: a redirect to the sign-in page otherwise.

use super::accounts;
use crate::serve::app::App;
use crate::serve::clock::random_text;
use crate::serve::conversation::{hash_token, StaffMember};
use crate::serve::error::ApiError;
use crate::serve::ops::client_address;
use crate::serve::store::StaffSession;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// The session cookie's name.
pub const COOKIE: &str = "guichet_staff";
/// The header that carries the session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Where pages send a visitor without a session.
pub const SIGN_IN_PAGE: &str = "/staff/login";

/// A signed-in member of staff.
#[derive(Debug, Clone)]
pub struct StaffUser {
    pub login: String,
    /// What citizens see.
    pub name: String,
    /// Service names, or `*`.
    pub services: Vec<String>,
    pub csrf: String,
    token_hash: Vec<u8>,
}

impl StaffUser {
    /// Whether this member of staff sees the service's cases.
    pub fn allows(&self, service: &str) -> bool {
        self.services.iter().any(|s| s == "*" || s == service)
    }

    pub fn member(&self) -> StaffMember {
        StaffMember {
            login: self.login.clone(),
            name: self.name.clone(),
        }
    }
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| !v.is_empty())
}

pub(crate) async fn signed_in(app: &App, headers: &HeaderMap) -> Result<StaffUser, ApiError> {
    let token = cookie_token(headers).ok_or(ApiError::NotSignedIn)?;
    let hash = hash_token(&token);
    let store = app.service.store();
    let now = app.service.clock().now_ms();
    let session = store
        .staff_session(&hash, now)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .ok_or(ApiError::NotSignedIn)?;
    let account = accounts::find(&app.config.staff.accounts, store.as_ref(), &session.login)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .ok_or(ApiError::NotSignedIn)?;
    Ok(StaffUser {
        login: account.login,
        name: account.name,
        services: account.services,
        csrf: session.csrf,
        token_hash: hash,
    })
}

impl FromRequestParts<Arc<App>> for StaffUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        signed_in(app, &parts.headers).await
    }
}

/// A signed-in member of staff whose request may change something.
pub struct StaffAction(pub StaffUser);

/// Whether the request's `Origin` (when there is one) is this server:
/// its `Host`, or the public address the settings give.
fn origin_ok(app: &App, headers: &HeaderMap, required: bool) -> bool {
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .or_else(|| headers.get(header::REFERER).and_then(|v| v.to_str().ok()));
    let Some(origin) = origin else {
        return !required;
    };
    let host_of = |url: &str| -> Option<String> {
        let rest = url.split_once("://")?.1;
        Some(rest.split('/').next()?.to_ascii_lowercase())
    };
    let Some(from) = host_of(origin) else {
        return false;
    };
    let own_host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    let public = host_of(&app.service.settings().public_url);
    own_host.as_deref() == Some(from.as_str()) || public.as_deref() == Some(from.as_str())
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl FromRequestParts<Arc<App>> for StaffAction {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        let user = signed_in(app, &parts.headers).await?;
        if !origin_ok(app, &parts.headers, false) {
            return Err(ApiError::Forbidden("bad_origin"));
        }
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !same(sent, &user.csrf) {
            return Err(ApiError::Forbidden("bad_csrf"));
        }
        Ok(StaffAction(user))
    }
}

/// A signed-in member of staff opening a page.
pub struct StaffPage(pub StaffUser);

impl FromRequestParts<Arc<App>> for StaffPage {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &Arc<App>,
    ) -> Result<Self, Self::Rejection> {
        match signed_in(app, &parts.headers).await {
            Ok(user) => Ok(StaffPage(user)),
            Err(ApiError::NotSignedIn) => Err(Redirect::to(SIGN_IN_PAGE).into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

fn session_cookie(app: &App, token: &str, max_age_secs: u64) -> HeaderValue {
    let secure = if app.config.staff.secure_cookie {
        "; Secure"
    } else {
        ""
    };
    let value = format!(
        "{COOKIE}={token}; Path=/staff; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}"
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[derive(Deserialize)]
pub struct SignIn {
    login: String,
    password: String,
}

/// What a signed-in page needs: who, which services, the CSRF token.
pub fn me_json(app: &App, user: &StaffUser) -> Value {
    let staff = &app.config.staff;
    let services: Vec<Value> = staff
        .service_names()
        .into_iter()
        .filter(|s| user.allows(s))
        .map(|s| json!({"name": s, "label": staff.service_label(&s)}))
        .collect();
    json!({
        "login": user.login,
        "name": user.name,
        "services": services,
        "csrf": user.csrf,
        "lang": app.service.staff_lang().to_string(),
    })
}

/// `POST /staff/api/sign-in` with `{"login", "password"}`.
pub async fn sign_in(State(app): State<Arc<App>>, req: Request) -> Result<Response, ApiError> {
    if !origin_ok(&app, req.headers(), true) {
        return Err(ApiError::Forbidden("bad_origin"));
    }
    let address = client_address(&app, &req);
    let body = axum::body::to_bytes(req.into_body(), 4096)
        .await
        .map_err(|_| ApiError::TooLarge)?;
    let form: SignIn =
        serde_json::from_slice(&body).map_err(|e| ApiError::BadJson(e.to_string()))?;
    let login = form.login.trim().to_ascii_lowercase();
    let limits = &app.staff;
    limits
        .per_address
        .check(&address)
        .and_then(|_| limits.per_account.check(&login))
        .map_err(|retry_after_secs| {
            tracing::warn!("staff sign-in attempts over the limit");
            ApiError::RateLimited { retry_after_secs }
        })?;
    let account = if accounts::valid_login(&login) {
        accounts::find(
            &app.config.staff.accounts,
            app.service.store().as_ref(),
            &login,
        )
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
    } else {
        None
    };
    let hash = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| accounts::decoy_hash().to_string());
    let password = form.password;
    let matches = tokio::task::spawn_blocking(move || accounts::verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let Some(account) = account.filter(|_| matches) else {
        metrics::counter!("guichet_staff_sign_ins_total", "outcome" => "refused").increment(1);
        return Err(ApiError::BadCredentials);
    };
    let random = app.service.random();
    let token = random_text(random.as_ref(), 24);
    let csrf = random_text(random.as_ref(), 24);
    let ttl = app.config.staff.session_ttl;
    let now = app.service.clock().now_ms();
    app.service
        .store()
        .create_staff_session(
            &hash_token(&token),
            &StaffSession {
                login: account.login.clone(),
                csrf: csrf.clone(),
                expires_ms: now + ttl.as_millis() as i64,
            },
            now,
        )
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    metrics::counter!("guichet_staff_sign_ins_total", "outcome" => "signed_in").increment(1);
    let user = StaffUser {
        login: account.login,
        name: account.name,
        services: account.services,
        csrf,
        token_hash: Vec::new(),
    };
    let mut response = Json(me_json(&app, &user)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&app, &token, ttl.as_secs()),
    );
    Ok(response)
}

/// `POST /staff/api/sign-out`.
pub async fn sign_out(
    State(app): State<Arc<App>>,
    StaffAction(user): StaffAction,
) -> Result<Response, ApiError> {
    app.service
        .store()
        .delete_staff_session(&user.token_hash)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut response = (StatusCode::OK, Json(json!({"signed_out": true}))).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&app, "", 0));
    Ok(response)
}

/// `GET /staff/api/me`.
pub async fn me(State(app): State<Arc<App>>, user: StaffUser) -> Json<Value> {
    Json(me_json(&app, &user))
}
