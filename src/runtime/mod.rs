//! The runtime: sessions, turns, expression evaluation, events.

mod eval;
pub mod events;
mod machine;
pub mod migrate;
mod phrases;
pub mod records;
pub mod session;

pub use events::{ActionResult, Button, Event, Expecting, Input, Link};
pub use machine::{
    offered_payloads, Turn, FUEL_PER_TURN, GLOBAL_FLOWS, MAX_MESSAGE_BYTES, MAX_STACK,
};
pub use records::Record;
pub use session::{
    Anchor, BotChanged, FormState, Frame, PendingAction, Phase, Reply, Session, REPLIES_KEPT,
    SESSION_FORMAT,
};

use std::fmt;

/// A problem during a turn: it becomes an `error` event and the session
/// stays as it was before the turn.
#[derive(Debug, Clone, PartialEq)]
pub struct RuntimeError {
    pub code: String,
    pub message: String,
}

impl RuntimeError {
    pub fn new(code: &str, message: impl Into<String>) -> RuntimeError {
        RuntimeError {
            code: code.to_string(),
            message: message.into(),
        }
    }
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for RuntimeError {}
