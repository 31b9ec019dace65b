//! Live events in this process: one broadcast channel per conversation
//! that has an open stream. A conversation nobody listens to costs
//! nothing; channels left without receivers are swept.

use super::store::StoredEvent;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::broadcast;

/// Events a slow stream may fall behind by before it re-reads the store.
const CAPACITY: usize = 64;

#[derive(Default)]
pub struct Hub {
    senders: Mutex<HashMap<String, broadcast::Sender<StoredEvent>>>,
}

impl Hub {
    pub fn subscribe(&self, id: &str) -> broadcast::Receiver<StoredEvent> {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        match senders.get(id) {
            Some(s) => s.subscribe(),
            None => {
                let (s, r) = broadcast::channel(CAPACITY);
                senders.insert(id.to_string(), s);
                r
            }
        }
    }

    pub fn has_listeners(&self, id: &str) -> bool {
        let senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        senders.get(id).is_some_and(|s| s.receiver_count() > 0)
    }

    /// Sends committed events to the conversation's open streams.
    pub fn publish(&self, id: &str, events: &[StoredEvent]) {
        if events.is_empty() {
            return;
        }
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        let Some(sender) = senders.get(id) else {
            return;
        };
        if sender.receiver_count() == 0 {
            senders.remove(id);
            return;
        }
        for e in events {
            let _ = sender.send(e.clone());
        }
    }

    /// Forgets the channels that no stream listens to any more.
    pub fn sweep(&self) {
        let mut senders = self.senders.lock().unwrap_or_else(|e| e.into_inner());
        senders.retain(|_, s| s.receiver_count() > 0);
    }

    /// Conversations with at least one open stream.
    pub fn conversations(&self) -> usize {
        self.senders.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn published_events_reach_subscribers_and_idle_channels_go() {
        let hub = Hub::default();
        let mut r = hub.subscribe("c1");
        hub.publish(
            "c1",
            &[StoredEvent {
                seq: 1,
                body: "{}".into(),
            }],
        );
        assert_eq!(r.recv().await.unwrap().seq, 1);
        hub.publish(
            "c2",
            &[StoredEvent {
                seq: 1,
                body: "{}".into(),
            }],
        );
        assert_eq!(hub.conversations(), 1);
        drop(r);
        hub.sweep();
        assert_eq!(hub.conversations(), 0);
    }
}
