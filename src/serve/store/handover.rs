//! The store's side of the hand-over to staff and of the channels that
//! push: cases in the staff inbox, staff accounts and sessions, the outbox
//! of messages owed to a pushing channel, and Messenger's deliveries.
//!
//! A case and the outbox rows of a turn are written by the turn's own
//! commit (`TurnWrite::case`, `TurnWrite::outbox`): what a citizen or a
//! member of staff sees and what is owed to Messenger never disagree.

use super::StoreError;
use async_trait::async_trait;

/// What a conversation is doing, kept on the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The bot answers.
    Bot,
    /// Handed over: in the staff queue. The bot still answers unless the
    /// settings say otherwise.
    Waiting,
    /// A person holds it: the bot does not answer.
    Staff,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Bot => "bot",
            Mode::Waiting => "waiting",
            Mode::Staff => "staff",
        }
    }
    pub fn parse(s: &str) -> Mode {
        match s {
            "waiting" => Mode::Waiting,
            "staff" => Mode::Staff,
            _ => Mode::Bot,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseState {
    Waiting,
    Claimed,
    Closed,
}

impl CaseState {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Waiting => "waiting",
            CaseState::Claimed => "claimed",
            CaseState::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> CaseState {
        match s {
            "claimed" => CaseState::Claimed,
            "closed" => CaseState::Closed,
            _ => CaseState::Waiting,
        }
    }
}

/// A hand-over in the staff inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: String,
    pub conversation_id: String,
    pub state: CaseState,
    /// The service it goes to (from the hand-over's reason and flow).
    pub service: String,
    pub reason: String,
    /// The flow the citizen was in.
    pub flow: Option<String>,
    pub lang: String,
    pub channel: String,
    /// JSON: `{"slots": {...}, "text": "...", "text_lang": "fr"}`.
    pub summary: String,
    /// The seq of the `handoff` event in the conversation's log.
    pub handoff_seq: i64,
    pub staff_login: Option<String>,
    pub staff_name: Option<String>,
    /// `returned` or `closed`, once closed.
    pub outcome: Option<String>,
    pub filed_ms: Option<i64>,
    pub created_ms: i64,
    pub claimed_ms: Option<i64>,
    pub closed_ms: Option<i64>,
    pub updated_ms: i64,
}

/// What a turn does to the conversation's case, in its transaction.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseWrite {
    /// A hand-over: a new case, waiting.
    Open(Box<Case>),
    /// A member of staff (or the Page's inbox) takes it.
    Claim {
        case_id: String,
        login: String,
        name: String,
    },
    /// Closed: handed back to the bot (`returned`) or `closed`.
    Finish { case_id: String, outcome: String },
    /// The citizen was told nobody is available; the request is filed.
    Filed { case_id: String },
    /// Something happened in it (a message): for the queue's order.
    Touch { case_id: String },
}

/// A message owed to a pushing channel, written with the turn.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOutbox {
    /// `messenger`, `ticketing`.
    pub channel: String,
    /// The log event it delivers, when it is one.
    pub seq: Option<i64>,
    /// The event's JSON body, or the hook's payload.
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    Due,
    Claimed,
    Sent,
    Failed,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Due => "due",
            OutboxState::Claimed => "claimed",
            OutboxState::Sent => "sent",
            OutboxState::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> OutboxState {
        match s {
            "claimed" => OutboxState::Claimed,
            "sent" => OutboxState::Sent,
            "failed" => OutboxState::Failed,
            _ => OutboxState::Due,
        }
    }
}

/// An outbox row a worker holds.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxItem {
    pub id: i64,
    pub conversation_id: String,
    pub channel: String,
    pub seq: Option<i64>,
    pub body: String,
    pub state: OutboxState,
    /// Claims so far, this one included.
    pub attempts: i64,
    pub parts_done: i64,
    pub created_ms: i64,
    pub error: Option<String>,
}

/// Cases, for the staff inbox.
#[async_trait]
pub trait InboxStore: Send + Sync {
    async fn case(&self, id: &str) -> Result<Option<Case>, StoreError>;
    /// The conversation's case that is not closed, if any.
    async fn open_case_of(&self, conversation_id: &str) -> Result<Option<Case>, StoreError>;
    /// Cases not closed, oldest first, at most `limit`.
    async fn open_cases(&self, limit: usize) -> Result<Vec<Case>, StoreError>;
    /// Cases closed since `since_ms`, newest first, at most `limit`.
    async fn closed_cases(&self, since_ms: i64, limit: usize) -> Result<Vec<Case>, StoreError>;
    /// Waiting cases created before `before_ms` whose citizen was not yet
    /// told that nobody is available.
    async fn unattended_cases(&self, before_ms: i64, limit: usize)
        -> Result<Vec<Case>, StoreError>;
    /// Cases held by `login` untouched since `before_ms`.
    async fn idle_claims(
        &self,
        login: &str,
        before_ms: i64,
        limit: usize,
    ) -> Result<Vec<Case>, StoreError>;
}

