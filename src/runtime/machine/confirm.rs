//! Confirming a form, and correcting its values (named slots, yes or no,
//! corrections in passing).

use super::say::slot_label;
use super::Turn;
use crate::compile::{FormSpec, SlotSpec};
use crate::runtime::events::{Button, Event};
use crate::runtime::phrases::{phrase, Phrase};
use crate::runtime::records::Record;
use crate::runtime::session::{FormState, Phase};
use crate::runtime::RuntimeError;
use crate::understand::extract::{self, Candidate, Context};
use crate::understand::normalize::fold;
use crate::understand::Input as Message_;
use crate::values::format::format_value;
use crate::values::{SlotType, Value};

impl<'p> Turn<'p> {
    pub(super) fn ask_confirmation(&mut self, idx: usize) -> Result<(), RuntimeError> {
        let fs = self.form_state(idx)?;
        let form = self.form_spec(idx, &fs)?;
        let lang = self.lang();
        let Some(prompt) = &form.confirm else {
            return Ok(());
        };
        let extra = if prompt.buttons.is_empty() {
            vec![
                Button {
                    label: phrase(Phrase::Yes, lang).into(),
                    payload: "yes".into(),
                },
                Button {
                    label: phrase(Phrase::No, lang).into(),
                    payload: "no".into(),
                },
            ]
        } else {
            vec![]
        };
        self.say(idx, prompt, &extra)
    }

    pub(super) fn ask_which_to_change(&mut self, idx: usize) -> Result<(), RuntimeError> {
        let mut fs = self.form_state(idx)?;
        let form = self.form_spec(idx, &fs)?;
        fs.phase = Phase::Correcting;
        self.set_form_state(idx, fs);
        let lang = self.lang();
        let buttons = form
            .slots
            .iter()
            .filter(|s| {
                self.session.stack[idx]
                    .vars
                    .get(&s.name)
                    .is_some_and(|v| !v.is_null())
            })
            .map(|s| Button {
                label: slot_label(s, lang),
                payload: s.name.clone(),
            })
            .collect();
        self.events.push(Event::Say {
            text: phrase(Phrase::WhichToChange, lang).to_string(),
            buttons,
            links: vec![],
        });
        Ok(())
    }

    pub(super) fn confirmed(&mut self, idx: usize) -> Result<(), RuntimeError> {
        trace!(self, "confirmation: yes");
        let frame = &mut self.session.stack[idx];
        frame.form = None;
        frame.pc += 1;
        self.run()
    }

    /// Which slot a message names by its label ("la date de naissance"):
    /// the longest label found wins.
    fn named_slot(&self, form: &FormSpec, input: &Message_) -> Option<usize> {
        let text = format!(
            " {} ",
            fold(&input.original)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        );
        let mut best: Option<(usize, usize)> = None;
        for (i, s) in form.slots.iter().enumerate() {
            for label in &s.label_phrases {
                if !label.is_empty()
                    && text.contains(&format!(" {label} "))
                    && best.is_none_or(|(_, len)| label.len() > len)
                {
                    best = Some((i, label.len()));
                }
            }
        }
        best.map(|(i, _)| i)
    }

    fn slot_value_in(&mut self, slot: &'p SlotSpec, input: &Message_) -> Option<Candidate> {
        let ex = self.read_slot(slot, input);
        match slot.ty {
            // A free-text or name slot would take the whole correction sentence.
            SlotType::Text => None,
            // The citizen named the slot ("le prénom c'est Lou"): a weaker
            // introducer than "je m'appelle" is enough.
            SlotType::Name => ex.kept.into_iter().find(|c| c.confidence >= 0.6),
            _ => ex.kept.into_iter().next(),
        }
    }

    /// "la date de naissance c'est le 4 mai" while another question is
    /// asked: the named slot changes and the question is asked again.
    pub(super) fn correct_in_passing(
        &mut self,
        idx: usize,
        fs: &FormState,
        current: usize,
        input: &Message_,
    ) -> Result<bool, RuntimeError> {
        let form = self.form_spec(idx, fs)?;
        let Some(i) = self.named_slot(form, input).filter(|i| *i != current) else {
            return Ok(false);
        };
        let slot = &form.slots[i];
        let Some(c) = self.slot_value_in(slot, input) else {
            return Ok(false);
        };
        if self.validate(idx, i, &c.value)?.is_err() {
            return Ok(false);
        }
        trace!(
            self,
            "correction: {} = {}",
            slot.name,
            format_value(&c.value, self.lang())
        );
        self.session.stack[idx]
            .vars
            .insert(slot.name.clone(), c.value);
        self.record_slot(idx, i, |flow, step| Record::ConfirmationCorrected {
            flow,
            step,
        });
        self.say_phrase(Phrase::Noted);
        self.ask_slot(idx, fs.attempts)?;
        Ok(true)
    }

