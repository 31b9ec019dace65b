//! Actions performed for the bot: each action name maps to a performer,
//! an HTTP hook of the commune's back office or the demo back office.

pub mod hooks;

use super::conversation::log::Notice;
use async_trait::async_trait;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::sync::Arc;

/// One action to perform.
#[derive(Debug, Clone)]
pub struct ActionCall {
    pub conversation: String,
    /// The bot's id for it (`a1`).
    pub action_id: String,
    pub name: String,
    pub args: Map<String, Json>,
    pub lang: String,
    pub channel: String,
    /// Where a back office posts a result that comes later.
    pub callback_url: String,
    /// `CONVERSATION:ACTION_ID`: the same call repeated (a retry, a
    /// recovery after a crash) carries the same key.
    pub idempotency_key: String,
}

/// The result fed back to the bot.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionResult {
    pub ok: bool,
    pub value: Option<Json>,
    pub error: Option<String>,
}

impl ActionResult {
    pub fn ok(value: Json) -> ActionResult {
        ActionResult {
            ok: true,
            value: Some(value),
            error: None,
        }
    }
    pub fn failed(error: impl Into<String>) -> ActionResult {
        ActionResult {
            ok: false,
            value: None,
            error: Some(error.into()),
        }
    }
}

/// What a performer answers.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionReply {
    /// The result, now.
    Done(ActionResult),
    /// It completes later, through the callback; the notice is shown to
    /// the citizen meanwhile.
    Pending(Option<Notice>),
}

/// Performs actions. It must answer in bounded time: a slow or absent
/// back office is a failed action, never a hung conversation.
#[async_trait]
pub trait ActionPerformer: Send + Sync {
    async fn perform(&self, call: &ActionCall) -> ActionReply;
}

/// The performers, by action name.
#[derive(Default, Clone)]
pub struct ActionRouter {
    by_name: HashMap<String, Arc<dyn ActionPerformer>>,
}

impl ActionRouter {
    pub fn new() -> ActionRouter {
        ActionRouter::default()
    }

    pub fn with(mut self, name: &str, performer: Arc<dyn ActionPerformer>) -> ActionRouter {
        self.by_name.insert(name.to_string(), performer);
        self
    }

    pub fn insert(&mut self, name: &str, performer: Arc<dyn ActionPerformer>) {
        self.by_name.insert(name.to_string(), performer);
    }

    pub fn knows(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// An action nobody performs fails at once, so that the flow takes its
    /// `failed` branch.
    pub async fn perform(&self, call: &ActionCall) -> ActionReply {
        match self.by_name.get(&call.name) {
            Some(p) => p.perform(call).await,
            None => ActionReply::Done(ActionResult::failed(format!(
                "no hook performs the action `{}`",
                call.name
            ))),
        }
    }
}
