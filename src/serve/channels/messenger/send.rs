//! The Send API client, and the outbox's Messenger pusher: one log event
//! becomes one or more messages, sent in order within Messenger's
//! windows (24 hours after the person's last message; 7 days for staff,
//! with the `HUMAN_AGENT` tag). Graph API errors are logged by their
//! codes, never with the message or the person's id, and never stop the
//! server.

use super::config::MessengerConfig;
use super::render;
use crate::serve::clock::Clock;
use crate::serve::conversation::HUMAN_AGENT_WINDOW_MS;
use crate::serve::outbox::{Delivery, Pusher};
use crate::serve::store::{OutboxItem, Store};
use async_trait::async_trait;
use serde_json::{json, Value as Json};
use std::sync::Arc;
use std::time::Duration;

/// The standard window: 24 hours after the person's last message.
pub const RESPONSE_WINDOW_MS: i64 = 24 * 3600 * 1000;

/// Why a send failed.
#[derive(Debug, Clone, PartialEq)]
pub enum GraphError {
    /// Worth trying again: 5xx, a timeout, a rate limit.
    Transient(String),
    /// `(#10)`: the message is outside the window Messenger allows.
    OutsideWindow,
    /// Refused for good; a code for logs.
    Refused(String),
}

pub struct Graph {
    client: reqwest::Client,
    messages_url: String,
    config: MessengerConfig,
}

impl Graph {
    pub fn new(client: reqwest::Client, config: &MessengerConfig) -> Graph {
        Graph {
            client,
            messages_url: format!(
                "{}/{}/me/messages",
                config.graph_url.trim_end_matches('/'),
                config.graph_version
            ),
            config: config.clone(),
        }
    }

    pub fn config(&self) -> &MessengerConfig {
        &self.config
    }

    async fn send_once(&self, body: &Json) -> Result<(), GraphError> {
        let response = self
            .client
            .post(&self.messages_url)
            .query(&[("access_token", self.config.page_access_token.expose())])
            .timeout(self.config.timeout)
            .json(body)
            .send()
            .await
            .map_err(|e| {
                GraphError::Transient(if e.is_timeout() {
                    "timeout".into()
                } else {
                    "unreachable".into()
                })
            })?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(());
        }
        let text = response.text().await.unwrap_or_default();
        let error: Json = serde_json::from_str::<Json>(&text)
            .ok()
            .and_then(|v| v.get("error").cloned())
            .unwrap_or(Json::Null);
        let code = error.get("code").and_then(Json::as_i64).unwrap_or(0);
        let subcode = error
            .get("error_subcode")
            .and_then(Json::as_i64)
            .unwrap_or(0);
        metrics::counter!("guichet_messenger_errors_total", "code" => code.to_string())
            .increment(1);
        // The error's message may quote what was sent: only codes are logged.
        tracing::warn!(status, code, subcode, "the Send API refused a message");
        if code == 10 || subcode == 2018278 {
            return Err(GraphError::OutsideWindow);
        }
        Err(match (status, code) {
            (500..=599, _) => GraphError::Transient(format!("http_{status}")),
            // Temporary errors and rate limits.
            (_, 1 | 2 | 4 | 17 | 32 | 613) => GraphError::Transient(format!("graph_{code}")),
            // The token: someone will fix the settings; keep the messages.
            (_, 190) => GraphError::Transient("graph_190".into()),
            (_, 551) => GraphError::Refused("recipient_unavailable".into()),
            _ => GraphError::Refused(format!("graph_{code}")),
        })
    }

    /// Sends, trying again twice at once on a transient failure.
    pub async fn send(&self, body: &Json) -> Result<(), GraphError> {
        let mut last = GraphError::Transient("not sent".into());
        for attempt in 0..3u32 {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(200) * (1 << (attempt - 1))).await;
            }
            match self.send_once(body).await {
                Ok(()) => return Ok(()),
                Err(GraphError::Transient(e)) => last = GraphError::Transient(e),
                Err(other) => return Err(other),
            }
        }
        Err(last)
    }

    /// `mark_seen`, `typing_on`: best effort, errors only logged.
    pub async fn sender_action(&self, psid: &str, action: &str) {
        let body = json!({"recipient": {"id": psid}, "sender_action": action});
        if let Err(e) = self.send_once(&body).await {
            tracing::debug!(error = ?e, action, "a sender action was not sent");
        }
    }
}

/// Delivers the outbox's Messenger rows.
pub struct MessengerPusher {
    graph: Arc<Graph>,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl MessengerPusher {
    pub fn new(graph: Arc<Graph>, store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> MessengerPusher {
        MessengerPusher {
            graph,
            store,
            clock,
        }
    }
}

/// Messages a person of staff is behind: those may use `HUMAN_AGENT`.
fn by_staff(event: &Json) -> bool {
    event.get("from").and_then(Json::as_str) == Some("staff")
        || matches!(
            event.get("kind").and_then(Json::as_str),
            Some("staff_joined" | "staff_closed" | "bot_back")
        )
}

#[async_trait]
impl Pusher for MessengerPusher {
    async fn deliver(&self, item: &OutboxItem) -> Delivery {
        let Ok(event) = serde_json::from_str::<Json>(&item.body) else {
            return Delivery::Failed("bad_event".into());
        };
        let info = match self.store.conversation(&item.conversation_id).await {
            Ok(Some(info)) => info,
            Ok(None) => return Delivery::Failed("conversation_gone".into()),
            Err(e) => {
                return Delivery::Retry {
                    parts_done: item.parts_done,
                    error: format!("store: {e}"),
                }
            }
        };
        let Some(psid) = info
            .external_key
            .as_deref()
            .and_then(|k| k.split_once(':'))
            .map(|(_, psid)| psid.to_string())
        else {
            return Delivery::Failed("no_recipient".into());
        };
        let last = match self.store.last_message(&info.id).await {
            Ok(l) => l,
            Err(e) => {
                return Delivery::Retry {
                    parts_done: item.parts_done,
                    error: format!("store: {e}"),
                }
            }
        };
        let age = last.map(|at| self.clock.now_ms() - at);
        let tag = match age {
            Some(a) if a <= RESPONSE_WINDOW_MS => None,
            Some(a) if a <= HUMAN_AGENT_WINDOW_MS && by_staff(&event) => Some("HUMAN_AGENT"),
            _ => {
                metrics::counter!("guichet_messenger_outside_window_total").increment(1);
                return Delivery::Failed("outside_window".into());
            }
        };
        let lang = info.lang.as_deref().unwrap_or("fr");
        let parts = render::messages(&event, lang);
        for (i, message) in parts
            .iter()
            .enumerate()
            .skip(item.parts_done.max(0) as usize)
        {
            let mut body = json!({"recipient": {"id": psid}, "message": message});
            match tag {
                None => body["messaging_type"] = json!("RESPONSE"),
                Some(t) => {
                    body["messaging_type"] = json!("MESSAGE_TAG");
                    body["tag"] = json!(t);
                }
            }
            match self.graph.send(&body).await {
                Ok(()) => {}
                Err(GraphError::Transient(error)) => {
                    return Delivery::Retry {
                        parts_done: i as i64,
                        error,
                    }
                }
                Err(GraphError::OutsideWindow) => return Delivery::Failed("outside_window".into()),
                Err(GraphError::Refused(code)) => return Delivery::Failed(code),
            }
        }
        Delivery::Sent
    }

    fn attempts(&self) -> u32 {
        self.graph.config.attempts
    }

    fn backoff(&self) -> Duration {
        self.graph.config.backoff
    }
}