    fn correct(
        &mut self,
        idx: usize,
        slot_index: usize,
        input: &Message_,
    ) -> Result<(), RuntimeError> {
        let fs = self.form_state(idx)?;
        let form = self.form_spec(idx, &fs)?;
        let slot = &form.slots[slot_index];
        match self.slot_value_in(slot, input) {
            Some(c) => {
                trace!(
                    self,
                    "correction: {} = {}",
                    slot.name,
                    format_value(&c.value, self.lang())
                );
                match self.validate(idx, slot_index, &c.value)? {
                    Ok(()) => {
                        self.session.stack[idx]
                            .vars
                            .insert(slot.name.clone(), c.value);
                        self.record_slot(idx, slot_index, |flow, step| {
                            Record::ConfirmationCorrected { flow, step }
                        });
                        let mut fs = fs;
                        fs.phase = Phase::Filling;
                        fs.slot = None;
                        self.set_form_state(idx, fs);
                        self.advance_form(idx)?;
                        self.run()
                    }
                    Err(message) => {
                        self.events.push(Event::Say {
                            text: message,
                            buttons: vec![],
                            links: vec![],
                        });
                        self.reopen_slot(idx, slot_index)
                    }
                }
            }
            None => self.reopen_slot(idx, slot_index),
        }
    }

    pub(super) fn reopen_slot(
        &mut self,
        idx: usize,
        slot_index: usize,
    ) -> Result<(), RuntimeError> {
        let mut fs = self.form_state(idx)?;
        let form = self.form_spec(idx, &fs)?;
        let name = form.slots[slot_index].name.clone();
        self.record_slot(idx, slot_index, |flow, step| {
            Record::ConfirmationCorrected { flow, step }
        });
        self.session.stack[idx].vars.shift_remove(&name);
        fs.skipped.retain(|s| *s != name);
        fs.phase = Phase::Filling;
        fs.slot = Some(slot_index);
        fs.attempts = 0;
        self.set_form_state(idx, fs);
        self.ask_slot(idx, 0)
    }

    /// The citizen's yes or no, if the message holds one.
    fn yes_or_no(&self, input: &Message_) -> Option<bool> {
        let ctx = Context {
            lang: self.lang(),
            now: self.now,
            policy: Default::default(),
            order: self.program.date_order,
            choice: None,
        };
        match extract::extract(&SlotType::YesNo, input, &ctx)
            .best()?
            .value
        {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub(super) fn confirm_from_text(
        &mut self,
        idx: usize,
        fs: &FormState,
        input: &Message_,
    ) -> Result<(), RuntimeError> {
        let form = self.form_spec(idx, fs)?;
        // "non, la date de naissance c'est le 5 avril", "non, le 5 pas le 4".
        let corrections = self.corrections(idx, fs, input, None)?;
        if !corrections.is_empty() {
            self.apply_corrections(idx, fs, corrections)?;
            let mut fs = fs.clone();
            fs.phase = Phase::Filling;
            fs.slot = None;
            self.set_form_state(idx, fs);
            self.advance_form(idx)?;
            return self.run();
        }
        if let Some(i) = self.named_slot(form, input) {
            return self.correct(idx, i, input);
        }
        match self.yes_or_no(input) {
            Some(true) => self.confirmed(idx),
            Some(false) => {
                // "non, tom@exemple.be": a value only one slot can hold.
                let mut hits = Vec::new();
                for (i, s) in form.slots.iter().enumerate() {
                    if matches!(s.ty, SlotType::Text | SlotType::Name | SlotType::YesNo) {
                        continue;
                    }
                    if self
                        .slot_value_in(s, input)
                        .is_some_and(|c| c.confidence >= 0.8)
                    {
                        hits.push(i);
                    }
                }
                let same_type = hits
                    .windows(2)
                    .all(|w| form.slots[w[0]].ty == form.slots[w[1]].ty);
                match hits.as_slice() {
                    [one] => self.correct(idx, *one, input),
                    [_, ..] if !same_type => self.ask_which_to_change(idx),
                    _ => self.ask_which_to_change(idx),
                }
            }
            _ => match self.route(input, true) {
                Err(e) if e.code == "no_route" => {
                    self.unmatched = false;
                    self.say_phrase(Phrase::ConfirmYesNo);
                    self.ask_confirmation(idx)
                }
                other => other,
            },
        }
    }

    pub(super) fn correct_from_text(
        &mut self,
        idx: usize,
        fs: &FormState,
        input: &Message_,
    ) -> Result<(), RuntimeError> {
        let form = self.form_spec(idx, fs)?;
        if let Some(i) = self.named_slot(form, input) {
            return self.correct(idx, i, input);
        }
        if self.yes_or_no(input) == Some(true) {
            return self.confirmed(idx);
        }
        self.ask_which_to_change(idx)
    }
}
