//! Syntax: the grammar (`grammar/guichet.pest`), the syntax tree with
//! spans, and syntax errors in plain words. Only this module sees pest.

pub mod ast;
mod errors;
mod parser;

pub use parser::parse_file;
