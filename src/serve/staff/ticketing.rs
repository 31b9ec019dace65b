//! Hand-over news forwarded to an external ticketing system: `POST` of
//! the outbox row's JSON (`case_opened`, `case_claimed`, `case_filed`,
//! `case_returned`, `case_closed`) to the configured hook, with its secret
//! header, retried with backoff; `Idempotency-Key` names the row.

use crate::serve::actions::hooks::{HookClient, Transient};
use crate::serve::config::HookConfig;
use crate::serve::outbox::{Delivery, Pusher};
use crate::serve::store::OutboxItem;
use async_trait::async_trait;
use serde_json::Value as Json;
use std::time::Duration;

pub struct TicketingPusher {
    hook: HookClient,
    attempts: u32,
    backoff: Duration,
}

impl TicketingPusher {
    pub fn new(client: reqwest::Client, hook: &HookConfig) -> TicketingPusher {
        TicketingPusher {
            hook: HookClient::new(client, hook),
            attempts: hook.retries.saturating_add(1).max(3) * 2,
            backoff: hook.backoff.max(Duration::from_millis(100)),
        }
    }
}

#[async_trait]
impl Pusher for TicketingPusher {
    async fn deliver(&self, item: &OutboxItem) -> Delivery {
        let Ok(body) = serde_json::from_str::<Json>(&item.body) else {
            return Delivery::Failed("bad_payload".into());
        };
        match self
            .hook
            .post(&body, &format!("guichet-handover-{}", item.id))
            .await
        {
            Ok((status, _)) if (200..300).contains(&status) => Delivery::Sent,
            Ok((status, _)) => Delivery::Failed(format!("hook_{status}")),
            Err(Transient(error)) => Delivery::Retry {
                parts_done: 0,
                error,
            },
        }
    }

    fn attempts(&self) -> u32 {
        self.attempts
    }

    fn backoff(&self) -> Duration {
        self.backoff
    }
}
