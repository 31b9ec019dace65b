//! Reading a slot's values out of a message with what the citizen set
//! aside ("pas le 4"), and corrections of answered slots: by naming them
//! ("attendez, la date de naissance c'est le 5 avril") or by negating
//! their value ("c'est le 5, pas le 4").

use super::Turn;
use crate::compile::{FormSpec, SlotSpec};
use crate::runtime::records::Record;
use crate::runtime::session::FormState;
use crate::runtime::RuntimeError;
use crate::understand::cues::{self, Cue};
use crate::understand::extract::{self, Candidate, Context, DatePolicy, Rejected};
use crate::understand::negation;
use crate::understand::Input as Message_;
use crate::values::format::format_value;
use crate::values::{SlotType, Value};
use chrono::{NaiveDate, NaiveDateTime};
use std::ops::Range;

/// What a message holds for one slot.
#[derive(Debug, Default)]
pub(super) struct Reading {
    /// Best first, without the negated ones.
    pub kept: Vec<Candidate>,
    /// Values the citizen set aside ("pas le 4"): never a slot's value.
    pub negated: Vec<Candidate>,
    pub rejected: Vec<Rejected>,
    /// Other readings of the best value's very words, when only the
    /// citizen can tell ("mercredi prochain" said on a Tuesday).
    pub ambiguous: Vec<Candidate>,
}

/// A label of a slot found in a message, in byte offsets of the original.
#[derive(Debug, Clone)]
struct Mention {
    slot: usize,
    start: usize,
    end: usize,
    /// The token after the label.
    after: usize,
}

/// A slot that a message changes, and the part of the message that said so.
#[derive(Debug)]
pub(super) struct Correction {
    pub slot: usize,
    pub value: Value,
    pub claimed: Range<usize>,
    pub why: &'static str,
}

