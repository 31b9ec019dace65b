//! The shapes of a conversation's log: the citizen's inputs, the runtime's
//! events and the server's notices, as the JSON bodies the store keeps.

use crate::runtime::{Button, Event, Link};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// What a citizen sent, as a channel gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum CitizenInput {
    Text(String),
    Button(String),
    Start,
    /// A text typed in a channel that shows the offered buttons as a
    /// numbered list when they do not fit its own buttons (Messenger): a
    /// bare number then picks that button.
    ListReply(String),
}

/// The payload of the button a bare number picks, when the offered
/// buttons were shown as a numbered list (`1.`, `2)` and `3` read alike).
pub fn numbered_choice(text: &str, offered: &[Button]) -> Option<String> {
    if !crate::serve::channels::numbered_list(offered) {
        return None;
    }
    let t = text.trim().trim_end_matches(['.', ')']).trim();
    let n: usize = t.parse().ok()?;
    offered.get(n.checked_sub(1)?).map(|b| b.payload.clone())
}

/// Payloads a client may send whatever the last turn offered.
pub const GLOBAL_BUTTONS: &[&str] = &[
    "help",
    "restart",
    "talk_to_agent",
    "language_fr",
    "language_nl",
    "language_en",
];

/// An image shown with a message (a QR code to pay).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Image {
    pub url: String,
    pub alt: String,
}

/// A message from the server itself (a payment page to open...): the same
/// fields as `say`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Notice {
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Button>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
}

pub fn user_body(input: &CitizenInput, offered: &[Button]) -> String {
    let v = match input {
        CitizenInput::Text(t) | CitizenInput::ListReply(t) => json!({"type": "user", "text": t}),
        CitizenInput::Button(p) => match offered.iter().find(|b| &b.payload == p) {
            Some(b) => json!({"type": "user", "button": p, "label": b.label}),
            None => json!({"type": "user", "button": p}),
        },
        CitizenInput::Start => json!({"type": "user", "event": "start"}),
    };
    v.to_string()
}

pub fn event_body(e: &Event) -> String {
    serde_json::to_string(e).unwrap_or_else(|_| r#"{"type":"error","code":"internal"}"#.into())
}

pub fn notice_body(n: &Notice) -> String {
    let mut v = serde_json::to_value(n).unwrap_or_else(|_| json!({}));
    let mut out = serde_json::Map::new();
    out.insert("type".into(), json!("notice"));
    if let Some(obj) = v.as_object_mut() {
        for (k, val) in std::mem::take(obj) {
            out.insert(k, val);
        }
    }
    serde_json::Value::Object(out).to_string()
}

/// The buttons a turn's messages offer; `None` when it said nothing (the
/// buttons offered before still stand).
pub fn offered_by(events: &[Event]) -> Option<Vec<Button>> {
    let mut said = false;
    let mut buttons = Vec::new();
    for e in events {
        if let Event::Say { buttons: b, .. } = e {
            said = true;
            buttons.extend(b.iter().cloned());
        }
    }
    said.then_some(buttons)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_start_with_their_type() {
        let b = user_body(
            &CitizenInput::Button("yes".into()),
            &[Button {
                label: "Oui".into(),
                payload: "yes".into(),
            }],
        );
        assert_eq!(b, r#"{"type":"user","button":"yes","label":"Oui"}"#);
        let n = notice_body(&Notice {
            text: "Payez".into(),
            ..Notice::default()
        });
        assert_eq!(n, r#"{"type":"notice","text":"Payez"}"#);
    }
}
