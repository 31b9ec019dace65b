//! A broad trigger does not answer a question it was not asked: "c'est
//! quoi les horaires du parc à conteneurs ?" matches the town hall's
//! "horaires *", but names something the town hall's hours are not about.
//! Then the bot says what it knows (the entry, as a button) and offers a
//! person, rather than answering confidently.

use super::Turn;
use crate::compile::{Flow, Instr};
use crate::runtime::phrases::Phrase;
use crate::runtime::records::Record;
use crate::runtime::RuntimeError;
use crate::understand::cues::{self, Cue};
use crate::understand::extract::{self, Context};
use crate::understand::matcher::Match;
use crate::understand::normalize::{fold, tokenize};
use crate::understand::stem::stem;
use crate::understand::Input as Message_;
use crate::values::SlotType;
use std::ops::Range;

/// A word required by more targets than this is common in the bot, not
/// the name of another topic.
const DISTINCTIVE_TARGETS: u32 = 3;

impl<'p> Turn<'p> {
    /// Whether the message names something `flow`, which only answers
    /// (an FAQ entry, a flow that only says things) and has a label, is
    /// not about; if so, says what the bot knows instead (the label, as a
    /// button) and offers a person. A flow that acts (hands over, cancels,
    /// asks) is what the citizen asked for.
    pub(super) fn not_about(
        &mut self,
        flow: &'p Flow,
        m: &Match,
        input: &Message_,
    ) -> Result<bool, RuntimeError> {
        // Without a label, the bot could not say what the entry is about.
        if flow.label.is_empty() || !only_answers(flow) {
            return Ok(false);
        }
        let lang = self.lang();
        let beside = self
            .program
            .triggers
            .words_beside(input, lang, m.target, Some(m.spec));
        if beside.is_empty() {
            return Ok(false);
        }
        let values = self.value_spans(input);
        let topic = flow.topic_stems();
        let name: Vec<String> = tokenize(&fold(&self.program.name))
            .iter()
            .map(|t| stem(&t.text, lang).into_owned())
            .collect();
        let foreign: Vec<&str> = beside
            .iter()
            .filter(|b| {
                let Some(token) = input.tokens.get(b.token) else {
                    return false;
                };
                let span = input.folded.original_span(token.start..token.end);
                token.text.chars().count() >= 3
                    && !values
                        .iter()
                        .any(|v| v.start <= span.start && span.end <= v.end)
                    && !cues::is(&token.text, Cue::Filler, lang)
                    && !topic.contains(&b.stem)
                    && !name.contains(&b.stem)
                    && b.known_by <= DISTINCTIVE_TARGETS
            })
            .filter_map(|b| input.tokens.get(b.token).map(|t| t.text.as_str()))
            .collect();
        if foreign.is_empty() {
            return Ok(false);
        }
        trace!(
            self,
            "not about {}: the message also names {} (not in its triggers or answer); its topic is offered with a person",
            flow.name,
            foreign
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        self.unmatched = true;
        record!(
            self,
            Record::Unmatched {
                closest: Some(flow.name.clone()),
                score: m.score,
                ambiguous: false,
            }
        );
        let extra = self.fallback_buttons()?;
        let Some(id) = self.program.flow_ids.get(flow.name.as_str()).copied() else {
            return Ok(false);
        };
        self.offer_flows_with(&[id], Phrase::NotSureItIsAbout, extra);
        Ok(true)
    }

    /// Where the message holds a date, a time or a number: words that say
    /// when or how many ("le samedi", "demain") are no other topic.
    fn value_spans(&self, input: &Message_) -> Vec<Range<usize>> {
        let ctx = Context {
            lang: self.lang(),
            now: self.now,
            policy: Default::default(),
            order: self.program.date_order,
            choice: None,
        };
        [SlotType::Date, SlotType::Time, SlotType::Number]
            .iter()
            .flat_map(|ty| extract::extract(ty, input, &ctx).candidates)
            .map(|c| c.span)
            .collect()
    }
}

/// A flow that says things and nothing else: no question, action,
/// hand-over or change to the conversation.
fn only_answers(flow: &Flow) -> bool {
    flow.forms.is_empty()
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
            )
        })
}
