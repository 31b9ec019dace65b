//! The conversation service: the one place where a turn happens. Channels
//! (the web API, later Messenger and the staff inbox) call it; it knows no
//! HTTP and no SQL.

pub mod handover;
pub mod log;
pub mod notices;
mod round;
mod staff_ops;
pub mod stats;
mod turn;

use super::actions::ActionRouter;
use super::clock::{random_text, Clock, Random};
use super::hub::Hub;
use super::store::{ConversationInfo, NewConversation, Store, StoreError, StoredEvent};
use crate::values::Lang;
use crate::Bot;
use arc_swap::ArcSwap;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

pub use handover::{HandoverSettings, InboxSignal, Signals};
pub use log::{CitizenInput, Notice};
pub use staff_ops::{StaffMember, HUMAN_AGENT_WINDOW_MS, PAGE_INBOX};
pub use stats::StatsSettings;
pub use turn::{Answer, Completion};

/// The bot being served; a reload swaps it, and each conversation moves
/// to the new one at its next turn.
pub struct BotHolder {
    current: ArcSwap<Bot>,
}

impl BotHolder {
    pub fn new(bot: Bot) -> BotHolder {
        BotHolder {
            current: ArcSwap::from_pointee(bot),
        }
    }
    pub fn get(&self) -> Arc<Bot> {
        self.current.load_full()
    }
    pub fn set(&self, bot: Bot) {
        self.current.store(Arc::new(bot));
    }
}

/// Why the service refused or failed.
#[derive(Debug)]
pub enum ServiceError {
    UnknownConversation,
    BadInput(String),
    TextTooLong {
        chars: usize,
        limit: usize,
    },
    ButtonNotOffered,
    Busy,
    UnknownAction,
    RateLimited {
        retry_after_secs: u64,
    },
    UnknownCase,
    /// The case is not in a state that allows this (a stable code:
    /// `case_taken`, `case_closed`, `not_your_case`).
    CaseConflict(&'static str),
    /// Messenger no longer lets the Page write to this person (more than
    /// 7 days since their last message).
    OutsideWindow,
    Internal(String),
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> ServiceError {
        match e {
            StoreError::NotFound => ServiceError::UnknownConversation,
            StoreError::Busy => ServiceError::Busy,
            other => ServiceError::Internal(other.to_string()),
        }
    }
}

/// A conversation just created: its id and its secret.
#[derive(Debug, Clone)]
pub struct Created {
    pub id: String,
    pub token: String,
    pub lang: Lang,
}

/// A new conversation's channel and language.
#[derive(Debug, Clone, Default)]
pub struct NewChat {
    pub lang: Option<Lang>,
    pub channel: String,
    pub external_key: Option<String>,
}

/// What the service needs to know of its surroundings.
pub struct ServiceSettings {
    pub text_chars: usize,
    pub turn_wait: Duration,
    /// The server's public address, for callback URLs.
    pub public_url: String,
    /// Inputs a conversation may send, whatever its channel.
    pub per_conversation: crate::serve::ratelimit::RateLimiter,
    pub handover: HandoverSettings,
    /// The event record, idle flows, retention.
    pub stats: StatsSettings,
}

pub struct ConversationService {
    store: Arc<dyn Store>,
    bots: Arc<BotHolder>,
    hub: Arc<Hub>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn Random>,
    actions: ActionRouter,
    settings: ServiceSettings,
    signals: Arc<Signals>,
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl ConversationService {
    pub fn new(
        store: Arc<dyn Store>,
        bots: Arc<BotHolder>,
        hub: Arc<Hub>,
        clock: Arc<dyn Clock>,
        random: Arc<dyn Random>,
        actions: ActionRouter,
        settings: ServiceSettings,
    ) -> ConversationService {
        ConversationService {
            store,
            bots,
            hub,
            clock,
            random,
            actions,
            settings,
            signals: Arc::new(Signals::default()),
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }
    pub fn bots(&self) -> &Arc<BotHolder> {
        &self.bots
    }
    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }
    pub fn random(&self) -> &Arc<dyn Random> {
        &self.random
    }
    pub fn settings(&self) -> &ServiceSettings {
        &self.settings
    }

    /// Creates a conversation, with no event yet.
    pub async fn create(&self, new: NewChat) -> Result<Created, ServiceError> {
        let bot = self.bots.get();
        let session = bot.new_session(new.lang, self.random.next_u64());
        let lang = session.lang;
        let json =
            serde_json::to_string(&session).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let id = format!("c_{}", random_text(self.random.as_ref(), 16));
        let token = random_text(self.random.as_ref(), 24);
        self.store
            .create_conversation(NewConversation {
                id: id.clone(),
                token_hash: hash_token(&token),
                channel: new.channel,
                external_key: new.external_key,
                lang: new.lang.map(|l| l.to_string()),
                session: json,
                now_ms: self.clock.now_ms(),
            })
            .await?;
        metrics::counter!("guichet_conversations_created_total").increment(1);
        Ok(Created { id, token, lang })
    }

    /// The conversation, when `token` is its token.
    pub async fn authorize(&self, id: &str, token: &str) -> Result<ConversationInfo, ServiceError> {
        let info = self
            .store
            .conversation(id)
            .await?
            .ok_or(ServiceError::UnknownConversation)?;
        if !same(&info.token_hash, &hash_token(token)) {
            return Err(ServiceError::UnknownConversation);
        }
        Ok(info)
    }

    /// The events after `after`, at most `limit`.
    pub async fn history(
        &self,
        id: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<StoredEvent>, ServiceError> {
        Ok(self.store.events_after(id, after, limit).await?)
    }

    /// Live events of a conversation (subscribe before reading the store,
    /// then drop what was already read).
    pub fn subscribe(&self, id: &str) -> tokio::sync::broadcast::Receiver<StoredEvent> {
        self.hub.subscribe(id)
    }

    /// The conversation's language now (the session's).
    pub fn lang_of(&self, info: &ConversationInfo) -> String {
        info.lang
            .clone()
            .unwrap_or_else(|| self.bots.get().languages()[0].to_string())
    }

    /// Forwards events that other replicas committed to this process's
    /// open streams; runs until the store stops announcing.
    pub async fn relay_remote_events(self: Arc<Self>) {
        let Some(mut rx) = self.store.remote_events() else {
            return;
        };
        loop {
            match rx.recv().await {
                Ok((id, seq)) => {
                    // A marker without a body: a stream that sees it reads
                    // the events up to `seq` from the store.
                    self.hub.publish(
                        &id,
                        &[StoredEvent {
                            seq,
                            body: String::new(),
                        }],
                    );
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => return,
            }
        }
    }
}
