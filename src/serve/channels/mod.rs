//! Channels other than the web widget: adapters over the one conversation
//! service. A channel that pushes (Messenger) gets its messages through
//! the outbox, written in the same commit as the events.

pub mod messenger;

use crate::runtime::Button;

/// Messenger's quick replies: at most 13, titles of at most 20 characters.
pub const MAX_QUICK_REPLIES: usize = 13;
pub const MAX_TITLE_CHARS: usize = 20;

/// Whether these buttons are shown as a numbered list (the citizen
/// answers with a number) rather than as quick replies.
pub fn numbered_list(buttons: &[Button]) -> bool {
    buttons.len() > MAX_QUICK_REPLIES
        || buttons
            .iter()
            .any(|b| b.label.chars().count() > MAX_TITLE_CHARS)
}
