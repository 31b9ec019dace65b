//! guichet: a dialogue scripting language and interpreter for the chatbots
//! that towns and public services put in front of citizens.
//!
//! Load a bot once ([`Bot`] is `Send + Sync` and cheap to clone), open a
//! [`Session`] per conversation, and run turns: each takes one [`Input`]
//! and returns [`Event`]s, ending with `turn_end`. The clock is passed in,
//! so a turn is deterministic; the session is plain serde data.
//!
//! ```
//! use guichet::{Bot, Event, Input};
//!
//! let bot = Bot::from_sources(&[("bot.flow", r#"
//!     bot "Demo"
//!       languages en
//!     end
//!     flow hello
//!       triggers
//!         en: "hello"
//!       say en: "Hello, citizen!"
//!     end
//! "#)]).expect("the bot has no errors");
//! let now = chrono::NaiveDate::from_ymd_opt(2025, 4, 14).unwrap().and_hms_opt(10, 0, 0).unwrap();
//! let mut session = bot.new_session(None, 0);
//! let events = bot.turn(&mut session, Input::text("hello"), now);
//! assert!(matches!(&events[0], Event::Say { text, .. } if text == "Hello, citizen!"));
//! let saved = serde_json::to_string(&session).unwrap(); // store it anywhere
//! let mut session = bot.restore(&saved).unwrap().session; // and continue later
//! # let _ = bot.turn(&mut session, Input::Start, now);
//! ```
//!
//! The pipeline is visible in the modules: [`syntax`] (the grammar and the
//! tree) → [`check`] (diagnostics) → [`compile`] (the program) → [`runtime`]
//! (sessions and turns), with [`understand`] (matching, value extraction,
//! language detection) and [`values`] beside them.
#![forbid(unsafe_code)]

pub mod analysis;
pub mod bot;
pub mod check;
pub mod compat;
pub mod compile;
pub mod diagnostics;
/// The checks the fuzz targets and `tests/fuzz_corpus.rs` run; not part of the API.
#[doc(hidden)]
pub mod fuzz_checks;
pub mod graph;
pub mod load;
pub mod lookup;
pub mod privacy;
/// Rendering diagnostics for a terminal (miette), with the `cli` feature.
#[cfg(feature = "cli")]
pub mod render;
pub mod runtime;
/// The server (`guichet serve`), with the `serve` feature.
#[cfg(feature = "serve")]
pub mod serve;
pub mod stdlib;
pub mod syntax;
pub mod understand;
pub mod values;

pub use bot::{ActionOutcome, Actions, Bot, LoadError, RestoreError, Restored, TurnOutcome};
pub use runtime::{Event, Input, Session};
pub use values::{Lang, Value};
pub mod testing;
