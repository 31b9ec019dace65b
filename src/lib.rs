//! guichet: a dialogue scripting language and interpreter for the chatbots
//! that towns and public services put in front of citizens.
#![forbid(unsafe_code)]

pub mod check;
pub mod compile;
pub mod diagnostics;
pub mod load;
pub mod render;
pub mod stdlib;
pub mod syntax;
pub mod understand;
pub mod values;
