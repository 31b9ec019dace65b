//! Understanding citizens: text normalisation, trigger and FAQ matching,
//! value extraction per slot type, and language detection.

pub mod cues;
pub mod eval;
pub mod extract;
pub mod langdetect;
pub mod matcher;
pub mod negation;
pub mod normalize;
pub mod question;
pub mod shape;
pub mod stem;
pub(crate) mod typo;

pub use normalize::Input;
