//! What a host sends (inputs) and what a turn returns (events): the Rust
//! side of the JSON Lines protocol, serialising to exactly its shapes.

use crate::values::Lang;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

/// Longest `id` an input line may carry.
pub const MAX_INPUT_ID_BYTES: usize = 128;

/// The host's answer to an `action` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionResult {
    pub id: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Json>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One input line.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// What the citizen typed.
    Text(String),
    /// The payload of a button the citizen pressed.
    Button(String),
    ActionResult(ActionResult),
    /// A new visitor opened the chat.
    Start,
}

impl Input {
    pub fn text(s: impl Into<String>) -> Input {
        Input::Text(s.into())
    }

    /// Reads one protocol line. The error says what is wrong, for an
    /// `error` event.
    pub fn from_json_line(line: &str) -> Result<Input, String> {
        let json: Json =
            serde_json::from_str(line).map_err(|e| format!("the line is not valid JSON: {e}"))?;
        Input::from_json(&json)
    }

    /// Reads one protocol line and its optional `id`: the host's own name
    /// for the line, so that a line sent twice is applied once.
    pub fn from_json_line_with_id(line: &str) -> Result<(Option<String>, Input), String> {
        let json: Json =
            serde_json::from_str(line).map_err(|e| format!("the line is not valid JSON: {e}"))?;
        let id = match json.get("id") {
            None => None,
            Some(Json::String(id)) if !id.is_empty() && id.len() <= MAX_INPUT_ID_BYTES => {
                Some(id.clone())
            }
            Some(_) => {
                return Err(format!(
                    "`id` must be a string of 1 to {MAX_INPUT_ID_BYTES} bytes"
                ))
            }
        };
        Ok((id, Input::from_json(&json)?))
    }

    pub fn from_json(json: &Json) -> Result<Input, String> {
        let Some(obj) = json.as_object() else {
            return Err("an input line must be a JSON object".into());
        };
        if let Some(t) = obj.get("text") {
            return t
                .as_str()
                .map(|s| Input::Text(s.to_string()))
                .ok_or_else(|| "`text` must be a string".into());
        }
        if let Some(b) = obj.get("button") {
            return b
                .as_str()
                .map(|s| Input::Button(s.to_string()))
                .ok_or_else(|| "`button` must be a string".into());
        }
        if let Some(r) = obj.get("action_result") {
            return serde_json::from_value::<ActionResult>(r.clone())
                .map(Input::ActionResult)
                .map_err(|e| format!("`action_result` is malformed: {e}"));
        }
        if obj.get("event").and_then(Json::as_str) == Some("start") {
            return Ok(Input::Start);
        }
        Err(
            "unknown input: expected one of `text`, `button`, `action_result` or `event: start`"
                .into(),
        )
    }

    pub fn to_json(&self) -> Json {
        match self {
            Input::Text(t) => serde_json::json!({ "text": t }),
            Input::Button(b) => serde_json::json!({ "button": b }),
            Input::ActionResult(r) => serde_json::json!({ "action_result": r }),
            Input::Start => serde_json::json!({ "event": "start" }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Button {
    pub label: String,
    pub payload: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// What the bot waits for, so a host can show the right control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expecting {
    Slot {
        name: String,
        #[serde(rename = "type")]
        ty: String,
    },
    Confirmation,
    ActionResult {
        id: String,
    },
}

/// One output line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    Say {
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        buttons: Vec<Button>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        links: Vec<Link>,
    },
    Action {
        id: String,
        name: String,
        args: Map<String, Json>,
    },
    Handoff {
        reason: String,
        summary: Json,
    },
    End,
    Error {
        code: String,
        message: String,
    },
    TurnEnd {
        lang: Lang,
        flow: Option<String>,
        expecting: Option<Expecting>,
        slots: Map<String, Json>,
        /// The flow a citizen's message started, for statistics.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        intent: Option<String>,
        /// Nothing matched the message: the team can improve the bot with it.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        unmatched: bool,
        /// How many turns the conversation has had, this one included when
        /// it was applied (a turn with an `error` leaves it as it was).
        #[serde(default)]
        turn: u64,
        /// The stored answer to an input whose `id` was already applied,
        /// sent again: nothing was applied this time.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        replayed: bool,
        /// The bot was changed under this conversation and this turn told
        /// the citizen: `updated` (answers that no longer fit will be asked
        /// again), `moved` (it went back to a safe point; the input was not
        /// applied) or `restarted`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bot_changed: Option<crate::runtime::session::BotChanged>,
    },
}

impl Event {
    pub fn error(code: &str, message: impl Into<String>) -> Event {
        Event::Error {
            code: code.to_string(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_read_the_protocol_shapes() {
        assert_eq!(
            Input::from_json_line(r#"{"text": "bonjour"}"#),
            Ok(Input::Text("bonjour".into()))
        );
        assert_eq!(
            Input::from_json_line(r#"{"event": "start"}"#),
            Ok(Input::Start)
        );
        let r = Input::from_json_line(
            r#"{"action_result": {"id": "a1", "ok": true, "value": {"reference": "CR-1"}}}"#,
        )
        .unwrap();
        assert!(matches!(
            r,
            Input::ActionResult(ActionResult { ok: true, .. })
        ));
        assert!(Input::from_json_line("{")
            .unwrap_err()
            .contains("not valid JSON"));
        assert!(Input::from_json_line(r#"{"foo": 1}"#)
            .unwrap_err()
            .contains("unknown input"));
    }

    #[test]
    fn events_serialise_with_type_first() {
        let e = Event::Say {
            text: "Bonjour".into(),
            buttons: vec![],
            links: vec![],
        };
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"type":"say","text":"Bonjour"}"#
        );
        let e = Event::TurnEnd {
            lang: Lang::Fr,
            flow: None,
            expecting: Some(Expecting::Slot {
                name: "start_date".into(),
                ty: "date".into(),
            }),
            slots: Map::new(),
            intent: None,
            unmatched: false,
            turn: 3,
            replayed: false,
            bot_changed: None,
        };
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"type":"turn_end","lang":"fr","flow":null,"expecting":{"kind":"slot","name":"start_date","type":"date"},"slots":{},"turn":3}"#
        );
    }
}
