//! The first turn after a session was carried over to a changed bot: the
//! citizen is told, in their language, and a conversation sent back to a
//! safe point asks its question from there.

use super::Turn;
use crate::runtime::events::Event;
use crate::runtime::records::Abandon;
use crate::runtime::session::BotChanged;
use crate::runtime::RuntimeError;
use indexmap::IndexMap;

impl<'p> Turn<'p> {
    /// Says what changed. Returns whether the turn is over: when the
    /// conversation moved, the citizen's input answered a question that is
    /// gone, so it is not applied and the question of the safe point is
    /// asked instead.
    pub(super) fn resume_after_change(&mut self, change: BotChanged) -> Result<bool, RuntimeError> {
        self.bot_changed = Some(change);
        trace!(self, "the bot changed under this conversation: {change:?}");
        let message = match change {
            BotChanged::Restarted => &self.program.session_restarted,
            BotChanged::Updated | BotChanged::Moved => &self.program.session_moved,
        };
        let text = self.render_message(&IndexMap::new(), message)?;
        if !text.is_empty() {
            self.events.push(Event::Say {
                text,
                buttons: vec![],
                links: vec![],
            });
        }
        if change != BotChanged::Moved {
            return Ok(false);
        }
        let Some(top) = self.top() else {
            return Ok(true);
        };
        let settled = if Self::awaiting(&self.session.stack[top]) {
            self.reask(top)
        } else {
            self.run()
        };
        if let Err(e) = settled {
            // The safe point itself fails (a mistake in the edited flow):
            // the conversation starts over rather than stay stuck on it,
            // since every later input would meet the same failure.
            trace!(
                self,
                "the safe point failed ({e}): the conversation starts over"
            );
            self.events.clear();
            if self.recording {
                // For statistics, every flow was abandoned where it stood.
                let ended: Vec<_> = (0..self.session.stack.len())
                    .rev()
                    .map(|i| self.ended(i, &self.session.stack[i], Some(Abandon::Restart)))
                    .collect();
                self.records.extend(ended);
            }
            self.session.stack.clear();
            self.fuel = super::FUEL_PER_TURN;
            self.bot_changed = Some(BotChanged::Restarted);
            let text = self.render_message(&IndexMap::new(), &self.program.session_restarted)?;
            if !text.is_empty() {
                self.events.push(Event::Say {
                    text,
                    buttons: vec![],
                    links: vec![],
                });
            }
        }
        Ok(true)
    }
}
