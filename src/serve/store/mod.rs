//! The conversation store: one trait per concern, each implemented for
//! SQLite (embedded, the default) and PostgreSQL (shared by replicas).
//! Handlers and the conversation service never see SQL.

pub mod handover;
pub mod postgres;
pub mod privacy;
pub mod sql;
pub mod sqlite;
pub mod stats;
pub(crate) mod stats_fold;

pub use privacy::{Erased, PrivacyStore, Purged, Selector};
pub use stats::{StatEvent, StatsQuery, StatsReport, StatsStore, StatsWrite, UnmatchedWrite};

pub use handover::{
    Case, CaseState, CaseWrite, InboxStore, MessengerDelivery, MessengerStore, Mode, NewOutbox,
    OutboxItem, OutboxState, OutboxStore, StaffAccount, StaffSession, StaffStore,
};

use async_trait::async_trait;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Why the store could not do something.
#[derive(Debug)]
pub enum StoreError {
    /// No such conversation (or it expired).
    NotFound,
    /// The conversation is locked by a turn that did not finish in time.
    Busy,
    /// A unique key already exists (a conversation id, an external key).
    Conflict,
    /// The database failed; the message is for logs (no personal data).
    Backend(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NotFound => f.write_str("not found"),
            StoreError::Busy => f.write_str("the conversation is busy"),
            StoreError::Conflict => f.write_str("already exists"),
            StoreError::Backend(m) => write!(f, "store: {m}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// A conversation to create.
#[derive(Debug, Clone)]
pub struct NewConversation {
    pub id: String,
    pub token_hash: Vec<u8>,
    /// `web`, `messenger`...
    pub channel: String,
    /// The channel's own key for the person, e.g. a Messenger page and PSID.
    pub external_key: Option<String>,
    pub lang: Option<String>,
    /// The session, as the runtime saves it (JSON).
    pub session: String,
    pub now_ms: i64,
}

/// What a request needs to know of a conversation before any turn.
#[derive(Debug, Clone)]
pub struct ConversationInfo {
    pub id: String,
    pub token_hash: Vec<u8>,
    pub channel: String,
    pub external_key: Option<String>,
    pub lang: Option<String>,
    pub last_seq: i64,
    pub updated_ms: i64,
    /// `bot`, `waiting` or `staff` (see `Mode`).
    pub mode: String,
}

/// The state a turn starts from, read under the conversation's lock.
#[derive(Debug, Clone)]
pub struct ConversationState {
    pub info: ConversationInfo,
    pub session: String,
    /// The buttons the last turn offered, JSON `[{"payload", "label"}]`.
    pub offered: String,
}

/// One numbered event of a conversation's log. `body` is a JSON object
/// whose first field is `type`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub seq: i64,
    pub body: String,
}

impl StoredEvent {
    /// `{"seq": N, "type": ...}`: the event as clients see it.
    pub fn to_json(&self) -> String {
        let rest = self.body.strip_prefix('{').unwrap_or("}");
        if rest.trim_start().starts_with('}') {
            format!("{{\"seq\":{}}}", self.seq)
        } else {
            format!("{{\"seq\":{},{rest}", self.seq)
        }
    }
}

/// An action the bot asked for, owed to it until its result is fed back.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRecord {
    pub conversation_id: String,
    pub action_id: String,
    pub name: String,
    /// JSON object.
    pub args: String,
    /// The input whose answer the action's events extend.
    pub client_id: Option<String>,
    pub state: ActionState,
    pub attempts: i64,
    pub created_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionState {
    /// Asked for; nobody has its result yet.
    Owed,
    /// The back office said it will answer later (202).
    Pending,
    /// Its result was fed to the bot.
    Done,
}

impl ActionState {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionState::Owed => "owed",
            ActionState::Pending => "pending",
            ActionState::Done => "done",
        }
    }
    pub fn parse(s: &str) -> ActionState {
        match s {
            "pending" => ActionState::Pending,
            "done" => ActionState::Done,
            _ => ActionState::Owed,
        }
    }
}

/// A new action row, written with the turn that asked for it.
#[derive(Debug, Clone)]
pub struct NewAction {
    pub action_id: String,
    pub name: String,
    pub args: String,
    pub client_id: Option<String>,
    pub token_hash: Vec<u8>,
}

/// Everything one turn changes, committed in one transaction.
#[derive(Debug, Clone, Default)]
pub struct TurnWrite {
    pub session: String,
    pub lang: Option<String>,
    /// `Some` when the turn offered (or withdrew) buttons.
    pub offered: Option<String>,
    /// Numbered from the state's `last_seq + 1`.
    pub events: Vec<StoredEvent>,
    /// The client's message id and the answer's events (as `to_json` lines
    /// joined by `\n`); `append` extends an answer already stored.
    pub answer: Option<AnswerWrite>,
    pub new_actions: Vec<NewAction>,
    pub action_states: Vec<(String, ActionState)>,
    pub now_ms: i64,
    /// The conversation's new mode, when it changes.
    pub mode: Option<Mode>,
    /// What the turn does to the conversation's case.
    pub case: Option<CaseWrite>,
    /// Messages owed to a pushing channel.
    pub outbox: Vec<NewOutbox>,
    /// The turn's statistics records, written in the same transaction.
    pub stats: Option<StatsWrite>,
}

#[derive(Debug, Clone)]
pub struct AnswerWrite {
    pub client_id: String,
    pub events: String,
    pub append: bool,
}

