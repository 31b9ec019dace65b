//! Actions performed by an HTTP hook of the commune's back office:
//! `POST url` with the action as JSON, a secret header, a timeout, retries
//! with exponential backoff on 5xx answers and network failures, and an
//! `Idempotency-Key` so that a repeated call is recognised.

use super::{ActionCall, ActionPerformer, ActionReply, ActionResult};
use crate::serve::config::{HookConfig, Secret};
use crate::serve::conversation::log::Notice;
use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{json, Value as Json};
use std::time::Duration;

/// One HTTP hook: `POST url` with a JSON body, its secret header, an
/// `Idempotency-Key` and a timeout. Shared by actions and the ticketing
/// hook of hand-overs.
pub struct HookClient {
    client: reqwest::Client,
    url: String,
    secret: Option<(String, Secret)>,
    timeout: Duration,
}

/// A try worth repeating: a 5xx answer, a timeout, no connection.
#[derive(Debug, Clone, PartialEq)]
pub struct Transient(pub String);

impl HookClient {
    pub fn new(client: reqwest::Client, hook: &HookConfig) -> HookClient {
        HookClient {
            client,
            url: hook.url.clone(),
            secret: hook.secret_header.clone().zip(hook.secret.clone()),
            timeout: hook.timeout,
        }
    }

    /// One try: the status and the body of an answer that is not a 5xx.
    pub async fn post(
        &self,
        body: &Json,
        idempotency_key: &str,
    ) -> Result<(u16, String), Transient> {
        let mut request = self
            .client
            .post(&self.url)
            .timeout(self.timeout)
            .header("Idempotency-Key", idempotency_key)
            .json(body);
        if let Some((name, value)) = &self.secret {
            request = request.header(name.as_str(), value.expose());
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Err(Transient("the hook did not answer in time".into()))
            }
            Err(_) => return Err(Transient("the hook could not be reached".into())),
        };
        let status = response.status();
        if status.is_server_error() {
            return Err(Transient(format!("the hook answered {}", status.as_u16())));
        }
        match response.text().await {
            Ok(t) => Ok((status.as_u16(), t)),
            Err(e) if e.is_timeout() => Err(Transient("the hook did not answer in time".into())),
            Err(_) => Err(Transient("the hook's answer was cut".into())),
        }
    }
}

pub struct HookPerformer {
    hook: HookClient,
    retries: u32,
    backoff: Duration,
}

impl HookPerformer {
    pub fn new(client: reqwest::Client, hook: &HookConfig) -> HookPerformer {
        HookPerformer {
            hook: HookClient::new(client, hook),
            retries: hook.retries,
            backoff: hook.backoff,
        }
    }
}

#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    ok: Option<bool>,
    #[serde(default)]
    value: Option<Json>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    pending: Option<bool>,
    #[serde(default)]
    say: Option<Notice>,
}

enum Attempt {
    Final(ActionReply),
    /// Worth trying again (5xx, timeout, connection refused).
    Again(String),
}

impl HookPerformer {
    async fn attempt(&self, call: &ActionCall) -> Attempt {
        let body = json!({
            "action": call.name,
            "id": call.action_id,
            "conversation": call.conversation,
            "lang": call.lang,
            "channel": call.channel,
            "args": call.args,
            "callback_url": call.callback_url,
        });
        let (status, text) = match self.hook.post(&body, &call.idempotency_key).await {
            Ok(r) => r,
            Err(Transient(why)) => return Attempt::Again(why),
        };
        let answer: Option<Answer> = serde_json::from_str(&text).ok();
        Attempt::Final(match (status, answer) {
            (200, Some(a)) if a.ok == Some(true) => {
                ActionReply::Done(ActionResult::ok(a.value.unwrap_or(Json::Null)))
            }
            (200, Some(a)) if a.ok == Some(false) => ActionReply::Done(ActionResult::failed(
                a.error.unwrap_or_else(|| "the back office refused".into()),
            )),
            (202, Some(a)) if a.pending == Some(true) => ActionReply::Pending(a.say),
            (202, None) if text.trim().is_empty() => ActionReply::Pending(None),
            (code, _) => ActionReply::Done(ActionResult::failed(format!(
                "the hook answered {code} without a result"
            ))),
        })
    }
}

#[async_trait]
impl ActionPerformer for HookPerformer {
    async fn perform(&self, call: &ActionCall) -> ActionReply {
        let mut last = String::new();
        for attempt in 0..=self.retries {
            if attempt > 0 {
                let factor = 1u32 << (attempt - 1).min(10);
                tokio::time::sleep(self.backoff.saturating_mul(factor)).await;
            }
            match self.attempt(call).await {
                Attempt::Final(reply) => return reply,
                Attempt::Again(why) => last = why,
            }
        }
        ActionReply::Done(ActionResult::failed(last))
    }
}
