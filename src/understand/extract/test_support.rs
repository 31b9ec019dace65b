//! What the extractors' unit tests share: one fixed moment and readers of
//! an extraction's outcome.

use super::{Context, Extraction, Reason};
use crate::values::{Lang, Value};

/// A context at a fixed moment (Friday 14 March 2025, 10:00), so that
/// relative readings do not depend on the day the tests run.
pub fn context(lang: Lang) -> Context<'static> {
    Context {
        lang,
        now: chrono::NaiveDate::from_ymd_opt(2025, 3, 14)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("a valid moment"),
        policy: Default::default(),
        order: Default::default(),
        choice: None,
    }
}

/// The best candidate's text value and the part of `text` it was read from.
pub fn best_text(found: &Extraction, text: &str) -> Option<(String, String)> {
    found.best().map(|c| {
        let Value::Text(v) = &c.value else {
            panic!("not a text value: {:?}", c.value)
        };
        (v.clone(), text[c.span.clone()].to_string())
    })
}

/// Why each refused reading was refused.
pub fn reasons(found: &Extraction) -> Vec<Reason> {
    found.rejected.iter().map(|r| r.reason).collect()
}
