//! The state of recent conversations, kept in memory after each turn, so
//! that the next turn of the same conversation starts without reading it
//! back (a read after any commit starts from an empty page cache: SQLite
//! drops it when another connection has written).
//!
//! Only this process's turns change a conversation's row and its client
//! message ids (`write_turn`), each under the conversation's lock, and an
//! entry is replaced as each commits. What else writes deletes
//! (expiry, erasure, another process's `guichet erase`): a turn that starts
//! from a state since deleted finds no row to update and fails as it would
//! have without the cache; and every turn's update checks that the row is
//! still the one it read (`last_seq`, `updated_ms`), so a change made
//! behind the cache's back is refused, never overwritten.

use crate::serve::store::ConversationState;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// Conversations kept at most: about a kilobyte each.
const CAPACITY: usize = 4096;

struct Entry {
    state: ConversationState,
    /// Every client message id the conversation has answered.
    client_ids: HashSet<String>,
    used: u64,
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Entry>,
    tick: u64,
}

/// What the cache knows of a conversation for one input.
pub(super) struct Cached {
    pub state: ConversationState,
    /// Whether the input's client message id was answered already.
    pub answered: bool,
}

#[derive(Default)]
pub(super) struct SessionCache {
    entries: Mutex<Entries>,
}

impl SessionCache {
    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The conversation's state, if kept, and whether `client_id` was
    /// answered.
    pub(super) fn get(&self, id: &str, client_id: Option<&str>) -> Option<Cached> {
        let mut entries = self.entries();
        entries.tick += 1;
        let tick = entries.tick;
        let entry = entries.map.get_mut(id)?;
        entry.used = tick;
        Some(Cached {
            state: entry.state.clone(),
            answered: client_id.is_some_and(|c| entry.client_ids.contains(c)),
        })
    }

    /// Keeps a conversation's state as read from the store, with all its
    /// client message ids.
    pub(super) fn put(&self, state: ConversationState, client_ids: HashSet<String>) {
        let mut entries = self.entries();
        entries.tick += 1;
        let used = entries.tick;
        if entries.map.len() >= CAPACITY && !entries.map.contains_key(&state.info.id) {
            evict(&mut entries.map);
        }
        entries.map.insert(
            state.info.id.clone(),
            Entry {
                state,
                client_ids,
                used,
            },
        );
    }

    /// A turn committed: its conversation's new state, and the client
    /// message id it answered. Kept only if the conversation was.
    pub(super) fn committed(&self, state: ConversationState, client_id: Option<String>) {
        let mut entries = self.entries();
        let Some(entry) = entries.map.get_mut(&state.info.id) else {
            return;
        };
        entry.state = state;
        if let Some(c) = client_id {
            entry.client_ids.insert(c);
        }
    }

    /// The conversation's state is unknown (a commit failed): read it
    /// again next time.
    pub(super) fn forget(&self, id: &str) {
        self.entries().map.remove(id);
    }
}

/// Drops the least recently used quarter.
fn evict(map: &mut HashMap<String, Entry>) {
    let mut used: Vec<u64> = map.values().map(|e| e.used).collect();
    let k = used.len() / 4;
    let (_, cut, _) = used.select_nth_unstable(k);
    let cut = *cut;
    map.retain(|_, e| e.used > cut);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::store::ConversationInfo;

    fn state(id: &str, last_seq: i64) -> ConversationState {
        ConversationState {
            info: ConversationInfo {
                id: id.into(),
                token_hash: vec![1],
                channel: "web".into(),
                external_key: None,
                lang: Some("fr".into()),
                last_seq,
                updated_ms: 0,
                mode: "bot".into(),
            },
            session: "{}".into(),
            offered: "[]".into(),
        }
    }

    #[test]
    fn a_commit_replaces_the_state_and_adds_its_client_id() {
        let cache = SessionCache::default();
        assert!(cache.get("a", Some("m1")).is_none());
        cache.put(state("a", 3), HashSet::from(["m1".to_string()]));
        let hit = cache.get("a", Some("m1")).unwrap();
        assert!(hit.answered);
        assert_eq!(hit.state.info.last_seq, 3);
        assert!(!cache.get("a", Some("m2")).unwrap().answered);
        cache.committed(state("a", 6), Some("m2".into()));
        let hit = cache.get("a", Some("m2")).unwrap();
        assert!(hit.answered);
        assert_eq!(hit.state.info.last_seq, 6);
        // A conversation not kept is not added by a commit.
        cache.committed(state("b", 1), Some("x".into()));
        assert!(cache.get("b", None).is_none());
        cache.forget("a");
        assert!(cache.get("a", None).is_none());
    }

    #[test]
    fn the_least_recently_used_go_first_when_full() {
        let cache = SessionCache::default();
        for i in 0..CAPACITY {
            cache.put(state(&format!("c{i}"), 0), HashSet::new());
        }
        // c0 used again: the oldest is now c1.
        assert!(cache.get("c0", None).is_some());
        cache.put(state("new", 0), HashSet::new());
        let entries = cache.entries();
        assert!(entries.map.len() <= CAPACITY);
        assert!(entries.map.len() >= CAPACITY * 3 / 4);
        assert!(entries.map.contains_key("c0"));
        assert!(entries.map.contains_key("new"));
        assert!(!entries.map.contains_key("c1"));
    }
}
