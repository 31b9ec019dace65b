//! Native built-in functions. Definitions written in the language itself
//! live in the top-level `stdlib/` folder.

pub mod signatures;
