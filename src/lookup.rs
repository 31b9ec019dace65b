//! Hash maps for lookup tables built from a bot and its lexicons (flows by
//! name, vocabulary, stems, stop words) and for the small per-message maps
//! keyed by numbers of ours.
//!
//! The keys looked up come from citizens, but no table grows from what a
//! citizen types: a flood of crafted words cannot lengthen a table's probe
//! chains, so the DoS-resistant default hasher would only cost time.

pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
pub type FastSet<K> = rustc_hash::FxHashSet<K>;
