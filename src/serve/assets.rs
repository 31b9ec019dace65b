//! The `web/` folder, embedded in the binary: the widget, the commune's
//! demo page, the demo back office's pages. HTML pages carry a strict
//! Content-Security-Policy (no inline script); every text type says
//! `charset=utf-8`.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "web/"]
struct Web;

/// Pages may load scripts, styles, images and data from this server only.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Security headers every HTML page gets.
pub fn page_headers(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

/// The embedded file at `path` (relative to `web/`), with its type, an
/// ETag and cache headers; `None` when there is none.
pub fn file(path: &str, request_headers: &HeaderMap) -> Option<Response> {
    let file = Web::get(path)?;
    let etag = format!(
        "\"{}\"",
        file.metadata
            .sha256_hash()
            .iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let html = path.ends_with(".html");
    let fresh = request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, file.data.into_owned()).into_response()
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    // Pages are checked at each visit; scripts and styles are kept an hour
    // and checked by their ETag after.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if html {
            "no-cache"
        } else {
            "public, max-age=3600"
        }),
    );
    if html {
        page_headers(h);
    } else {
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
    }
    Some(response)
}

/// Serves `web/` for any path no route took: `/` is the commune's demo
/// page (`web/demo/index.html`), `/widget.js` is `web/widget.js`.
pub async fn fallback(req: Request) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return crate::serve::error::ApiError::NotFound.into_response();
    }
    let path = req.uri().path().trim_start_matches('/');
    let path = if path.is_empty() {
        "demo/index.html".to_string()
    } else if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    // The inbox's files are served by its own routes, behind its sign-in.
    if path.starts_with("staff/")
        || path
            .split('/')
            .any(|seg| seg == ".." || seg.starts_with('.'))
    {
        return crate::serve::error::ApiError::NotFound.into_response();
    }
    match file(&path, req.headers()) {
        Some(r) => r,
        None => crate::serve::error::ApiError::NotFound.into_response(),
    }
}
