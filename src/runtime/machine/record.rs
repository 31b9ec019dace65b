//! Statistics records: the helpers the rest of the machine calls where
//! things happen (see `runtime::records`).

use super::Turn;
use crate::runtime::records::{frame_step, step_of, Abandon, Record, StartedBy, Step};
use crate::runtime::session::Frame;
use crate::understand::matcher::{Explain, Match};
use crate::understand::Input as Message;

/// The lowest score that still names a closest flow for a message the bot
/// did not understand.
const CLOSEST_FLOOR: f32 = 0.05;

impl<'p> Turn<'p> {
    /// The flow just pushed on top started, `by` the citizen or the bot.
    pub(super) fn started(&mut self, by: StartedBy) {
        if !self.recording {
            return;
        }
        let Some(top) = self.session.stack.last() else {
            return;
        };
        let flow = top.flow.to_string();
        let below = self.session.stack.len().checked_sub(2);
        let by = if top.digression && by != StartedBy::Call {
            if let Some(i) = below {
                let from = self.session.stack[i].flow.to_string();
                self.records.push(Record::Digression {
                    from,
                    to: flow.clone(),
                });
            }
            StartedBy::Digression
        } else {
            by
        };
        self.records.push(Record::FlowStarted { flow, by });
    }

    /// How the frame at `idx`, removed from the stack, ended: completed,
    /// or abandoned (`how`, or after its attempts when its form gave up).
    pub(super) fn ended(&self, idx: usize, frame: &Frame, how: Option<Abandon>) -> Record {
        let flow = frame.flow.to_string();
        if let Some((_, step)) = self.gave_up.as_ref().filter(|(i, _)| *i == idx) {
            return Record::FlowAbandoned {
                flow,
                step: Some(step.clone()),
                how: Abandon::Attempts,
            };
        }
        match how {
            Some(how) => Record::FlowAbandoned {
                step: self
                    .program
                    .flow(&frame.flow)
                    .and_then(|f| frame_step(f, frame)),
                flow,
                how,
            },
            None => Record::FlowCompleted { flow },
        }
    }

    /// Every flow on the stack ends (`cancel`, `close`, hand-over): the one
    /// running completes, those it interrupted are abandoned.
    pub(super) fn end_all(&mut self, how: Abandon) {
        if !self.recording {
            return;
        }
        let top = self.session.stack.len().saturating_sub(1);
        for i in (0..self.session.stack.len()).rev() {
            let frame = &self.session.stack[i];
            let running = i == top && !Self::awaiting(frame);
            let r = self.ended(i, frame, (!running).then_some(how));
            self.records.push(r);
        }
    }

    /// The flow a message not understood came closest to, and its score:
    /// the best match found, or else the best of a wider search.
    pub(super) fn closest_flow(
        &self,
        input: &Message,
        best: Option<&Match>,
    ) -> (Option<String>, f32) {
        let wider;
        let best = match best {
            Some(m) => Some(m),
            None => {
                wider = self.program.triggers.find_above(
                    input,
                    Some(self.session.lang),
                    1,
                    CLOSEST_FLOOR,
                    Explain::No,
                );
                wider.first()
            }
        };
        let flow = best
            .and_then(|m| self.program.trigger_flows.get(m.spec))
            .and_then(|&id| self.program.flows.get(id))
            .map(|f| f.name.clone());
        (flow, best.map_or(0.0, |m| m.score))
    }

    /// The step of the form of the frame at `idx`, if one is in progress.
    pub(super) fn step_at(&self, idx: usize) -> Option<Step> {
        let frame = self.session.stack.get(idx)?;
        let flow = self.program.flow(&frame.flow)?;
        frame_step(flow, frame)
    }

    /// The step of slot `slot` of the form in progress at `idx`.
    pub(super) fn slot_step(&self, idx: usize, slot: usize) -> Option<(String, Step)> {
        let frame = self.session.stack.get(idx)?;
        let flow = self.program.flow(&frame.flow)?;
        let fs = frame.form.as_ref()?;
        Some((flow.name.clone(), step_of(flow, fs.form, Some(slot))))
    }

    /// Records `make(flow, step)` for the step the frame at `idx` is at.
    pub(super) fn record_step(&mut self, idx: usize, make: impl FnOnce(String, Step) -> Record) {
        if !self.recording {
            return;
        }
        if let Some(step) = self.step_at(idx) {
            let flow = self.session.stack[idx].flow.to_string();
            self.records.push(make(flow, step));
        }
    }

    /// Records `make(flow, step)` for slot `slot` of the form at `idx`.
    pub(super) fn record_slot(
        &mut self,
        idx: usize,
        slot: usize,
        make: impl FnOnce(String, Step) -> Record,
    ) {
        if !self.recording {
            return;
        }
        if let Some((flow, step)) = self.slot_step(idx, slot) {
            self.records.push(make(flow, step));
        }
    }
}
