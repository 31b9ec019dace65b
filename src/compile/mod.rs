//! Compiling a checked bot into the immutable program the runtime runs.

pub mod tables;
