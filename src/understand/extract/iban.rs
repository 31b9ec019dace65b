//! Extractor (not yet written).

use super::{Context, Extraction};
use crate::understand::normalize::Input;

pub fn extract(_input: &Input, _ctx: &Context) -> Extraction {
    Extraction::default()
}
