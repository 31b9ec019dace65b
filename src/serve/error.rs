//! The API's one error type: a stable code, an HTTP status, a JSON body.
//! Internal faults are logged, never shown.

use super::conversation::ServiceError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub enum ApiError {
    BadJson(String),
    BadInput(String),
    MissingToken,
    UnknownConversation,
    UnknownAction,
    NotFound,
    TooLarge,
    UnsupportedMediaType,
    TextTooLong {
        chars: usize,
        limit: usize,
    },
    ButtonNotOffered,
    RateLimited {
        retry_after_secs: u64,
    },
    Busy,
    /// A staff page or API without a signed-in session.
    NotSignedIn,
    /// A staff sign-in with a wrong login or password.
    BadCredentials,
    /// Refused whoever asks: a stable code (`bad_csrf`, `bad_origin`).
    Forbidden(&'static str),
    UnknownCase,
    /// The case is not in a state that allows this: a stable code
    /// (`case_taken`, `not_your_case`, `outside_messaging_window`...).
    Conflict(&'static str),
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadJson(_) | ApiError::BadInput(_) => StatusCode::BAD_REQUEST,
            ApiError::MissingToken | ApiError::NotSignedIn | ApiError::BadCredentials => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::UnknownConversation
            | ApiError::UnknownAction
            | ApiError::UnknownCase
            | ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TextTooLong { .. } | ApiError::ButtonNotOffered => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadJson(_) => "bad_json",
            ApiError::BadInput(_) => "bad_input",
            ApiError::MissingToken => "missing_token",
            ApiError::UnknownConversation => "unknown_conversation",
            ApiError::UnknownAction => "unknown_action",
            ApiError::NotFound => "not_found",
            ApiError::TooLarge => "too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::TextTooLong { .. } => "text_too_long",
            ApiError::ButtonNotOffered => "button_not_offered",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Busy => "busy",
            ApiError::NotSignedIn => "not_signed_in",
            ApiError::BadCredentials => "bad_credentials",
            ApiError::Forbidden(code) | ApiError::Conflict(code) => code,
            ApiError::UnknownCase => "unknown_case",
            ApiError::Internal(_) => "internal",
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::BadJson(m) => format!("the body is not valid JSON: {m}"),
            ApiError::BadInput(m) => m.clone(),
            ApiError::MissingToken => {
                "the conversation's token is missing: send `Authorization: Bearer TOKEN`".into()
            }
            ApiError::UnknownConversation => "no conversation has this id".into(),
            ApiError::UnknownAction => "no action waits for this token".into(),
            ApiError::NotFound => "nothing here".into(),
            ApiError::TooLarge => "the body is too large".into(),
            ApiError::UnsupportedMediaType => "the body must be `application/json`".into(),
            ApiError::TextTooLong { chars, limit } => {
                format!("the text has {chars} characters; at most {limit} are read")
            }
            ApiError::ButtonNotOffered => {
                "this button was not offered by the last turn and is not a global one".into()
            }
            ApiError::RateLimited { retry_after_secs } => {
                format!("too many requests; try again in {retry_after_secs} s")
            }
            ApiError::Busy => {
                "the conversation's previous turn did not finish in time; try again".into()
            }
            ApiError::NotSignedIn => "sign in first: /staff/login".into(),
            ApiError::BadCredentials => "the login or the password is wrong".into(),
            ApiError::Forbidden("bad_csrf") => {
                "the request lacks the session's `X-CSRF-Token`".into()
            }
            ApiError::Forbidden("bad_origin") => "the request comes from another site".into(),
            ApiError::Forbidden(_) => "refused".into(),
            ApiError::UnknownCase => "no case has this id".into(),
            ApiError::Conflict("case_taken") => {
                "someone else took this conversation first".into()
            }
            ApiError::Conflict("case_closed") => "this case is closed".into(),
            ApiError::Conflict("not_your_case") => {
                "this conversation is not held by you: claim it first".into()
            }
            ApiError::Conflict("outside_messaging_window") => {
                "Messenger no longer lets the Page write to this person (more than 7 days since their last message)".into()
            }
            ApiError::Conflict(_) => "the case changed meanwhile; read it again".into(),
            ApiError::Internal(_) => "the server failed; the fault is logged".into(),
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> ApiError {
        match e {
            ServiceError::UnknownConversation => ApiError::UnknownConversation,
            ServiceError::BadInput(m) => ApiError::BadInput(m),
            ServiceError::TextTooLong { chars, limit } => ApiError::TextTooLong { chars, limit },
            ServiceError::ButtonNotOffered => ApiError::ButtonNotOffered,
            ServiceError::Busy => ApiError::Busy,
            ServiceError::UnknownAction => ApiError::UnknownAction,
            ServiceError::RateLimited { retry_after_secs } => {
                ApiError::RateLimited { retry_after_secs }
            }
            ServiceError::UnknownCase => ApiError::UnknownCase,
            ServiceError::CaseConflict(code) => ApiError::Conflict(code),
            ServiceError::OutsideWindow => ApiError::Conflict("outside_messaging_window"),
            ServiceError::Internal(m) => ApiError::Internal(m),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            // A database's message may quote a value: masked.
            let detail =
                crate::privacy::mask_text(detail, chrono::NaiveDateTime::default(), &|_| false);
            tracing::error!(error = %detail, "internal error");
        }
        metrics::counter!("guichet_errors_total", "code" => self.code()).increment(1);
        let body = json!({"error": {"code": self.code(), "message": self.message()}});
        let mut response = (self.status(), axum::Json(body)).into_response();
        if let ApiError::RateLimited { retry_after_secs } = self {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}
