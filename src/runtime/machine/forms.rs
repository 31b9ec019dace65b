//! Forms: asking slots, re-prompts and attempts, filling slots from a
//! message, validation.

use super::inputs::prefill_for;
use super::{err, Turn};
use crate::compile::{Flow, FormSpec, SlotSpec};
use crate::runtime::events::{Button, Event};
use crate::runtime::phrases::{phrase, Phrase, SKIP_WORDS};
use crate::runtime::records::{Record, Refusal, StartedBy};
use crate::runtime::session::{FormState, Phase};
use crate::runtime::RuntimeError;
use crate::understand::extract::{self, Candidate, Reason};
use crate::understand::matcher::{Explain, MATCH_THRESHOLD};
use crate::understand::normalize::fold;
use crate::understand::question;
use crate::understand::Input as Message_;
use crate::values::format::{format_date_long, format_value};
use crate::values::{SlotType, Value};

/// Confidence needed to fill a slot that was not the one asked.
const OTHER_SLOT_CONFIDENCE: f32 = 0.8;
/// Confidence of a name introduced by words like "je m'appelle".
const INTRODUCED_NAME: f32 = 0.9;

impl<'p> Turn<'p> {
    pub(super) fn form_spec(
        &self,
        idx: usize,
        fs: &FormState,
    ) -> Result<&'p FormSpec, RuntimeError> {
        self.flow(&self.session.stack[idx].flow)?
            .forms
            .get(fs.form)
            .ok_or_else(|| err("the form of this session no longer exists"))
    }

    pub(super) fn slot_spec(
        &self,
        idx: usize,
        fs: &FormState,
    ) -> Result<&'p SlotSpec, RuntimeError> {
        self.form_spec(idx, fs)?
            .slots
            .get(fs.slot.unwrap_or(usize::MAX))
            .ok_or_else(|| err("the slot of this session no longer exists"))
    }

    pub(super) fn form_state(&self, idx: usize) -> Result<FormState, RuntimeError> {
        self.session.stack[idx]
            .form
            .clone()
            .ok_or_else(|| err("no form is in progress"))
    }

    pub(super) fn set_form_state(&mut self, idx: usize, fs: FormState) {
        self.session.stack[idx].form = Some(fs);
    }

    /// Asks the next slot that has no value, or the confirmation, or ends
    /// the form and moves on.
    pub(super) fn advance_form(&mut self, idx: usize) -> Result<(), RuntimeError> {
        let mut fs = self.form_state(idx)?;
        let form = self.form_spec(idx, &fs)?;
        for (i, slot) in form.slots.iter().enumerate() {
            self.burn()?;
            let frame = &self.session.stack[idx];
            if frame.vars.get(&slot.name).is_some_and(|v| !v.is_null())
                || fs.skipped.contains(&slot.name)
            {
                continue;
            }
            if let Some(cond) = &slot.when {
                if !self.eval(idx, cond)?.is_true() {
                    trace!(self, "slot {}: not asked (its `when` is false)", slot.name);
                    self.resolve_without_value(idx, &mut fs, slot)?;
                    continue;
                }
            }
            fs.phase = Phase::Filling;
            fs.slot = Some(i);
            fs.attempts = 0;
            self.set_form_state(idx, fs);
            self.record_step(idx, |flow, step| Record::SlotAsked { flow, step });
            return self.ask_slot(idx, 0);
        }
        if form.confirm.is_some() && fs.phase != Phase::Confirming {
            fs.phase = Phase::Confirming;
            fs.slot = None;
            self.set_form_state(idx, fs);
            self.record_step(idx, |flow, step| Record::SlotAsked { flow, step });
            return self.ask_confirmation(idx);
        }
        let frame = &mut self.session.stack[idx];
        frame.form = None;
        frame.pc += 1;
        Ok(())
    }

    fn resolve_without_value(
        &mut self,
        idx: usize,
        fs: &mut FormState,
        slot: &SlotSpec,
    ) -> Result<(), RuntimeError> {
        if let Some(d) = &slot.default {
            let v = self.eval(idx, d)?;
            self.session.stack[idx].vars.insert(slot.name.clone(), v);
        } else if !fs.skipped.contains(&slot.name) {
            fs.skipped.push(slot.name.clone());
        }
        Ok(())
    }

    pub(super) fn ask_slot(&mut self, idx: usize, attempt: u32) -> Result<(), RuntimeError> {
        let fs = self.form_state(idx)?;
        let slot = self.slot_spec(idx, &fs)?;
        if let Some((_, readings)) = self.ask_back.take_if(|(i, _)| Some(*i) == fs.slot) {
            return self.ask_which(slot, readings);
        }
        let prompt = if attempt == 0 {
            slot.asks.first()
        } else if !slot.reprompts.is_empty() {
            slot.reprompts
                .get((attempt as usize - 1).min(slot.reprompts.len() - 1))
        } else {
            slot.asks
                .get((attempt as usize).min(slot.asks.len().saturating_sub(1)))
        };
        let lang = self.lang();
        let mut extra = Vec::new();
        let has_buttons = prompt.is_some_and(|p| !p.buttons.is_empty());
        if !has_buttons {
            if slot.ty == SlotType::YesNo {
                extra.push(Button {
                    label: phrase(Phrase::Yes, lang).into(),
                    payload: "yes".into(),
                });
                extra.push(Button {
                    label: phrase(Phrase::No, lang).into(),
                    payload: "no".into(),
                });
            }
            if slot.optional {
                extra.push(Button {
                    label: phrase(Phrase::Skip, lang).into(),
                    payload: "skip".into(),
                });
            }
        }
        match prompt {
            Some(p) => {
                self.cover(Some(p.span));
                self.say(idx, p, &extra)
            }
            None => {
                self.events.push(Event::Say {
                    text: format!("{}?", slot.name.replace('_', " ")),
                    buttons: extra,
                    links: vec![],
                });
                Ok(())
            }
        }
    }

    /// "Quel jour voulez-vous dire ?" with each reading as a button; a
    /// button's payload is the value in normal form, which the slot reads
    /// back as its answer.
    fn ask_which(
        &mut self,
        slot: &SlotSpec,
        mut readings: Vec<Candidate>,
    ) -> Result<(), RuntimeError> {
        let lang = self.lang();
        if slot.ty == SlotType::Date {
            readings.sort_by_key(|c| match c.value {
                Value::Date(d) => Some(d),
                _ => None,
            });
        }
        trace!(
            self,
            "slot {}: the same words read {} ways ({}): asked back",
            slot.name,
            readings.len(),
            readings
                .iter()
                .map(|c| format_value(&c.value, lang))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let buttons = readings
            .iter()
            .map(|c| Button {
                label: match &c.value {
                    Value::Date(d) => format_date_long(*d, lang),
                    v => format_value(v, lang),
                },
                payload: match c.value.to_normal_json() {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                },
            })
            .collect();
        let which = if slot.ty == SlotType::Date {
            Phrase::WhichDay
        } else {
            Phrase::WhichOne
        };
        self.events.push(Event::Say {
            text: phrase(which, lang).to_string(),
            buttons,
            links: vec![],
        });
        Ok(())
    }

    /// Re-asks whatever the frame waits for (after a digression or a
    /// returning visitor).
    pub(super) fn reask(&mut self, idx: usize) -> Result<(), RuntimeError> {
        let Some(fs) = self.session.stack[idx].form.clone() else {
            return Ok(());
        };
        match fs.phase {
            Phase::Filling if fs.slot.is_some() => self.ask_slot(idx, fs.attempts),
            Phase::Confirming => self.ask_confirmation(idx),
            Phase::Correcting => self.ask_which_to_change(idx),
            Phase::Filling => Ok(()),
        }
    }

    pub(super) fn skip_slot(&mut self, idx: usize) -> Result<(), RuntimeError> {
        let mut fs = self.form_state(idx)?;
        let slot = self.slot_spec(idx, &fs)?;
        trace!(self, "slot {}: skipped", slot.name);
        self.resolve_without_value(idx, &mut fs, slot)?;
        fs.slot = None;
        self.set_form_state(idx, fs);
        self.advance_form(idx)?;
        self.run()
    }

    pub(super) fn fill_from_text(
        &mut self,
        idx: usize,
        fs: &FormState,
        input: &Message_,
    ) -> Result<(), RuntimeError> {
        let slot = self.slot_spec(idx, fs)?;
        let current = fs.slot.unwrap_or(0);
        let folded = fold(input.original.trim());
        if slot.optional
            && SKIP_WORDS
                .iter()
                .any(|w| folded == *w || folded.starts_with(&format!("{w} ")))
        {
            return self.skip_slot(idx);
        }
        // "Diwali 2026 c'est quand ?": what a question names is what the
        // citizen wants to know, not their answer. The rest of the message
        // is read for values, the questions are not.
        let questions = self.questions_not_answering(idx, slot, input);
        let blanked;
        let answer = if questions.is_empty() {
            input
        } else {
            trace!(
                self,
                "slot {}: {} question(s) in the message, not read as the answer",
                slot.name,
                questions.len()
            );
            blanked = input.without(&questions);
            &blanked
        };
        // "attendez, la date de naissance c'est le 5 avril", "c'est le 5,
        // pas le 4": a correction of an answered slot, even though a date
        // would also fit this question. What the correction does not claim
        // may still answer the question.
        let corrections = self.corrections(idx, fs, answer, Some(current))?;
        if !corrections.is_empty() {
            let claimed: Vec<_> = corrections.iter().map(|c| c.claimed.clone()).collect();
            self.apply_corrections(idx, fs, corrections)?;
            let rest = answer.without(&claimed);
            let (found, _) = self.extract_for_form(idx, &rest, Some(current))?;
            if let Some((_, c)) = found.into_iter().find(|(i, _)| *i == current) {
                self.say_phrase(Phrase::Noted);
                return self.offer_value(idx, c.value, Vec::new());
            }
            self.say_phrase(Phrase::Noted);
            return self.ask_slot(idx, fs.attempts);
        }
        self.ask_back = None;
        let (found, rejected) = self.extract_for_form(idx, answer, Some(current))?;
        let asking_back = self.ask_back.as_ref().is_some_and(|(i, _)| *i == current);
        let mine = found
            .iter()
            .find(|(i, _)| *i == current)
            .map(|(_, c)| c.clone());

        // Another flow asked for by name wins over a free-text answer, and
        // over no answer at all: the citizen changed the subject. So does a
        // flow named by the words around a value ("le menu de la cantine
        // demain ?" while a date is asked, "j'habite Ixelles... bon laissez
        // tomber"): the value is the other flow's, or nobody's.
        let free = matches!(slot.ty, SlotType::Text | SlotType::Name);
        let around = if mine.is_none() || free {
            None
        } else {
            let spans: Vec<_> = found.iter().map(|(_, c)| c.span.clone()).collect();
            Some(input.without(&spans)).filter(has_words)
        };
        if (mine.is_none() && !asking_back) || free || around.is_some() {
            let matches = self.program.triggers.find_above(
                around.as_ref().unwrap_or(input),
                Some(self.lang()),
                3,
                MATCH_THRESHOLD,
                self.explain(),
            );
            let own_flow = &self.session.stack[idx].flow;
            if let Some(m) = matches.first().filter(|m| {
                m.score >= MATCH_THRESHOLD
                    && self.program.flows[self.program.trigger_flows[m.spec]].name != *own_flow
            }) {
                let flow: &'p Flow = &self.program.flows[self.program.trigger_flows[m.spec]];
                self.cover(self.program.trigger_spans.get(m.spec).copied());
                trace!(self, "digression to {}: {}", flow.name, m.explanation);
                self.intent = Some(&flow.name);
                self.push(&flow.name, prefill_for(flow, input), true)?;
                self.started(StartedBy::Trigger);
                return self.run();
            }
        }

        // The asked slot is set first: the others' rules may depend on it
        // ("the start date follows the birth date").
        let others: Vec<(usize, Value)> = found
            .iter()
            .filter(|(i, _)| *i != current)
            .map(|(i, c)| (*i, c.value.clone()))
            .collect();
        if mine.is_none() && asking_back {
            // Asked back in the same words as the question: no attempt lost.
            for (i, v) in others {
                self.try_set(idx, i, v)?;
            }
            return self.ask_slot(idx, fs.attempts);
        }
        match mine {
            Some(c) => {
                trace!(
                    self,
                    "slot {}: filled with {} from \"{}\" ({}, confidence {:.2})",
                    slot.name,
                    format_value(&c.value, self.lang()),
                    input.original.get(c.span.clone()).unwrap_or(""),
                    c.rule,
                    c.confidence
                );
                self.offer_value(idx, c.value, others)
            }
            None if !others.is_empty() => {
                // The citizen answered another question of the form first.
                for (i, v) in others {
                    self.try_set(idx, i, v)?;
                }
                self.advance_form(idx)?;
                self.run()
            }
            None => {
                if self.correct_in_passing(idx, fs, current, answer)? {
                    return Ok(());
                }
                if !questions.is_empty() {
                    // A question no flow answers: said so, and asked again.
                    self.record_step(idx, |flow, step| Record::SlotRefused {
                        flow,
                        step,
                        why: Refusal::Type,
                        code: "question".to_string(),
                    });
                    let said = phrase(Phrase::QuestionNotAnswer, self.lang()).to_string();
                    return self.wrong_answer(idx, Some(said));
                }
                trace!(
                    self,
                    "slot {}: no {} found in the message",
                    slot.name,
                    slot.ty
                );
                let reasons: Vec<Reason> = rejected.iter().map(|r| r.reason).collect();
                let code = reasons.first().map_or("not_found", |r| r.code());
                self.record_step(idx, |flow, step| Record::SlotRefused {
                    flow,
                    step,
                    why: Refusal::Type,
                    code: code.to_string(),
                });
                self.wrong_answer(
                    idx,
                    reasons.first().map(|r| r.message(self.lang()).to_string()),
                )
            }
        }
    }

    /// The sentences of a message that ask something rather than answer
    /// the slot ("Diwali 2026 c'est quand ?", "when is Easter Monday?"),
    /// in byte ranges of the message. Only a slot whose values can be
    /// named without being known (a day, a time, a number, an amount, an
    /// option) is concerned: a reference, a plate or an address written
    /// in a question is the citizen's own ("c'est quoi le statut de
    /// CR-2025-0042 ?"), a free-text slot takes a question as its answer
    /// ("pourquoi mon sac n'a pas été pris ?"), and so does a yes-or-no
    /// one ("pourquoi pas ?"). A question about the form's own flow
    /// answers it ("c'est quoi le menu vendredi ?" while the menu's day is
    /// asked).
    fn questions_not_answering(
        &self,
        idx: usize,
        slot: &SlotSpec,
        input: &Message_,
    ) -> Vec<std::ops::Range<usize>> {
        let named = matches!(
            slot.ty,
            SlotType::Date
                | SlotType::Time
                | SlotType::Number
                | SlotType::Money
                | SlotType::Choice(_)
        );
        if !named {
            return Vec::new();
        }
        let lang = self.lang();
        let questions = question::questions(input, lang);
        if questions.is_empty() {
            return questions;
        }
        let matches =
            self.program
                .triggers
                .find_above(input, Some(lang), 1, MATCH_THRESHOLD, Explain::No);
        let own = &self.session.stack[idx].flow;
        let about_own_flow = matches.first().is_some_and(|m| {
            self.program
                .trigger_flows
                .get(m.spec)
                .and_then(|&f| self.program.flows.get(f))
                .is_some_and(|f| f.name == *own)
        });
        if about_own_flow {
            return Vec::new();
        }
        questions
    }

    /// A value for the slot being asked: validated, then kept or refused.
    pub(super) fn offer_value(
        &mut self,
        idx: usize,
        value: Value,
        others: Vec<(usize, Value)>,
    ) -> Result<(), RuntimeError> {
        let fs = self.form_state(idx)?;
        let current = fs.slot.unwrap_or(0);
        let verdict = self.validate(idx, current, &value)?;
        if verdict.is_ok() {
            let slot = self.slot_spec(idx, &fs)?;
            self.session.stack[idx]
                .vars
                .insert(slot.name.clone(), value);
            self.record_step(idx, |flow, step| Record::SlotFilled { flow, step });
        } else {
            let code = format!("require {}", self.refused_rule);
            self.record_step(idx, |flow, step| Record::SlotRefused {
                flow,
                step,
                why: Refusal::Validation,
                code,
            });
        }
        for (i, v) in others {
            self.try_set(idx, i, v)?;
        }
        match verdict {
            Ok(()) => {
                let mut fs = fs;
                fs.slot = None;
                self.set_form_state(idx, fs);
                self.advance_form(idx)?;
                self.run()
            }
            Err(message) => {
                trace!(self, "validation failed: {message}");
                self.wrong_answer(idx, Some(message))
            }
        }
    }

    fn wrong_answer(&mut self, idx: usize, message: Option<String>) -> Result<(), RuntimeError> {
        let mut fs = self.form_state(idx)?;
        let slot = self.slot_spec(idx, &fs)?;
        fs.attempts = fs.attempts.saturating_add(1);
        let attempts = fs.attempts;
        self.set_form_state(idx, fs);
        if let Some(m) = message {
            self.events.push(Event::Say {
                text: m,
                buttons: vec![],
                links: vec![],
            });
        }
        if attempts >= slot.max_attempts {
            trace!(
                self,
                "slot {}: {attempts} failed attempts, giving up",
                slot.name
            );
            if self.recording {
                if let Some(step) = self.step_at(idx) {
                    self.gave_up = Some((idx, step));
                }
                self.record_step(idx, |flow, step| Record::AttemptsExhausted { flow, step });
            }
            return match slot.give_up {
                Some(pc) => {
                    let frame = &mut self.session.stack[idx];
                    frame.form = None;
                    frame.pc = pc;
                    self.run()
                }
                None => {
                    self.say_phrase(Phrase::TooManyAttempts);
                    self.handoff("too_many_attempts")
                }
            };
        }
        self.record_step(idx, |flow, step| Record::Reprompt {
            flow,
            step,
            attempt: attempts,
        });
        self.ask_slot(idx, attempts)
    }

    /// Checks a value against the slot's `require` rules; `Err` holds the
    /// message for the citizen.
    pub(super) fn validate(
        &mut self,
        idx: usize,
        slot: usize,
        value: &Value,
    ) -> Result<Result<(), String>, RuntimeError> {
        let fs = self.form_state(idx)?;
        let spec = self.form_spec(idx, &fs)?;
        let Some(slot) = spec.slots.get(slot) else {
            return Ok(Ok(()));
        };
        let mut vars = self.session.stack[idx].vars.clone();
        vars.insert(slot.name.clone(), value.clone());
        for (n, rule) in slot.validations.iter().enumerate() {
            let ok = self.eval_with(&vars, &rule.condition)?.is_true();
            if !ok {
                self.refused_rule = n + 1;
                self.cover(Some(rule.span));
                let text = self.render_message(&vars, &rule.message)?;
                return Ok(Err(text));
            }
        }
        Ok(Ok(()))
    }

    /// Sets a slot if its value passes validation (quietly otherwise: it
    /// will be asked, and the rule's message shown then).
    pub(super) fn try_set(
        &mut self,
        idx: usize,
        slot: usize,
        value: Value,
    ) -> Result<bool, RuntimeError> {
        if self.validate(idx, slot, &value)?.is_ok() {
            let fs = self.form_state(idx)?;
            let name = self.form_spec(idx, &fs)?.slots[slot].name.clone();
            trace!(self, "slot {name}: filled from the same message");
            self.session.stack[idx].vars.insert(name, value);
            self.record_slot(idx, slot, |flow, step| Record::SlotFilled { flow, step });
            return Ok(true);
        }
        Ok(false)
    }

    /// Finds values for the form's empty slots in one message. The slot
    /// being asked takes the best candidate; other slots take only
    /// confident ones, and a candidate right after a slot's label ("né le",
    /// "à partir du") goes to that slot.
    #[allow(clippy::type_complexity)]
    pub(super) fn extract_for_form(
        &mut self,
        idx: usize,
        input: &Message_,
        current: Option<usize>,
    ) -> Result<(Vec<(usize, Candidate)>, Vec<extract::Rejected>), RuntimeError> {
        let fs = self.form_state(idx)?;
        let form = self.form_spec(idx, &fs)?;
        let frame = &self.session.stack[idx];
        let mut order: Vec<usize> = current.into_iter().collect();
        for (i, s) in form.slots.iter().enumerate() {
            let filled = frame.vars.get(&s.name).is_some_and(|v| !v.is_null());
            if Some(i) != current && !filled && !fs.skipped.contains(&s.name) {
                order.push(i);
            }
        }
        let cues: Vec<&[String]> = form.slots.iter().map(|s| &s.folded_labels[..]).collect();
        let mut used: Vec<std::ops::Range<usize>> = Vec::new();
        let mut found = Vec::new();
        let mut rejected = Vec::new();
        for i in order {
            self.burn()?;
            let slot = &form.slots[i];
            if Some(i) != current && matches!(slot.ty, SlotType::Text) {
                continue;
            }
            let ex = self.read_slot(slot, input);
            if Some(i) == current {
                rejected = ex.rejected.clone();
            }
            let ambiguous = ex.ambiguous;
            let scored = ex
                .kept
                .into_iter()
                .filter(|c| {
                    !used
                        .iter()
                        .any(|u| u.start < c.span.end && c.span.start < u.end)
                })
                .map(|c| {
                    let before = fold(input.original.get(..c.span.start).unwrap_or(""));
                    let window: String = before
                        .chars()
                        .rev()
                        .take(40)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    let mine = cues[i]
                        .iter()
                        .any(|w| !w.is_empty() && window.contains(w.as_str()));
                    let others = cues.iter().enumerate().any(|(j, ws)| {
                        j != i
                            && ws.iter().any(|w| {
                                !w.is_empty() && window.ends_with(w.as_str())
                                    || window.trim_end().ends_with(w.as_str())
                            })
                    });
                    let score = c.confidence + if mine { 0.3 } else { 0.0 }
                        - if others && !mine { 0.5 } else { 0.0 };
                    (score, c)
                })
                .max_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
            if let Some((score, c)) = scored {
                let accept = if Some(i) == current {
                    score > 0.0
                } else if slot.ty == SlotType::Name {
                    // Any short phrase reads as a bare name; only an
                    // introduced one ("ma fille Louise") fills another slot.
                    c.confidence >= INTRODUCED_NAME && score >= OTHER_SLOT_CONFIDENCE
                } else {
                    score >= OTHER_SLOT_CONFIDENCE
                };
                let readings: Vec<Candidate> = ambiguous
                    .iter()
                    .filter(|a| a.span == c.span)
                    .cloned()
                    .collect();
                if accept && !readings.is_empty() {
                    // Only the citizen can tell: the slot asks which.
                    used.push(c.span.clone());
                    if self.ask_back.is_none() {
                        let mut all = vec![c];
                        all.extend(readings);
                        self.ask_back = Some((i, all));
                    }
                } else if accept {
                    used.push(c.span.clone());
                    found.push((i, c));
                }
            }
        }
        Ok((found, rejected))
    }
}

/// Whether a message holds a word of three letters or more.
fn has_words(input: &Message_) -> bool {
    input.tokens.iter().any(|t| t.text.chars().count() >= 3)
}
