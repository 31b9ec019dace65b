//! Follow-ups: after an answer, "Et à Noël ?" asks the same question again
//! with another value. A short message that opens like a follow-up ("et",
//! "and", "en"), holds a value of a type the last answering flow asked
//! for, and nothing that flow is not about, runs that flow again with the
//! new value and its other answers kept.

use super::Turn;
use crate::compile::{Flow, Instr};
use crate::runtime::records::StartedBy;
use crate::runtime::session::{Frame, LastAnswer};
use crate::runtime::RuntimeError;
use crate::understand::cues::{self, Cue};
use crate::understand::Input as Message_;
use crate::values::SlotType;

/// A follow-up comes within this many turns of the answer.
pub const FOLLOW_UP_TURNS: u64 = 4;
/// A follow-up is short: at most this many words.
const FOLLOW_UP_WORDS: usize = 10;

impl<'p> Turn<'p> {
    /// Keeps what a flow that asked and answered took, for follow-ups.
    pub(super) fn remember_answer(&mut self, frame: &Frame) -> Result<(), RuntimeError> {
        let flow = self.flow(&frame.flow)?;
        if !answers_after_asking(flow) {
            return Ok(());
        }
        let slots = flow
            .slot_names()
            .filter_map(|n| Some((n.to_string(), frame.vars.get(n)?.clone())))
            .filter(|(_, v)| !v.is_null())
            .collect();
        self.session.last_answer = Some(Box::new(LastAnswer {
            flow: frame.flow.clone(),
            slots,
            turn: self.session.turns,
        }));
        Ok(())
    }

    /// Runs the last answering flow again when the message is a follow-up
    /// to it; `false` when it is not.
    pub(super) fn follow_up(&mut self, input: &Message_) -> Result<bool, RuntimeError> {
        let Some(last) = self.session.last_answer.clone() else {
            return Ok(false);
        };
        let lang = self.lang();
        if self.session.turns.saturating_sub(last.turn) > FOLLOW_UP_TURNS
            || input.tokens.len() > FOLLOW_UP_WORDS
        {
            return Ok(false);
        }
        let Some(opening) = cues::at(&input.tokens, 0, Cue::FollowUp, lang) else {
            return Ok(false);
        };
        let Some(flow) = self.program.flow(&last.flow) else {
            return Ok(false);
        };
        let Some(form) = flow.forms.first() else {
            return Ok(false);
        };
        // The first slot, in the form's order, whose type the message holds.
        let mut found = None;
        for slot in &form.slots {
            self.burn()?;
            if matches!(slot.ty, SlotType::Text | SlotType::Name | SlotType::YesNo) {
                continue;
            }
            if let Some(c) = self.read_slot(slot, input).kept.into_iter().next() {
                found = Some((slot, c));
                break;
            }
        }
        let Some((slot, value)) = found else {
            return Ok(false);
        };
        // Nothing else but the opening, the value and words of the flow.
        let mut spans = vec![value.span.clone()];
        if let Some(last_word) = input.tokens.get(opening - 1) {
            let first = &input.tokens[0];
            spans.push(input.folded.original_span(first.start..last_word.end));
        }
        let rest = input.without(&spans);
        let id = self
            .program
            .flow_ids
            .get(flow.name.as_str())
            .copied()
            .unwrap_or(usize::MAX);
        let beside = self.program.triggers.words_beside(&rest, lang, id, None);
        let topic = flow.topic_stems();
        let other = beside.iter().find(|b| {
            rest.tokens.get(b.token).is_some_and(|t| {
                t.text.chars().count() >= 3
                    && !cues::is(&t.text, Cue::Filler, lang)
                    && !topic.contains(&b.stem)
            })
        });
        if let Some(b) = other {
            trace!(
                self,
                "not a follow-up to {}: \"{}\" is not about it",
                flow.name,
                rest.tokens.get(b.token).map_or("", |t| t.text.as_str())
            );
            return Ok(false);
        }
        trace!(
            self,
            "follow-up to {}: {} from \"{}\", its other answers kept",
            flow.name,
            slot.name,
            input.original.get(value.span.clone()).unwrap_or("")
        );
        let name: &'p str = &flow.name;
        self.intent = Some(name);
        self.push(name, Some(input.original.clone()), false)?;
        self.started(StartedBy::Trigger);
        if let Some(frame) = self.session.stack.last_mut() {
            for (k, v) in &last.slots {
                if *k != slot.name {
                    frame.vars.insert(k.clone(), v.clone());
                }
            }
        }
        self.run()?;
        Ok(true)
    }
}

/// A flow that asks (a form) and then only answers: no action, hand-over
/// or change to the conversation, so asking it again changes nothing.
fn answers_after_asking(flow: &Flow) -> bool {
    !flow.forms.is_empty()
        && flow.code.iter().all(|i| {
            matches!(
                i,
                Instr::Say(_)
                    | Instr::Set(..)
                    | Instr::Jump(_)
                    | Instr::JumpUnless(..)
                    | Instr::Match(..)
                    | Instr::Stop
                    | Instr::Return(_)
                    | Instr::Form(_)
            )
        })
}
