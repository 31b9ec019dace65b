//! The stack: calls and digressions, finishing flows, restarting, and
//! handing the conversation to a person.

use super::{err, Turn, MAX_STACK};
use crate::runtime::events::Event;
use crate::runtime::phrases::Phrase;
use crate::runtime::records::{Abandon, Record, StartedBy};
use crate::runtime::session::Frame;
use crate::runtime::RuntimeError;
use crate::values::Value;
use serde_json::Map;

impl<'p> Turn<'p> {
    pub(super) fn push(
        &mut self,
        flow: &str,
        prefill: Option<String>,
        digression: bool,
    ) -> Result<(), RuntimeError> {
        self.flow(flow)?;
        if self.session.stack.len() >= MAX_STACK {
            return Err(err("too many flows are running inside each other"));
        }
        let mut frame = Frame::new(flow);
        frame.prefill = prefill;
        frame.digression = digression && !self.session.stack.is_empty();
        self.session.stack.push(frame);
        Ok(())
    }

    /// Ends the frame at `idx` with a result; a digression hands the
    /// conversation back to the flow it interrupted.
    pub(super) fn finish(&mut self, idx: usize, value: Option<Value>) -> Result<(), RuntimeError> {
        let frame = self.session.stack.remove(idx);
        self.session.stack.truncate(idx);
        record!(self, self.ended(idx, &frame, None));
        self.remember_answer(&frame)?;
        // The result is built only for a caller that keeps it (`call ... as x`).
        if let (Some(bind), false) = (frame.bind, self.session.stack.is_empty()) {
            let result = match value {
                Some(v) => v,
                None => {
                    let flow = self.flow(&frame.flow)?;
                    Value::Record(
                        flow.slot_names()
                            .filter_map(|n| Some((n.to_string(), frame.vars.get(n)?.clone())))
                            .collect(),
                    )
                }
            };
            if let Some(parent) = self.session.stack.last_mut() {
                parent.vars.insert(bind, result);
            }
        }
        if frame.digression {
            if let Some(top) = self.top() {
                if Self::awaiting(&self.session.stack[top]) {
                    self.say_phrase(Phrase::Resume);
                    self.reask(top)?;
                }
            }
        }
        Ok(())
    }

    pub(super) fn restart(&mut self, idx: usize) -> Result<(), RuntimeError> {
        // `restart` in a digression (the stdlib's "start over") restarts the
        // flow it interrupted.
        let mut target = idx;
        while target > 0 && self.session.stack[target].digression {
            target -= 1;
        }
        if self.recording {
            for i in (target..self.session.stack.len()).rev() {
                let how = (i != idx || i == target).then_some(Abandon::Restart);
                let r = self.ended(i, &self.session.stack[i], how);
                self.records.push(r);
            }
        }
        self.session.stack.truncate(target + 1);
        let params = &self.flow(&self.session.stack[target].flow)?.params;
        let frame = &mut self.session.stack[target];
        // The flow starts again as its caller started it: with its arguments.
        let vars = params
            .iter()
            .filter_map(|p| Some((p.clone(), frame.vars.get(p)?.clone())))
            .collect();
        let fresh = Frame {
            digression: frame.digression,
            bind: frame.bind.take(),
            vars,
            ..Frame::new(&frame.flow)
        };
        *frame = fresh;
        self.started(StartedBy::Restart);
        Ok(())
    }

    pub(super) fn handoff(&mut self, reason: &str) -> Result<(), RuntimeError> {
        // The summary is about the service the citizen was using: the slots
        // of every flow in progress, the service first, not only those of
        // the "talk to a person" flow or a payment sub-flow on top of it.
        let mut slots = Map::new();
        let mut texts = Vec::new();
        let mut subject = None;
        for i in 0..self.session.stack.len() {
            let own = self.slot_json(i);
            if !own.is_empty() {
                subject.get_or_insert_with(|| self.session.stack[i].flow.clone());
                texts.push(self.summary_text(i));
            }
            for (k, v) in own {
                slots.entry(k).or_insert(v);
            }
        }
        let subject = subject.or_else(|| self.session.stack.last().map(|f| f.flow.clone()));
        let summary = serde_json::json!({
            "flow": subject,
            "slots": slots,
            "lang": self.session.lang,
            "text": texts.join("\n"),
        });
        self.events.push(Event::Handoff {
            reason: reason.to_string(),
            summary,
        });
        // For statistics, the service is the flow the citizen started
        // first, under any digression (such as asking for a person).
        record!(
            self,
            Record::Handoff {
                reason: reason.to_string(),
                flow: self.session.stack.first().map(|f| f.flow.to_string()),
            }
        );
        self.end_all(Abandon::Handoff);
        self.session.stack.clear();
        Ok(())
    }
}
