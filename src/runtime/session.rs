//! A conversation's state: plain data that serialises to JSON and resumes
//! in another process. It names flows by name (not index) so that a
//! session survives a reload of an edited bot when its flows still exist.

use crate::runtime::events::Event;
use crate::values::{Lang, Value};
use compact_str::CompactString;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Bumped when the saved shape changes incompatibly. Format 2 added the
/// anchors that carry a conversation over to an edited bot; a format-1
/// session is still read (see `Bot::restore`).
pub const SESSION_FORMAT: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub format: u32,
    /// Fingerprint of the bot the session was last run with; shared with
    /// the program, as every turn copies the session.
    pub bot: Arc<str>,
    pub lang: Lang,
    /// Whether the language was chosen or detected (before that, the first
    /// message decides).
    #[serde(default)]
    pub lang_settled: bool,
    #[serde(default)]
    pub stack: Vec<Frame>,
    #[serde(default)]
    pub next_action: u32,
    #[serde(default)]
    pub turns: u64,
    #[serde(default)]
    pub seed: u64,
    /// The last flow that answered a question with the values it asked
    /// for: a follow-up ("Et à Noël ?") asks it again with another value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_answer: Option<Box<LastAnswer>>,
    /// The payloads of the buttons the last turn showed: a button press is
    /// accepted only if it was offered (or is global, or answers the question).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offered: Vec<CompactString>,
    /// The last answers to inputs that carried an `id`, newest last, so
    /// that an input sent again is answered again and applied once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replies: Vec<Reply>,
    /// Set when the session was carried over to a changed bot and its
    /// place moved: the next turn tells the citizen, and its `turn_end`
    /// tells the host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<BotChanged>,
}

/// What a change of the bot did to a conversation in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BotChanged {
    /// It waits for the same thing, but some answers no longer fit the
    /// bot (a slot removed or retyped) and will be asked again.
    Updated,
    /// What it was waiting for is gone or changed: it goes on from a safe
    /// point (the form, keeping its answers), which asks again.
    Moved,
    /// It starts over: nothing of it could be carried over.
    Restarted,
}

/// Where a frame stands, in terms that survive an edit of its flow: the
/// flow's version, the step it waits at (a form or an action) or comes
/// back to (the call it made), and the types its slots were filled with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    #[serde(with = "hex")]
    pub flow: u64,
    #[serde(with = "hex", default, skip_serializing_if = "is_zero")]
    pub step: u64,
    /// The fingerprint of the form in progress.
    #[serde(with = "hex", default, skip_serializing_if = "is_zero")]
    pub form: u64,
    /// The slot being asked, as `name:type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asking: Option<CompactString>,
    /// The slots holding a value, as `name:type`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slots: Vec<CompactString>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Fingerprints as 16 hexadecimal digits: JSON numbers lose precision
/// past 2^53 in many hosts.
mod hex {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(n: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{n:016x}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        u64::from_str_radix(&text, 16).map_err(serde::de::Error::custom)
    }
}

/// A flow that asked for values and answered, as a follow-up finds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastAnswer {
    pub flow: CompactString,
    /// Its slots' values.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub slots: IndexMap<String, Value>,
    /// The session's turn count when it answered.
    pub turn: u64,
}

/// How many answered input ids a session remembers.
pub const REPLIES_KEPT: usize = 8;

/// The events one input with an `id` produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub id: String,
    pub events: Vec<Event>,
}

/// One running flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// Inline up to 24 bytes: starting a flow then allocates nothing for
    /// its name.
    pub flow: CompactString,
    pub pc: usize,
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub vars: IndexMap<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<FormState>,
    /// Boxed: it is rare, and inline it made a frame so large that the
    /// first flow of every turn asked the allocator for a "large" block,
    /// which is several times slower than a small one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Box<PendingAction>>,
    /// The caller's variable that receives this flow's result (`call ... as x`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    /// Started over an interrupted flow, which resumes when this one ends.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub digression: bool,
    /// The message that started the flow: its values pre-fill the first form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill: Option<String>,
    /// Where the frame stands in terms that survive an edit of the bot,
    /// brought up to date at the end of every turn. Shared: every turn
    /// copies the session, and most turns leave it as it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Arc<Anchor>>,
}

impl Frame {
    pub fn new(flow: &str) -> Frame {
        Frame {
            flow: CompactString::from(flow),
            pc: 0,
            vars: IndexMap::new(),
            form: None,
            pending: None,
            bind: None,
            digression: false,
            prefill: None,
            at: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Asking the slot `FormState::slot`.
    Filling,
    /// The summary was shown; waiting for yes, no, or a correction.
    Confirming,
    /// The citizen said no: waiting to know which slot to change.
    Correcting,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormState {
    pub form: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<usize>,
    #[serde(default)]
    pub attempts: u32,
    pub phase: Phase,
    /// Slots resolved without a value (optional and skipped, or `when` false).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingAction {
    pub id: String,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    pub on_failure: usize,
}