/// A conversation locked for one turn. Dropping it without `commit`
/// changes nothing and releases the lock.
#[async_trait]
pub trait LockedConversation: Send {
    fn state(&self) -> &ConversationState;
    /// The answer already given to this client message id, if any.
    async fn answer_for(&mut self, client_id: &str) -> Result<Option<String>, StoreError>;
    /// The state of an action of this conversation.
    async fn action(&mut self, action_id: &str) -> Result<Option<ActionRecord>, StoreError>;
    async fn commit(self: Box<Self>, write: TurnWrite) -> Result<(), StoreError>;
}

/// Conversations, their logs, client message ids and owed actions.
#[async_trait]
pub trait ConversationStore: Send + Sync {
    async fn create_conversation(&self, new: NewConversation) -> Result<(), StoreError>;
    async fn conversation(&self, id: &str) -> Result<Option<ConversationInfo>, StoreError>;
    async fn conversation_by_key(
        &self,
        channel: &str,
        external_key: &str,
    ) -> Result<Option<ConversationInfo>, StoreError>;
    /// Takes the conversation's turn lock, waiting at most `wait`
    /// (`Busy` then), and reads its state.
    async fn lock(
        &self,
        id: &str,
        wait: Duration,
    ) -> Result<Box<dyn LockedConversation>, StoreError>;
    /// `lock`, and the answer already given to `client_id` if any, read
    /// together where the backend can.
    async fn lock_for_input(
        &self,
        id: &str,
        client_id: &str,
        wait: Duration,
    ) -> Result<(Box<dyn LockedConversation>, Option<String>), StoreError> {
        let mut locked = self.lock(id, wait).await?;
        let answer = locked.answer_for(client_id).await?;
        Ok((locked, answer))
    }
    /// The events after `after`, oldest first, at most `limit`.
    async fn events_after(
        &self,
        id: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, StoreError>;
    async fn action_by_token(&self, token_hash: &[u8]) -> Result<Option<ActionRecord>, StoreError>;
    /// Owed actions untouched since `stale_before_ms`, marked as tried now
    /// (so that one replica takes each).
    async fn claim_owed_actions(
        &self,
        stale_before_ms: i64,
        now_ms: i64,
        limit: usize,
    ) -> Result<Vec<ActionRecord>, StoreError>;
    /// Gives an owed action a new callback token (its raw token is not
    /// kept, so one performed again after a restart gets a new one).
    async fn rekey_action(
        &self,
        conversation_id: &str,
        action_id: &str,
        token_hash: &[u8],
    ) -> Result<(), StoreError>;
    /// Deletes conversations idle since `before_ms`, with their logs.
    async fn expire_idle(&self, before_ms: i64) -> Result<u64, StoreError>;
    async fn ping(&self) -> Result<(), StoreError>;
}

/// A request filed through the demo back office.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DemoRequest {
    pub reference: String,
    pub kind: String,
    pub status: String,
    /// `YYYY-MM-DD`
    pub updated: String,
    pub conversation_id: Option<String>,
}

/// A payment taken through the demo back office's simulated page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DemoPayment {
    /// The page's key: random, so that nobody else's payment is opened.
    pub id: String,
    /// `P-2026-0001`, the `payment_id` the bot receives.
    pub reference: String,
    pub conversation_id: String,
    pub amount: String,
    pub currency: String,
    pub communication: String,
    pub description: String,
    pub lang: String,
    /// `pending`, `paid`, `refused`
    pub status: String,
    #[serde(skip)]
    pub callback_url: String,
}

/// The demo back office's tables, in the same store.
#[async_trait]
pub trait DemoStore: Send + Sync {
    /// The next number of a per-year sequence (1, 2, ...).
    async fn next_number(&self, sequence: &str, year: i32) -> Result<i64, StoreError>;
    async fn insert_request(&self, r: &DemoRequest, now_ms: i64) -> Result<(), StoreError>;
    async fn request(&self, reference: &str) -> Result<Option<DemoRequest>, StoreError>;
    async fn requests(&self, limit: usize) -> Result<Vec<DemoRequest>, StoreError>;
    /// Returns false when there is no such request.
    async fn set_request_status(
        &self,
        reference: &str,
        status: &str,
        updated: &str,
        now_ms: i64,
    ) -> Result<bool, StoreError>;
    async fn insert_payment(&self, p: &DemoPayment, now_ms: i64) -> Result<(), StoreError>;
    async fn payment(&self, id: &str) -> Result<Option<DemoPayment>, StoreError>;
    /// Moves a pending payment to `status`; false when it was not pending.
    async fn settle_payment(&self, id: &str, status: &str, now_ms: i64)
        -> Result<bool, StoreError>;
}

/// The whole store.
#[async_trait]
pub trait Store:
    ConversationStore
    + DemoStore
    + InboxStore
    + OutboxStore
    + StaffStore
    + MessengerStore
    + StatsStore
    + PrivacyStore
    + Send
    + Sync
{
    /// `sqlite` or `postgres`, for metrics and `/readyz`.
    fn backend(&self) -> &'static str;
    /// Events committed by other processes sharing the store: a
    /// conversation id and the seq of its newest event. `None` for a store
    /// that one process serves.
    fn remote_events(&self) -> Option<tokio::sync::broadcast::Receiver<(String, i64)>> {
        None
    }
}

/// Opens the store an URL names: `sqlite://PATH` (or a bare path),
/// `postgres://...`. Migrations are applied.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PgStore::connect(url).await?))
    } else {
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        if path.is_empty() {
            return Err(StoreError::Backend(
                "the SQLite store needs a file: sqlite://PATH".into(),
            ));
        }
        Ok(Arc::new(sqlite::SqliteStore::open(path).await?))
    }
}

/// The schema migrations of a backend, in order: (version, SQL).
pub(crate) type Migrations = &'static [(i64, &'static str)];
