//! The HTTP server's tests: one binary (`cargo test --test http`), with
//! the chat API, live events, actions, the demo back office, operations,
//! the store's conformance suite (SQLite and PostgreSQL) and real
//! processes killed mid-conversation.

mod handover_support;
mod support;

mod actions;
mod api;
mod backends;
mod dashboard;
mod demo;
mod erasure;
mod messenger;
mod messenger_staff;
mod ops;
mod privacy;
mod process;
mod sse;
mod staff;
mod staff_cli;
mod stats;
mod store;
mod store_handover;
mod studio;
