//! guichet: a dialogue scripting language and interpreter for the chatbots
//! that towns and public services put in front of citizens.
#![forbid(unsafe_code)]

pub mod bot;
pub mod check;
pub mod compile;
pub mod diagnostics;
pub mod load;
pub mod runtime;
pub mod stdlib;
pub mod syntax;
pub mod understand;
pub mod values;

pub use bot::{ActionOutcome, Actions, Bot, LoadError, RestoreError, Restored, TurnOutcome};
pub use runtime::{Event, Input, Session};
pub use values::{Lang, Value};
pub mod render;
