//! A value of a declared shape names its flow: "any news on my application
//! CR-2025-0099?" matches no trigger, but a `pattern` is declared so that
//! its values are told apart from anything else a citizen writes, and when
//! only one flow asks for a value of that shape, the message is for it.

use super::inputs::prefill_for;
use super::Turn;
use crate::compile::Program;
use crate::runtime::records::StartedBy;
use crate::runtime::RuntimeError;
use crate::understand::Input as Message_;
use crate::values::SlotType;

impl<'p> Turn<'p> {
    /// Starts the one flow (started by triggers) whose form asks for a
    /// `pattern` value the message holds; `false` when none does, or
    /// several do and the value alone cannot say which.
    pub(super) fn shaped_value(&mut self, input: &Message_) -> Result<bool, RuntimeError> {
        let program: &'p Program = self.program;
        let mut ids: Vec<usize> = program.trigger_flows.clone();
        ids.sort_unstable();
        ids.dedup();
        let mut found: Option<(usize, &'p str)> = None;
        for id in ids {
            let Some(flow) = program.flows.get(id) else {
                continue;
            };
            for slot in flow.forms.iter().flat_map(|f| &f.slots) {
                if !matches!(slot.ty, SlotType::Pattern(_)) {
                    continue;
                }
                self.burn()?;
                if self.read_slot(slot, input).kept.is_empty() {
                    continue;
                }
                if let Some((other, _)) = found.filter(|(other, _)| *other != id) {
                    trace!(
                        self,
                        "shape: a value for both `{}` and `{}`, no flow started",
                        program.flows[other].name,
                        flow.name
                    );
                    return Ok(false);
                }
                found = Some((id, slot.name.as_str()));
            }
        }
        let Some((id, slot)) = found else {
            return Ok(false);
        };
        let flow = &program.flows[id];
        trace!(
            self,
            "shape: the message holds a value for `{slot}`, which only `{}` asks for",
            flow.name
        );
        self.intent = Some(&flow.name);
        self.push(&flow.name, prefill_for(flow, input), false)?;
        self.started(StartedBy::Trigger);
        self.run()?;
        Ok(true)
    }
}
