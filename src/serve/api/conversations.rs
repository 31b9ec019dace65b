//! Create a conversation, send an input, read the history.

use super::extract::{Bearer, JsonBody, OptionalJsonBody};
use crate::serve::app::App;
use crate::serve::conversation::{CitizenInput, NewChat};
use crate::serve::error::ApiError;
use crate::values::Lang;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value as Json};
use std::sync::Arc;

fn json_response(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

pub async fn create(
    State(app): State<Arc<App>>,
    OptionalJsonBody(body): OptionalJsonBody,
) -> Result<Response, ApiError> {
    let body = body.unwrap_or_else(|| json!({}));
    let Some(obj) = body.as_object() else {
        return Err(ApiError::BadInput("the body must be a JSON object".into()));
    };
    let bot = app.service.bots().get();
    let lang = match obj.get("lang") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => {
            let lang: Lang = s.parse().map_err(|_| {
                ApiError::BadInput(format!(
                    "`lang` must be one of the bot's languages, not `{s}`"
                ))
            })?;
            if !bot.languages().contains(&lang) {
                return Err(ApiError::BadInput(format!("the bot does not speak `{s}`")));
            }
            Some(lang)
        }
        Some(_) => return Err(ApiError::BadInput("`lang` must be a string".into())),
    };
    let channel = match obj.get("channel") {
        None | Some(Json::Null) => "web".to_string(),
        Some(Json::String(s))
            if (1..=32).contains(&s.len())
                && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') =>
        {
            s.clone()
        }
        Some(_) => {
            return Err(ApiError::BadInput(
                "`channel` must be a short lowercase name like `web`".into(),
            ))
        }
    };
    let created = app
        .service
        .create(NewChat {
            lang,
            channel,
            external_key: None,
        })
        .await?;
    let languages: Vec<String> = bot.languages().iter().map(|l| l.to_string()).collect();
    let body = json!({
        "id": created.id,
        "token": created.token,
        "lang": created.lang.to_string(),
        "languages": languages,
        "bot": bot.program().name,
    });
    Ok(json_response(StatusCode::CREATED, body.to_string()))
}

/// Reads one input: a `client_id` and exactly one of `text`, `button`,
/// `event: "start"`.
fn parse_input(body: &Json) -> Result<(String, CitizenInput), ApiError> {
    let Some(obj) = body.as_object() else {
        return Err(ApiError::BadInput("an input must be a JSON object".into()));
    };
    let client_id = match obj.get("client_id") {
        Some(Json::String(s)) if !s.is_empty() && s.chars().count() <= 64 => s.clone(),
        Some(Json::String(_)) => {
            return Err(ApiError::BadInput(
                "`client_id` must have 1 to 64 characters".into(),
            ))
        }
        Some(_) => return Err(ApiError::BadInput("`client_id` must be a string".into())),
        None => return Err(ApiError::BadInput("`client_id` is missing".into())),
    };
    let kinds = ["text", "button", "event"]
        .iter()
        .filter(|k| obj.contains_key(**k))
        .count();
    if kinds != 1 {
        return Err(ApiError::BadInput(
            "an input has exactly one of `text`, `button` or `event`".into(),
        ));
    }
    let input = if let Some(t) = obj.get("text") {
        CitizenInput::Text(
            t.as_str()
                .ok_or_else(|| ApiError::BadInput("`text` must be a string".into()))?
                .to_string(),
        )
    } else if let Some(b) = obj.get("button") {
        match b.as_str() {
            Some(p) if !p.is_empty() && p.len() <= 200 => CitizenInput::Button(p.to_string()),
            _ => {
                return Err(ApiError::BadInput(
                    "`button` must be a payload string".into(),
                ))
            }
        }
    } else if obj.get("event").and_then(Json::as_str) == Some("start") {
        CitizenInput::Start
    } else {
        return Err(ApiError::BadInput("the only `event` is `start`".into()));
    };
    Ok((client_id, input))
}

pub async fn input(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Bearer(token): Bearer,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let (client_id, input) = parse_input(&body)?;
    let answer = app
        .service
        .input_with_token(&id, &token, &client_id, input)
        .await?;
    let mut r = json_response(StatusCode::OK, answer.to_json());
    if answer.replayed {
        r.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(r)
}

#[derive(Deserialize)]
pub struct After {
    after: Option<String>,
}

/// The most events one history call returns.
pub const HISTORY_PAGE: usize = 500;

pub fn parse_after(after: Option<&str>) -> Result<i64, ApiError> {
    match after {
        None | Some("") => Ok(0),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::BadInput("`after` must be a sequence number".into())),
    }
}

pub async fn history(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Bearer(token): Bearer,
    Query(q): Query<After>,
) -> Result<Response, ApiError> {
    let info = app.service.authorize(&id, &token).await?;
    let after = parse_after(q.after.as_deref())?;
    let events = app.service.history(&id, after, HISTORY_PAGE).await?;
    let lang = app.service.lang_of(&info);
    let mut body =
        String::with_capacity(64 + events.iter().map(|e| e.body.len() + 12).sum::<usize>());
    body.push_str("{\"lang\":");
    body.push_str(&Json::String(lang).to_string());
    body.push_str(",\"events\":[");
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&e.to_json());
    }
    body.push_str("]}");
    Ok(json_response(StatusCode::OK, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_need_a_client_id_and_one_kind() {
        assert!(parse_input(&json!({"client_id": "m1", "text": "bonjour"})).is_ok());
        assert!(matches!(
            parse_input(&json!({"client_id": "m1", "event": "start"})),
            Ok((_, CitizenInput::Start))
        ));
        for bad in [
            json!({"text": "bonjour"}),
            json!({"client_id": "m1", "text": "a", "button": "yes"}),
            json!({"client_id": "m1", "text": 3}),
            json!({"client_id": "", "text": "a"}),
            json!({"client_id": "m1", "event": "stop"}),
            json!([1, 2]),
        ] {
            assert!(
                matches!(parse_input(&bad), Err(ApiError::BadInput(_))),
                "{bad}"
            );
        }
    }
}
