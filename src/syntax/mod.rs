//! Syntax: the grammar (`grammar/guichet.pest`), the syntax tree with
//! spans, syntax errors in plain words, and the formatter. Only this
//! module sees pest.

pub mod ast;
pub mod blocks;
mod errors;
mod fast;
pub mod format;
mod parser;

pub use format::format_source;
pub use parser::parse_file;

/// Whether `word` is reserved by the grammar, so no name can be it.
pub fn is_reserved(word: &str) -> bool {
    fast::RESERVED.contains(&word)
}
