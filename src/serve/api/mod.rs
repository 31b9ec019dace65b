//! The chat API (docs/http-api.md): handlers extract, call the
//! conversation service, and map its errors.

mod actions;
mod conversations;
pub mod extract;
mod stream;

pub use conversations::parse_after;

use super::app::App;
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

/// The routes whose answers are bounded in time (all but the stream).
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/api/conversations", post(conversations::create))
        .route("/api/conversations/{id}/inputs", post(conversations::input))
        .route(
            "/api/conversations/{id}/events",
            get(conversations::history),
        )
        .route("/api/actions/{token}", post(actions::complete))
}

/// The event stream: open as long as the citizen's page is.
pub fn stream_routes() -> Router<Arc<App>> {
    Router::new().route("/api/conversations/{id}/stream", get(stream::stream))
}