impl<'p> Turn<'p> {
    pub(super) fn slot_context(&self, slot: &'p SlotSpec) -> Context<'p> {
        Context {
            lang: self.lang(),
            now: self.now,
            policy: slot.policy,
            order: self.program.date_order,
            choice: match &slot.ty {
                SlotType::Choice(name) => self.program.choices.get(name),
                _ => None,
            },
        }
    }

    /// The slot's values in a message, the negated ones set apart: a value
    /// right after a negation ("pas le 4", "instead of the 1st") is
    /// negated; a value read across a negation ("Theo not Tom") is read
    /// again without the negated words.
    pub(super) fn read_slot(&self, slot: &'p SlotSpec, input: &Message_) -> Reading {
        self.read_slot_with(&self.slot_context(slot), &slot.ty, input)
    }

    fn read_slot_with(&self, ctx: &Context, ty: &SlotType, input: &Message_) -> Reading {
        let ex = extract::extract(ty, input, ctx);
        let lang = ctx.lang;
        if !negation::may_negate(input, lang) {
            return Reading {
                kept: ex.candidates,
                negated: Vec::new(),
                rejected: ex.rejected,
                ambiguous: ex.ambiguous,
            };
        }
        let mut negated: Vec<Candidate> = Vec::new();
        let mut blank: Vec<Range<usize>> = Vec::new();
        for n in negation::negations(input, lang) {
            let next = ex
                .candidates
                .iter()
                .filter(|c| c.span.start >= n.marker.end && c.span.start <= n.value_start)
                .min_by_key(|c| c.span.start);
            if let Some(c) = next {
                blank.push(n.marker.start..c.span.end);
                negated.push(c.clone());
            } else if ex
                .candidates
                .iter()
                .any(|c| c.span.start < n.marker.end && n.marker.start < c.span.end)
            {
                blank.push(n.marker.start..n.words_end);
            }
        }
        if blank.is_empty() {
            return Reading {
                kept: ex.candidates,
                negated,
                rejected: ex.rejected,
                ambiguous: ex.ambiguous,
            };
        }
        let again = extract::extract(ty, &input.without(&blank), ctx);
        Reading {
            kept: again.candidates,
            negated,
            rejected: again.rejected,
            ambiguous: again.ambiguous,
        }
    }

    /// A date slot's reading as if today were `old`, the value it holds:
    /// "le 5, pas le 4" said about the 4th of April 2024 means the 5th of
    /// April 2024. Each span keeps the reading nearest to `old`, past or
    /// future.
    fn read_near(&self, slot: &'p SlotSpec, input: &Message_, old: NaiveDate) -> Reading {
        let now: NaiveDateTime = old.and_hms_opt(12, 0, 0).unwrap_or(self.now);
        let mut ctx = self.slot_context(slot);
        ctx.now = now;
        ctx.policy = DatePolicy::Past;
        let past = self.read_slot_with(&ctx, &slot.ty, input);
        ctx.policy = DatePolicy::Future;
        let future = self.read_slot_with(&ctx, &slot.ty, input);
        let distance = |c: &Candidate| match c.value {
            Value::Date(d) => (d - old).num_days().abs(),
            _ => i64::MAX,
        };
        let nearest = |a: Vec<Candidate>, b: Vec<Candidate>| -> Vec<Candidate> {
            let mut out: Vec<Candidate> = Vec::new();
            for c in a.into_iter().chain(b) {
                match out.iter_mut().find(|o| o.span == c.span) {
                    Some(o) if distance(&c) < distance(o) => *o = c,
                    Some(_) => {}
                    None => out.push(c),
                }
            }
            out
        };
        Reading {
            kept: nearest(past.kept, future.kept),
            negated: nearest(past.negated, future.negated),
            rejected: past.rejected,
            ambiguous: Vec::new(),
        }
    }

    /// The answered slots a message changes. A slot named by its label
    /// ("la date de naissance c'est le 5 avril") takes the value after
    /// the label; a value the citizen negates ("c'est le 5, pas le 4")
    /// names the slot that holds it. `asked` is the slot being asked,
    /// which is not corrected here: its answer is read as usual.
    pub(super) fn corrections(
        &mut self,
        idx: usize,
        fs: &FormState,
        input: &Message_,
        asked: Option<usize>,
    ) -> Result<Vec<Correction>, RuntimeError> {
        let form = self.form_spec(idx, fs)?;
        let filled = |turn: &Self, i: usize| -> Option<Value> {
            turn.session.stack[idx]
                .vars
                .get(&form.slots[i].name)
                .filter(|v| !v.is_null())
                .cloned()
        };
        let mut out: Vec<Correction> = Vec::new();
        let mentions = mentions(form, input);
        for (k, m) in mentions.iter().enumerate() {
            self.burn()?;
            let slot = &form.slots[m.slot];
            let Some(old) = filled(self, m.slot) else {
                continue;
            };
            if Some(m.slot) == asked
                || matches!(slot.ty, SlotType::Text)
                || out.iter().any(|c| c.slot == m.slot)
            {
                continue;
            }
            let end = mentions
                .get(k + 1)
                .map_or(input.original.len(), |next| next.start);
            // The value is read from what follows the label and the words
            // that link them ("le prénom est"), up to the next label.
            let from = match cues::at(&input.tokens, m.after, Cue::Link, self.lang()) {
                Some(n) => input
                    .tokens
                    .get(m.after + n - 1)
                    .map_or(m.end, |t| input.folded.original_span(t.start..t.end).end),
                None => m.end,
            };
            let segment = input.without(&[0..from, end..input.original.len()]);
            let reading = self.read_for_correction(slot, &segment, &old);
            let found = reading
                .kept
                .into_iter()
                .filter(|c| slot.ty != SlotType::Name || c.confidence >= 0.6)
                .min_by_key(|c| c.span.start);
            let Some(c) = found else {
                continue;
            };
            if c.value == old || self.validate(idx, m.slot, &c.value)?.is_err() {
                continue;
            }
            out.push(Correction {
                slot: m.slot,
                value: c.value,
                claimed: m.start..end,
                why: "named by its label",
            });
        }
        if !out.is_empty() || !negation::may_negate(input, self.lang()) {
            return Ok(out);
        }
        // No label: a negated value that is an answered slot's names it.
        for (i, slot) in form.slots.iter().enumerate() {
            self.burn()?;
            if Some(i) == asked || matches!(slot.ty, SlotType::Text | SlotType::YesNo) {
                continue;
            }
            let Some(old) = filled(self, i) else {
                continue;
            };
            let reading = self.read_for_correction(slot, input, &old);
            if !reading.negated.iter().any(|c| c.value == old) {
                continue;
            }
            let Some(c) = reading.kept.into_iter().find(|c| c.value != old) else {
                continue;
            };
            if self.validate(idx, i, &c.value)?.is_err() {
                continue;
            }
            out.push(Correction {
                slot: i,
                value: c.value,
                claimed: 0..input.original.len(),
                why: "its value was negated",
            });
            break;
        }
        Ok(out)
    }

    /// A slot's reading for a correction: a date is read near the date it
    /// replaces when the citizen negates that very date.
    fn read_for_correction(&self, slot: &'p SlotSpec, input: &Message_, old: &Value) -> Reading {
        let plain = self.read_slot(slot, input);
        if let (SlotType::Date, Value::Date(d)) = (&slot.ty, old) {
            if !plain.negated.is_empty() {
                let near = self.read_near(slot, input, *d);
                if near.negated.iter().any(|c| c.value == *old) {
                    return near;
                }
            }
        }
        plain
    }

    /// Sets the slots a correction changes.
    pub(super) fn apply_corrections(
        &mut self,
        idx: usize,
        fs: &FormState,
        found: Vec<Correction>,
    ) -> Result<(), RuntimeError> {
        let form = self.form_spec(idx, fs)?;
        for c in found {
            let slot = &form.slots[c.slot];
            trace!(
                self,
                "correction: {} = {} ({})",
                slot.name,
                format_value(&c.value, self.lang()),
                c.why
            );
            self.session.stack[idx]
                .vars
                .insert(slot.name.clone(), c.value);
            self.record_slot(idx, c.slot, |flow, step| Record::ConfirmationCorrected {
                flow,
                step,
            });
        }
        Ok(())
    }
}

/// The labels of the form's slots in a message, in order; where labels
/// overlap, the longest wins ("date de naissance" over "date").
fn mentions(form: &FormSpec, input: &Message_) -> Vec<Mention> {
    let tokens = &input.tokens;
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let mut best: Option<(usize, usize)> = None;
        for (s, slot) in form.slots.iter().enumerate() {
            for label in &slot.label_phrases {
                let n = label.split(' ').filter(|w| !w.is_empty()).count();
                if n == 0 || best.is_some_and(|(_, len)| len >= n) {
                    continue;
                }
                let fits = tokens.get(i..i + n).is_some_and(|run| {
                    run.iter()
                        .zip(label.split(' ').filter(|w| !w.is_empty()))
                        .all(|(t, w)| t.text == w)
                });
                if fits {
                    best = Some((s, n));
                }
            }
        }
        match best {
            Some((slot, n)) => {
                let first = &tokens[i];
                let last = &tokens[i + n - 1];
                let span = input.folded.original_span(first.start..last.end);
                out.push(Mention {
                    slot,
                    start: span.start,
                    end: span.end,
                    after: i + n,
                });
                i += n;
            }
            None => i += 1,
        }
    }
    out
}
