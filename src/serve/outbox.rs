//! The outbox worker: delivers what turns committed for channels that
//! push (Messenger) and for the ticketing hook, in order per conversation,
//! with retries and backoff. Rows are claimed with a lease, so a process
//! that dies mid-delivery leaves them to be claimed again, and replicas
//! sharing a PostgreSQL store each take different rows. A message is sent
//! at least once: after a crash between the send and its record, it may
//! be sent twice (Messenger has no idempotency key).

use super::clock::Clock;
use super::conversation::Signals;
use super::store::{OutboxItem, Store};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// What became of one delivery.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    Sent,
    /// Try again later; `parts_done` parts are already delivered.
    Retry {
        parts_done: i64,
        error: String,
    },
    /// Never to be sent; `error` is a code, without personal data.
    Failed(String),
}

/// Delivers outbox rows of one channel.
#[async_trait]
pub trait Pusher: Send + Sync {
    async fn deliver(&self, item: &OutboxItem) -> Delivery;
    /// Tries of one row before it is given up.
    fn attempts(&self) -> u32;
    /// The pause before the second try; it doubles at each try.
    fn backoff(&self) -> Duration;
}

/// Rows a worker claims at once (each of a different conversation).
const BATCH: usize = 32;
/// How long a claim lasts: a worker that dies lets its rows go after this.
const LEASE: Duration = Duration::from_secs(120);
/// The longest pause between two tries of a row.
const MAX_BACKOFF: Duration = Duration::from_secs(600);

pub struct Outbox {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    signals: Arc<Signals>,
    pushers: HashMap<String, Arc<dyn Pusher>>,
}

impl Outbox {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, signals: Arc<Signals>) -> Outbox {
        Outbox {
            store,
            clock,
            signals,
            pushers: HashMap::new(),
        }
    }

    pub fn add(&mut self, channel: &str, pusher: Arc<dyn Pusher>) {
        self.pushers.insert(channel.to_string(), pusher);
    }

    pub fn is_empty(&self) -> bool {
        self.pushers.is_empty()
    }

    /// Delivers every row due now, conversation by conversation in order;
    /// returns how many rows were handled.
    pub async fn deliver_due(&self) -> usize {
        let mut handled = 0;
        loop {
            let now = self.clock.now_ms();
            let lease = now + LEASE.as_millis() as i64;
            let items = match self.store.claim_outbox(now, lease, BATCH).await {
                Ok(items) => items,
                Err(e) => {
                    tracing::error!(error = %e, "the outbox could not be read");
                    return handled;
                }
            };
            if items.is_empty() {
                return handled;
            }
            handled += items.len();
            // Different conversations at once; one conversation's rows
            // come one claim after the other, in order.
            let runs = items.iter().map(|item| self.deliver_one(item));
            futures_util::future::join_all(runs).await;
        }
    }

    async fn deliver_one(&self, item: &OutboxItem) {
        let Some(pusher) = self.pushers.get(&item.channel) else {
            self.record(
                item,
                Delivery::Failed("no_channel".into()),
                1,
                Duration::ZERO,
            )
            .await;
            return;
        };
        let outcome = pusher.deliver(item).await;
        self.record(item, outcome, pusher.attempts(), pusher.backoff())
            .await;
    }

    async fn record(&self, item: &OutboxItem, outcome: Delivery, attempts: u32, backoff: Duration) {
        let now = self.clock.now_ms();
        let channel = item.channel.clone();
        let result = match outcome {
            Delivery::Sent => {
                metrics::counter!("guichet_outbox_total", "channel" => channel, "outcome" => "sent")
                    .increment(1);
                metrics::histogram!("guichet_outbox_delay_seconds", "channel" => item.channel.clone())
                    .record((now - item.created_ms).max(0) as f64 / 1000.0);
                self.store.outbox_sent(item.id, now).await
            }
            Delivery::Retry { parts_done, error } if item.attempts < i64::from(attempts) => {
                let factor = 1u32 << (item.attempts.clamp(1, 16) - 1) as u32;
                let pause = backoff.saturating_mul(factor).min(MAX_BACKOFF);
                tracing::warn!(outbox = item.id, conversation = %item.conversation_id, channel = %item.channel, attempt = item.attempts, error = %error, "a delivery will be tried again");
                metrics::counter!("guichet_outbox_total", "channel" => channel, "outcome" => "retry")
                    .increment(1);
                self.store
                    .outbox_retry(
                        item.id,
                        now + pause.as_millis() as i64,
                        parts_done,
                        &error,
                        now,
                    )
                    .await
            }
            Delivery::Retry { error, .. } | Delivery::Failed(error) => {
                tracing::warn!(outbox = item.id, conversation = %item.conversation_id, channel = %item.channel, error = %error, "a delivery is given up");
                metrics::counter!("guichet_outbox_total", "channel" => channel, "outcome" => "failed")
                    .increment(1);
                self.store.outbox_failed(item.id, &error, now).await
            }
        };
        if let Err(e) = result {
            // The lease runs out and the row is claimed again.
            tracing::error!(outbox = item.id, error = %e, "a delivery could not be recorded");
        }
    }

    /// Runs until the task is aborted: delivers at once when a turn adds
    /// rows, and at least every second (rows retried later, rows another
    /// replica's turn added, rows of a worker that died).
    pub async fn run(self: Arc<Self>) {
        loop {
            self.deliver_due().await;
            let wait = match self.store.next_outbox_due().await {
                Ok(Some(at)) => {
                    let ms = (at - self.clock.now_ms()).clamp(10, 1000);
                    Duration::from_millis(ms as u64)
                }
                _ => Duration::from_secs(1),
            };
            tokio::select! {
                _ = self.signals.outbox.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }
}
