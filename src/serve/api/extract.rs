//! Request extractors that answer in the API's own error format.

use crate::serve::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts, StatusCode};
use serde_json::Value as Json;

/// A JSON body: `application/json`, within the body limit, valid JSON.
pub struct JsonBody(pub Json);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let mime = v.split(';').next().unwrap_or("").trim();
                mime.eq_ignore_ascii_case("application/json")
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::BadJson("the body could not be read".into())
            }
        })?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::BadJson(e.to_string()))
    }
}

/// An optional JSON body: none at all is `None`; otherwise as `JsonBody`.
pub struct OptionalJsonBody(pub Option<Json>);

impl<S: Send + Sync> FromRequest<S> for OptionalJsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !req.headers().contains_key(header::CONTENT_TYPE) {
            // No content type: the body must be empty.
            let bytes = Bytes::from_request(req, state)
                .await
                .map_err(|_| ApiError::TooLarge)?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJsonBody(None));
            }
            return Err(ApiError::UnsupportedMediaType);
        }
        JsonBody::from_request(req, state)
            .await
            .map(|JsonBody(j)| OptionalJsonBody(Some(j)))
    }
}

/// The conversation's token: `Authorization: Bearer TOKEN`.
pub struct Bearer(pub String);

pub fn bearer_of(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = token.trim();
    (!token.is_empty()).then(|| token.to_string())
}

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        bearer_of(parts).map(Bearer).ok_or(ApiError::MissingToken)
    }
}