/// The outbox: rows are claimed per conversation in order (only the
/// oldest undelivered row of a conversation and channel is ever handed
/// out), with a lease: a worker that dies lets its rows be claimed again.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims up to `limit` rows due at `now_ms`, each the oldest
    /// undelivered row of its conversation and channel, until `lease_ms`.
    async fn claim_outbox(
        &self,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StoreError>;
    async fn outbox_sent(&self, id: i64, now_ms: i64) -> Result<(), StoreError>;
    /// Back to due at `due_ms`, with the parts already delivered.
    async fn outbox_retry(
        &self,
        id: i64,
        due_ms: i64,
        parts_done: i64,
        error: &str,
        now_ms: i64,
    ) -> Result<(), StoreError>;
    /// Given up: never sent. `error` is a code, without personal data.
    async fn outbox_failed(&self, id: i64, error: &str, now_ms: i64) -> Result<(), StoreError>;
    /// A conversation's rows on a channel, oldest first.
    async fn outbox_of(
        &self,
        conversation_id: &str,
        channel: &str,
    ) -> Result<Vec<OutboxItem>, StoreError>;
    /// The earliest time a row is due, for the worker's sleep.
    async fn next_outbox_due(&self) -> Result<Option<i64>, StoreError>;
    /// Deletes delivered rows older than `before_ms`.
    async fn prune_outbox(&self, before_ms: i64) -> Result<u64, StoreError>;
}

/// A staff account.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffAccount {
    pub login: String,
    /// Shown to citizens ("Marie"), never the login.
    pub name: String,
    /// An argon2 PHC string.
    pub password_hash: String,
    /// Service names, or `*` for all.
    pub services: Vec<String>,
}

/// A signed-in session.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffSession {
    pub login: String,
    /// The token every state-changing request carries.
    pub csrf: String,
    pub expires_ms: i64,
}

/// Staff accounts kept in the store (besides those of the settings) and
/// their sessions.
#[async_trait]
pub trait StaffStore: Send + Sync {
    /// Creates or replaces an account.
    async fn put_staff_account(&self, a: &StaffAccount, now_ms: i64) -> Result<(), StoreError>;
    async fn staff_account(&self, login: &str) -> Result<Option<StaffAccount>, StoreError>;
    async fn staff_accounts(&self) -> Result<Vec<StaffAccount>, StoreError>;
    async fn delete_staff_account(&self, login: &str) -> Result<bool, StoreError>;
    async fn create_staff_session(
        &self,
        token_hash: &[u8],
        session: &StaffSession,
        now_ms: i64,
    ) -> Result<(), StoreError>;
    /// The session, when it has not expired at `now_ms`.
    async fn staff_session(
        &self,
        token_hash: &[u8],
        now_ms: i64,
    ) -> Result<Option<StaffSession>, StoreError>;
    async fn delete_staff_session(&self, token_hash: &[u8]) -> Result<(), StoreError>;
    async fn prune_staff_sessions(&self, now_ms: i64) -> Result<u64, StoreError>;
}

/// A message Messenger delivered, kept until processed.
#[derive(Debug, Clone, PartialEq)]
pub struct MessengerDelivery {
    /// `message.mid`, or a key made from the sender, time and payload.
    pub mid: String,
    pub page_id: String,
    pub psid: String,
    /// The `messaging` item, JSON.
    pub body: String,
}

/// Messenger's deliveries, de-duplicated by `mid`, and the time of each
/// citizen's last message (the 24-hour window).
#[async_trait]
pub trait MessengerStore: Send + Sync {
    /// Keeps the deliveries not seen before; returns their mids.
    async fn receive_messenger(
        &self,
        items: &[MessengerDelivery],
        now_ms: i64,
    ) -> Result<Vec<String>, StoreError>;
    /// Takes these deliveries for processing (those still `received`),
    /// until `lease_ms`.
    async fn take_messenger(
        &self,
        mids: &[String],
        lease_ms: i64,
    ) -> Result<Vec<MessengerDelivery>, StoreError>;
    /// Deliveries received before `before_ms` and never processed, or
    /// whose processing lease has run out: taken until `lease_ms`.
    async fn take_stale_messenger(
        &self,
        before_ms: i64,
        now_ms: i64,
        lease_ms: i64,
        limit: usize,
    ) -> Result<Vec<MessengerDelivery>, StoreError>;
    /// Processed: its body is forgotten, its mid kept for de-duplication.
    async fn messenger_done(&self, mid: &str) -> Result<(), StoreError>;
    async fn set_last_message(&self, conversation_id: &str, at_ms: i64) -> Result<(), StoreError>;
    async fn last_message(&self, conversation_id: &str) -> Result<Option<i64>, StoreError>;
    /// Forgets the mids received before `before_ms`.
    async fn prune_messenger(&self, before_ms: i64) -> Result<u64, StoreError>;
}
