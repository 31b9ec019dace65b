//! guichet: a dialogue scripting language and interpreter for the chatbots
//! that towns and public services put in front of citizens.
#![forbid(unsafe_code)]

pub mod understand;
pub mod values;
pub mod diagnostics;
pub mod syntax;
pub mod compile;
pub mod load;
pub mod stdlib;
pub mod check;
pub mod render;
