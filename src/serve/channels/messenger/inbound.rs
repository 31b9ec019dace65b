//! What Messenger delivers: the webhook's `entry[].messaging[]` items read
//! into deliveries keyed by `mid`, and each delivery applied to its
//! conversation (keyed by the Page and the person's PSID).

use super::Messenger;
use crate::serve::conversation::{CitizenInput, NewChat, ServiceError};
use crate::serve::store::{MessengerDelivery, Mode, StoreError};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn id_of(v: &Json, key: &str) -> Option<String> {
    match v.get(key)?.get("id")? {
        Json::String(s) if !s.is_empty() => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The deliveries of a webhook body, in order. Items that are neither a
/// message nor a postback (deliveries, reads, reactions) are left out.
/// `Err` when the body is not a Messenger webhook body.
pub fn parse(body: &[u8]) -> Result<Vec<MessengerDelivery>, String> {
    let v: Json = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    if v.get("object").and_then(Json::as_str) != Some("page") {
        return Ok(Vec::new());
    }
    let entries = v
        .get("entry")
        .and_then(Json::as_array)
        .ok_or("`entry` is missing")?;
    let mut out = Vec::new();
    for entry in entries {
        let Some(items) = entry.get("messaging").and_then(Json::as_array) else {
            continue;
        };
        for item in items {
            let message = item.get("message");
            let postback = item.get("postback");
            if message.is_none() && postback.is_none() {
                continue;
            }
            let (Some(sender), Some(recipient)) = (id_of(item, "sender"), id_of(item, "recipient"))
            else {
                continue;
            };
            let echo = message
                .and_then(|m| m.get("is_echo"))
                .and_then(Json::as_bool)
                .unwrap_or(false);
            // An echo goes from the Page to the person.
            let (page_id, psid) = if echo {
                (sender, recipient)
            } else {
                (recipient, sender)
            };
            let mid = message
                .or(postback)
                .and_then(|m| m.get("mid"))
                .and_then(Json::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| {
                    // A postback without a mid: its sender, time and payload.
                    let key = format!(
                        "{psid}|{}|{}",
                        item.get("timestamp").unwrap_or(&Json::Null),
                        postback
                            .and_then(|p| p.get("payload"))
                            .unwrap_or(&Json::Null)
                    );
                    format!("pb-{}", hex(&Sha256::digest(key.as_bytes())[..16]))
                });
            out.push(MessengerDelivery {
                mid,
                page_id,
                psid,
                body: item.to_string(),
            });
        }
    }
    Ok(out)
}

/// The client message id a delivery's turn is recorded under: the same
/// `mid` applied twice (after a crash) is answered once.
fn client_id(mid: &str) -> String {
    format!("fb-{}", hex(&Sha256::digest(mid.as_bytes())[..20]))
}

/// What a delivery asks of the conversation.
enum Inbound {
    /// The citizen wrote or pressed something; `fallback` is the text
    /// shown on a button that is no longer offered.
    Input {
        input: CitizenInput,
        fallback: Option<String>,
    },
    /// A person answered from the Page's own inbox.
    PageInbox(String),
    /// An echo of our own message, an attachment without text.
    Ignore,
}

fn read(m: &Messenger, item: &Json) -> Inbound {
    if let Some(message) = item.get("message") {
        let text = message
            .get("text")
            .and_then(Json::as_str)
            .map(str::to_string);
        if message.get("is_echo").and_then(Json::as_bool) == Some(true) {
            let app_id = match message.get("app_id") {
                Some(Json::Number(n)) => Some(n.to_string()),
                Some(Json::String(s)) => Some(s.clone()),
                _ => None,
            };
            if app_id.as_deref() == Some(m.config().app_id.as_str()) {
                return Inbound::Ignore;
            }
            return match text {
                Some(t) if !t.trim().is_empty() => Inbound::PageInbox(t),
                _ => Inbound::Ignore,
            };
        }
        if let Some(payload) = message
            .get("quick_reply")
            .and_then(|q| q.get("payload"))
            .and_then(Json::as_str)
        {
            return Inbound::Input {
                input: CitizenInput::Button(payload.to_string()),
                fallback: text,
            };
        }
        return match text {
            Some(t) if !t.trim().is_empty() => Inbound::Input {
                input: CitizenInput::ListReply(t),
                fallback: None,
            },
            _ => Inbound::Ignore,
        };
    }
    if let Some(postback) = item.get("postback") {
        let payload = postback.get("payload").and_then(Json::as_str).unwrap_or("");
        let title = postback
            .get("title")
            .and_then(Json::as_str)
            .map(str::to_string);
        if payload == m.config().get_started_payload {
            return Inbound::Input {
                input: CitizenInput::Start,
                fallback: None,
            };
        }
        if !payload.is_empty() {
            return Inbound::Input {
                input: CitizenInput::Button(payload.to_string()),
                fallback: title,
            };
        }
    }
    Inbound::Ignore
}

/// Whether the delivery is done with (applied, or never to be).
pub(super) async fn apply(m: &Messenger, d: &MessengerDelivery) -> bool {
    let Ok(item) = serde_json::from_str::<Json>(&d.body) else {
        return true;
    };
    let what = read(m, &item);
    if matches!(what, Inbound::Ignore) {
        metrics::counter!("guichet_messenger_ignored_total").increment(1);
        return true;
    }
    let service = m.service();
    let key = format!("{}:{}", d.page_id, d.psid);
    let info = match conversation(m, &key).await {
        Ok(info) => info,
        Err(e) => {
            tracing::error!(error = ?e, "a Messenger conversation could not be opened; the delivery will be tried again");
            return false;
        }
    };
    let (input, fallback) = match what {
        Inbound::PageInbox(text) => {
            let name = m.config().page_inbox_name.clone();
            return match service.external_reply(&info.id, &text, &name).await {
                Ok(()) => true,
                Err(ServiceError::Busy) => false,
                Err(e) => {
                    tracing::warn!(conversation = %info.id, error = ?e, "a Page inbox message could not be logged");
                    true
                }
            };
        }
        Inbound::Input { input, fallback } => (input, fallback),
        Inbound::Ignore => return true,
    };
    let now = service.clock().now_ms();
    if let Err(e) = service.store().set_last_message(&info.id, now).await {
        tracing::warn!(error = %e, "the time of a Messenger message could not be kept");
    }
    m.graph().sender_action(&d.psid, "mark_seen").await;
    if Mode::parse(&info.mode) == Mode::Bot {
        m.graph().sender_action(&d.psid, "typing_on").await;
    }
    let cid = client_id(&d.mid);
    let result = match service.input(&info.id, &cid, input).await {
        Err(ServiceError::ButtonNotOffered) if fallback.is_some() => {
            // A button of an older message: read its title as text.
            let text = fallback.unwrap_or_default();
            service
                .input(&info.id, &cid, CitizenInput::Text(text))
                .await
        }
        other => other,
    };
    match result {
        Ok(_) => {
            metrics::counter!("guichet_messenger_messages_total").increment(1);
            true
        }
        // Taken again by the periodic pass, once the conversation is free.
        Err(ServiceError::Busy | ServiceError::RateLimited { .. }) => false,
        Err(ServiceError::Internal(e)) => {
            tracing::error!(conversation = %info.id, error = %e, "a Messenger message failed; it will be tried again");
            false
        }
        Err(e) => {
            tracing::warn!(conversation = %info.id, error = ?e, "a Messenger message was refused");
            true
        }
    }
}

/// The conversation of a Page and a person, created at their first message.
async fn conversation(
    m: &Messenger,
    key: &str,
) -> Result<crate::serve::store::ConversationInfo, ServiceError> {
    let service = m.service();
    if let Some(info) = service
        .store()
        .conversation_by_key("messenger", key)
        .await?
    {
        return Ok(info);
    }
    let created = service
        .create(NewChat {
            lang: None,
            channel: "messenger".into(),
            external_key: Some(key.to_string()),
        })
        .await;
    match created {
        Ok(_) | Err(ServiceError::Internal(_)) => {}
        Err(e) => return Err(e),
    }
    // Created now, or by a delivery processed at the same time.
    service
        .store()
        .conversation_by_key("messenger", key)
        .await
        .map_err(|e: StoreError| ServiceError::from(e))?
        .ok_or_else(|| ServiceError::Internal("the conversation could not be created".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batched_entries_read_in_order_and_echoes_swap_sides() {
        let body = br#"{"object":"page","entry":[
          {"id":"PAGE","time":1,"messaging":[
            {"sender":{"id":"U1"},"recipient":{"id":"PAGE"},"timestamp":1,"message":{"mid":"m1","text":"bonjour"}},
            {"sender":{"id":"U1"},"recipient":{"id":"PAGE"},"timestamp":2,"delivery":{"mids":["x"],"watermark":2}}]},
          {"id":"PAGE","time":3,"messaging":[
            {"sender":{"id":"PAGE"},"recipient":{"id":"U2"},"timestamp":3,"message":{"mid":"m2","is_echo":true,"app_id":42,"text":"x"}},
            {"sender":{"id":"U2"},"recipient":{"id":"PAGE"},"timestamp":4,"postback":{"title":"Oui","payload":"yes"}}]}]}"#;
        let d = parse(body).unwrap();
        assert_eq!(d.len(), 3, "the delivery receipt is left out");
        assert_eq!((d[0].mid.as_str(), d[0].psid.as_str()), ("m1", "U1"));
        assert_eq!((d[1].page_id.as_str(), d[1].psid.as_str()), ("PAGE", "U2"));
        assert!(d[2].mid.starts_with("pb-"));
        assert_eq!(parse(br#"{"object":"page","entry":[]}"#).unwrap().len(), 0);
        assert!(parse(b"{not json").is_err());
        assert_eq!(client_id("m1").len(), 43);
    }
}
