//! One async mutex per conversation, for the embedded store's turns. Entries
//! are weak: a conversation nobody is using costs nothing once swept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

#[derive(Default)]
pub(super) struct LockMap {
    map: Mutex<Locks>,
}

#[derive(Default)]
struct Locks {
    by_id: HashMap<String, Weak<AsyncMutex<()>>>,
    /// The size after the last sweep: the next sweep comes at twice it.
    swept_at: usize,
}

impl LockMap {
    pub(super) async fn lock(&self, id: &str) -> OwnedMutexGuard<()> {
        let mutex = {
            let mut locks = self.map.lock().unwrap_or_else(|e| e.into_inner());
            if locks.by_id.len() >= (locks.swept_at * 2).max(1024) {
                locks.by_id.retain(|_, w| w.strong_count() > 0);
                locks.swept_at = locks.by_id.len();
            }
            match locks.by_id.get(id).and_then(Weak::upgrade) {
                Some(m) => m,
                None => {
                    let m = Arc::new(AsyncMutex::new(()));
                    locks.by_id.insert(id.to_string(), Arc::downgrade(&m));
                    m
                }
            }
        };
        mutex.lock_owned().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_holder_per_conversation_and_unused_entries_are_swept() {
        let map = LockMap::default();
        let a = map.lock("a").await;
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(20), map.lock("a"))
                .await
                .is_err()
        );
        let _b = map.lock("b").await;
        drop(a);
        let _a = map.lock("a").await;
        for i in 0..3000 {
            drop(map.lock(&format!("c{i}")).await);
        }
        assert!(map.map.lock().unwrap().by_id.len() < 2100);
    }
}
