//! The step machine: one turn takes one input, runs the flows until they
//! wait for the citizen or the host, and returns the events. It works on a
//! copy of the session; the caller keeps the copy only if the turn ended
//! without a runtime error, so a failed turn leaves the session as it was.

use super::eval::{next_random, Env};
use super::events::{Button, Event, Expecting, Input, Link};
use super::phrases::{phrase, Phrase, SKIP_WORDS};
use super::session::{FormState, Frame, PendingAction, Phase, Session};
use super::RuntimeError;
use crate::compile::{Flow, FormSpec, Instr, Message, Program, Prompt, SlotSpec};
use crate::diagnostics::Span;
use crate::syntax::ast::{Expr, StrLit};
use crate::understand::extract::{self, Candidate, Context, Reason};
use crate::understand::langdetect;
use crate::understand::matcher::{Explain, Match, MATCH_THRESHOLD, SUGGEST_THRESHOLD};
use crate::understand::normalize::fold;
use crate::understand::Input as Message_;
use crate::values::format::format_value;
use crate::values::{Lang, SlotType, Value};
use chrono::NaiveDateTime;
use indexmap::IndexMap;
use serde_json::{Map, Value as Json};

/// Steps (instructions plus expression nodes) one turn may take.
pub const FUEL_PER_TURN: u32 = 20_000;
/// Longest citizen message read, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 4_000;
/// How deep flows may call and digress.
pub const MAX_STACK: usize = 16;
/// Confidence needed to fill a slot that was not the one asked.
const OTHER_SLOT_CONFIDENCE: f32 = 0.8;
/// Confidence of a name introduced by words like "je m'appelle".
const INTRODUCED_NAME: f32 = 0.9;

pub struct Turn<'p> {
    program: &'p Program,
    pub session: Session,
    now: NaiveDateTime,
    pub events: Vec<Event>,
    fuel: u32,
    rng: u64,
    /// The flow the turn started, named as the program names it.
    pub intent: Option<&'p str>,
    pub unmatched: bool,
    /// Why things happened, for the REPL's trace; kept only when `tracing`.
    pub trace: Vec<String>,
    tracing: bool,
    /// The places of the bot this turn exercised (statements, prompts,
    /// validation rules, triggers), for test coverage; kept only when `tracing`.
    pub covered: Vec<Span>,
}

/// Records why something happened, when someone reads the trace (the REPL,
/// conversation tests): building the lines costs more than the rest of a turn.
macro_rules! trace {
    ($turn:expr, $($arg:tt)*) => {
        if $turn.tracing {
            $turn.trace.push(format!($($arg)*));
        }
    };
}

fn err(message: impl Into<String>) -> RuntimeError {
    RuntimeError::new("runtime", message)
}

impl<'p> Turn<'p> {
    pub fn new(program: &'p Program, session: Session, now: NaiveDateTime) -> Turn<'p> {
        let rng = session.seed ^ session.turns.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Turn {
            program,
            session,
            now,
            events: Vec::new(),
            fuel: FUEL_PER_TURN,
            rng,
            intent: None,
            unmatched: false,
            trace: Vec::new(),
            tracing: false,
            covered: Vec::new(),
        }
    }

    /// Matches are explained only for the trace.
    fn explain(&self) -> Explain {
        if self.tracing {
            Explain::Yes
        } else {
            Explain::No
        }
    }

    /// Keeps the reasons of this turn in `trace`.
    pub fn traced(mut self) -> Self {
        self.tracing = true;
        self
    }

    fn burn(&mut self) -> Result<(), RuntimeError> {
        if self.fuel == 0 {
            return Err(RuntimeError::new(
                "out_of_fuel",
                "this turn took too many steps and was stopped",
            ));
        }
        self.fuel -= 1;
        Ok(())
    }

    fn lang(&self) -> Lang {
        self.session.lang
    }

    fn flow(&self, name: &str) -> Result<&'p Flow, RuntimeError> {
        self.program
            .flow(name)
            .ok_or_else(|| err(format!("the flow `{name}` does not exist in this bot")))
    }

    fn cover(&mut self, span: Option<Span>) {
        if self.tracing {
            self.covered.extend(span);
        }
    }

    fn top(&self) -> Option<usize> {
        self.session.stack.len().checked_sub(1)
    }

    // ------------------------------------------------------------ inputs

    pub fn handle(&mut self, input: Input) -> Result<(), RuntimeError> {
        match input {
            Input::Start => self.on_start(),
            Input::ActionResult(r) => self.on_action_result(r),
            Input::Button(payload) => self.on_button(&payload),
            Input::Text(text) => self.on_text(text),
        }
    }

    fn on_start(&mut self) -> Result<(), RuntimeError> {
        if let Some(idx) = self.top() {
            // A visitor coming back to a conversation in progress: ask again.
            return self.reask(idx);
        }
        if let Some(start) = self.program.start {
            let name = self.program.flows[start].name.clone();
            self.push(&name, None, false)?;
            self.run()?;
        }
        Ok(())
    }

    fn on_action_result(&mut self, r: super::events::ActionResult) -> Result<(), RuntimeError> {
        let waiting = self
            .top()
            .and_then(|i| self.session.stack[i].pending.as_ref())
            .is_some_and(|p| p.id == r.id);
        if !waiting {
            return Err(RuntimeError::new(
                "unknown_action",
                format!("no action `{}` is waiting for a result", r.id),
            ));
        }
        let idx = self.top().ok_or_else(|| err("no flow"))?;
        let frame = &mut self.session.stack[idx];
        let Some(pending) = frame.pending.take() else {
            return Ok(());
        };
        let mut fields = IndexMap::new();
        fields.insert("ok".to_string(), Value::Bool(r.ok));
        if r.ok {
            let declared = self.program.actions.get(&pending.action);
            if let Some(Json::Object(map)) = &r.value {
                for (k, v) in map {
                    let ty = declared
                        .and_then(|a| a.results.iter().find(|(name, _)| name == k))
                        .map(|(_, ty)| ty);
                    let value = Value::from_json(v);
                    fields.insert(k.clone(), ty.map_or(value.clone(), |t| value.coerce(t)));
                }
            } else if let Some(v) = &r.value {
                fields.insert("value".to_string(), Value::from_json(v));
            }
            frame.pc += 1;
        } else {
            fields.insert(
                "error".to_string(),
                Value::text(r.error.clone().unwrap_or_default()),
            );
            frame.pc = pending.on_failure;
        }
        if let Some(bind) = pending.bind {
            frame.vars.insert(bind, Value::Record(fields));
        }
        trace!(
            self,
            "action {} ({}) answered: {}",
            pending.id,
            pending.action,
            if r.ok { "ok" } else { "failed" }
        );
        self.run()
    }

    fn on_button(&mut self, payload: &str) -> Result<(), RuntimeError> {
        let Some(idx) = self.top() else {
            if let Some((name, _)) = self.program.flow_ids.get_key_value(payload) {
                self.intent = Some(name);
                self.push(payload, None, false)?;
                return self.run();
            }
            return self.on_message(payload.to_string(), false);
        };
        if self.session.stack[idx].pending.is_some() {
            self.say_phrase(Phrase::StillWaiting);
            return Ok(());
        }
        let state = self.session.stack[idx].form.clone();
        match state {
            Some(fs) if fs.phase == Phase::Filling && fs.slot.is_some() => {
                let slot = self.slot_spec(idx, &fs)?;
                if payload == "skip" && slot.optional {
                    return self.skip_slot(idx);
                }
                let direct = match &slot.ty {
                    SlotType::Choice(name) => self
                        .program
                        .choices
                        .get(name)
                        .and_then(|c| c.options.iter().find(|o| o.key == payload))
                        .map(|o| Value::text(o.key.clone())),
                    SlotType::YesNo => match payload {
                        "yes" => Some(Value::Bool(true)),
                        "no" => Some(Value::Bool(false)),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(value) = direct {
                    return self.offer_value(idx, value, Vec::new());
                }
            }
            Some(fs) if fs.phase == Phase::Confirming => match payload {
                "yes" => return self.confirmed(idx),
                "no" => return self.ask_which_to_change(idx),
                _ => {}
            },
            Some(fs) if fs.phase == Phase::Correcting => {
                let form = self.form_spec(idx, &fs)?;
                if let Some(i) = form.slots.iter().position(|s| s.name == payload) {
                    return self.reopen_slot(idx, i);
                }
                if payload == "yes" {
                    return self.confirmed(idx);
                }
            }
            _ => {}
        }
        if let Some((name, _)) = self.program.flow_ids.get_key_value(payload) {
            self.intent = Some(name);
            self.push(payload, None, true)?;
            return self.run();
        }
        self.on_message(payload.to_string(), false)
    }

    fn on_text(&mut self, text: String) -> Result<(), RuntimeError> {
        self.on_message(text, true)
    }

    /// A typed message, or a button payload read as one (a payload says
    /// nothing about the citizen's language).
    fn on_message(&mut self, text: String, typed: bool) -> Result<(), RuntimeError> {
        if text.len() > MAX_MESSAGE_BYTES {
            return Err(RuntimeError::new(
                "too_long",
                format!(
                    "the message is {} bytes long; at most {MAX_MESSAGE_BYTES} are read",
                    text.len()
                ),
            ));
        }
        if text.trim().is_empty() {
            return Err(RuntimeError::new("empty", "the message is empty"));
        }
        let input = Message_::from_string(text);
        if typed {
            self.detect_language(&input);
        }

        let Some(idx) = self.top() else {
            return self.route(&input, false);
        };
        if self.session.stack[idx].pending.is_some() {
            self.say_phrase(Phrase::StillWaiting);
            return Ok(());
        }
        match self.session.stack[idx].form.clone() {
            Some(fs) if fs.phase == Phase::Filling && fs.slot.is_some() => {
                self.fill_from_text(idx, &fs, &input)
            }
            Some(fs) if fs.phase == Phase::Confirming => self.confirm_from_text(idx, &fs, &input),
            Some(fs) if fs.phase == Phase::Correcting => self.correct_from_text(idx, &fs, &input),
            _ => self.route(&input, true),
        }
    }

    fn detect_language(&mut self, input: &Message_) {
        if self.program.languages.len() < 2 {
            return;
        }
        let current = self.session.lang_settled.then_some(self.session.lang);
        if let Some((lang, confidence)) =
            langdetect::detect(input, &self.program.languages, current)
        {
            if lang != self.session.lang {
                trace!(
                    self,
                    "language: switched from {} to {lang} (confidence {confidence:.2})",
                    self.session.lang
                );
                self.session.lang = lang;
            }
            self.session.lang_settled = true;
        }
    }

    /// A message outside any question: start the flow it asks for, offer
    /// choices when it is ambiguous, or fall back.
    fn route(&mut self, input: &Message_, digression: bool) -> Result<(), RuntimeError> {
        let lang = Some(self.lang());
        let matches =
            self.program
                .triggers
                .find_match_or_suggestions(input, lang, 5, self.explain());
        for m in matches.iter().take(3) {
            trace!(self, "trigger: {}", m.explanation);
        }
        // One match per target, and a target is a flow.
        let best: &[Match] = &matches;
        match best {
            [first, second, ..]
                if first.score >= MATCH_THRESHOLD
                    && second.score >= MATCH_THRESHOLD
                    && first.score - second.score < 0.05
                    && !self.overrides(first, second) =>
            {
                let ids = [
                    self.program.trigger_flows[first.spec],
                    self.program.trigger_flows[second.spec],
                ];
                self.offer_flows(&ids, Phrase::DidYouMean);
                Ok(())
            }
            [first, ..] if first.score >= MATCH_THRESHOLD => {
                let flow: &'p Flow = &self.program.flows[self.program.trigger_flows[first.spec]];
                self.cover(self.program.trigger_spans.get(first.spec).copied());
                self.intent = Some(&flow.name);
                self.push(&flow.name, prefill_for(flow, input), digression)?;
                self.run()
            }
            _ => {
                self.unmatched = true;
                let suggestions: Vec<usize> = best
                    .iter()
                    .filter(|m| m.score >= SUGGEST_THRESHOLD)
                    .take(3)
                    .map(|m| self.program.trigger_flows[m.spec])
                    .collect();
                if digression {
                    // Mid-question, an unknown message is a wrong answer: the caller re-asks.
                    return Err(RuntimeError::new("no_route", ""));
                }
                match self.program.fallback {
                    Some(fallback) => {
                        let program: &'p Program = self.program;
                        self.push(&program.flows[fallback].name, None, false)?;
                        self.run()?;
                    }
                    None => self.say_phrase(Phrase::NotUnderstood),
                }
                if !suggestions.is_empty() {
                    self.offer_flows(&suggestions, Phrase::DidYouMean);
                }
                Ok(())
            }
        }
    }

    /// A bot's own flow is not ambiguous with a stdlib flow it ties with:
    /// the bot's author meant it.
    fn overrides(&self, first: &Match, second: &Match) -> bool {
        let flow = |m: &Match| {
            self.program
                .trigger_flows
                .get(m.spec)
                .and_then(|&id| self.program.flows.get(id))
        };
        matches!((flow(first), flow(second)), (Some(a), Some(b)) if !a.stdlib && b.stdlib)
    }

    fn offer_flows(&mut self, ids: &[usize], intro: Phrase) {
        let lang = self.lang();
        let buttons = ids
            .iter()
            .filter_map(|&id| self.program.flows.get(id))
            .map(|f| Button {
                label: f.label(lang),
                payload: f.name.clone(),
            })
            .collect();
        self.events.push(Event::Say {
            text: phrase(intro, lang).to_string(),
            buttons,
            links: vec![],
        });
    }

    // ------------------------------------------------------------ running flows

    fn push(
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

    fn awaiting(frame: &Frame) -> bool {
        frame.pending.is_some()
            || frame.form.as_ref().is_some_and(|fs| match fs.phase {
                Phase::Filling => fs.slot.is_some(),
                Phase::Confirming | Phase::Correcting => true,
            })
    }

    fn run(&mut self) -> Result<(), RuntimeError> {
        loop {
            self.burn()?;
            let Some(idx) = self.top() else {
                return Ok(());
            };
            if Self::awaiting(&self.session.stack[idx]) {
                return Ok(());
            }
            let flow = self.flow(&self.session.stack[idx].flow)?;
            let pc = self.session.stack[idx].pc;
            match flow.code.get(pc) {
                None => self.finish(idx, None)?,
                Some(instr) => self.exec(idx, flow, instr)?,
            }
        }
    }

    fn exec(&mut self, idx: usize, flow: &'p Flow, instr: &'p Instr) -> Result<(), RuntimeError> {
        if let Some(Some(span)) = flow.spans.get(self.session.stack[idx].pc) {
            self.cover(Some(*span));
        }
        match instr {
            Instr::Say(p) => {
                self.say(idx, p, &[])?;
                self.session.stack[idx].pc += 1;
            }
            Instr::Set(name, e) => {
                let v = self.eval(idx, e)?;
                let frame = &mut self.session.stack[idx];
                frame.vars.insert(name.clone(), v);
                frame.pc += 1;
            }
            Instr::JumpUnless(cond, target) => {
                let v = self.eval(idx, cond)?;
                let frame = &mut self.session.stack[idx];
                frame.pc = if v.is_true() { frame.pc + 1 } else { *target };
            }
            Instr::Jump(target) => self.session.stack[idx].pc = *target,
            Instr::Match(subject, cases, otherwise) => {
                let v = self.eval(idx, subject)?;
                let mut target = *otherwise;
                'cases: for (values, at) in cases {
                    for candidate in values {
                        let c = self.eval(idx, candidate)?;
                        if c == v || fold_eq(&c, &v) {
                            target = *at;
                            break 'cases;
                        }
                    }
                }
                self.session.stack[idx].pc = target;
            }
            Instr::Call {
                flow: callee,
                args,
                bind,
            } => {
                let callee_flow = self.flow(callee)?;
                let mut vars = IndexMap::new();
                for (name, e) in args {
                    vars.insert(name.clone(), self.eval(idx, e)?);
                }
                for p in &callee_flow.params {
                    vars.entry(p.clone()).or_insert(Value::Null);
                }
                self.session.stack[idx].pc += 1;
                self.push(callee, None, false)?;
                let top = self.session.stack.len() - 1;
                self.session.stack[top].vars = vars;
                self.session.stack[top].bind = bind.clone();
            }
            Instr::Do {
                action,
                args,
                bind,
                on_failure,
            } => {
                let mut json = Map::new();
                for (name, e) in args {
                    let v = self.eval(idx, e)?;
                    json.insert(name.clone(), v.to_normal_json());
                }
                self.session.next_action += 1;
                let id = format!("a{}", self.session.next_action);
                trace!(self, "action {id}: {action} requested");
                self.events.push(Event::Action {
                    id: id.clone(),
                    name: action.clone(),
                    args: json,
                });
                self.session.stack[idx].pending = Some(Box::new(PendingAction {
                    id,
                    action: action.clone(),
                    bind: bind.clone(),
                    on_failure: *on_failure,
                }));
            }
            Instr::Form(i) => {
                let frame = &mut self.session.stack[idx];
                if frame.form.as_ref().is_none_or(|f| f.form != *i) {
                    frame.form = Some(FormState {
                        form: *i,
                        slot: None,
                        attempts: 0,
                        phase: Phase::Filling,
                        skipped: vec![],
                    });
                    if let Some(text) = frame.prefill.take() {
                        let input = Message_::new(&text);
                        let found = self.extract_for_form(idx, &input, None)?;
                        for (slot, c) in found.0 {
                            // A value the citizen gave that a rule refuses is
                            // refused aloud, not silently dropped.
                            if let Err(message) = self.validate(idx, slot, &c.value)? {
                                self.events.push(Event::Say {
                                    text: message,
                                    buttons: vec![],
                                    links: vec![],
                                });
                                continue;
                            }
                            self.try_set(idx, slot, c.value)?;
                        }
                    }
                }
                self.advance_form(idx)?;
            }
            Instr::Handoff(reason) => self.handoff(reason)?,
            Instr::Goto(target) => {
                self.flow(target)?;
                let old = self.session.stack.pop().ok_or_else(|| err("no flow"))?;
                let mut frame = Frame::new(target);
                frame.digression = old.digression;
                frame.bind = old.bind;
                self.session.stack.push(frame);
            }
            Instr::Return(e) => {
                let v = match e {
                    Some(e) => Some(self.eval(idx, e)?),
                    None => None,
                };
                self.finish(idx, v.or(Some(Value::Null)))?;
            }
            Instr::Stop => self.finish(idx, None)?,
            Instr::Cancel => self.session.stack.clear(),
            Instr::Restart => self.restart(idx)?,
            Instr::Close => {
                self.session.stack.clear();
                self.events.push(Event::End);
            }
            Instr::Language(l) => {
                if self.program.languages.contains(l) {
                    self.session.lang = *l;
                    self.session.lang_settled = true;
                }
                self.session.stack[idx].pc += 1;
            }
        }
        let _ = flow;
        Ok(())
    }

    /// Ends the frame at `idx` with a result; a digression hands the
    /// conversation back to the flow it interrupted.
    fn finish(&mut self, idx: usize, value: Option<Value>) -> Result<(), RuntimeError> {
        let frame = self.session.stack.remove(idx);
        self.session.stack.truncate(idx);
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

    fn restart(&mut self, idx: usize) -> Result<(), RuntimeError> {
        // `restart` in a digression (the stdlib's "start over") restarts the
        // flow it interrupted.
        let mut target = idx;
        while target > 0 && self.session.stack[target].digression {
            target -= 1;
        }
        self.session.stack.truncate(target + 1);
        let frame = &mut self.session.stack[target];
        let fresh = Frame {
            digression: frame.digression,
            bind: frame.bind.take(),
            ..Frame::new(&frame.flow)
        };
        *frame = fresh;
        Ok(())
    }

    fn handoff(&mut self, reason: &str) -> Result<(), RuntimeError> {
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
        self.session.stack.clear();
        Ok(())
    }

    // ------------------------------------------------------------ forms

    fn form_spec(&self, idx: usize, fs: &FormState) -> Result<&'p FormSpec, RuntimeError> {
        self.flow(&self.session.stack[idx].flow)?
            .forms
            .get(fs.form)
            .ok_or_else(|| err("the form of this session no longer exists"))
    }

    fn slot_spec(&self, idx: usize, fs: &FormState) -> Result<&'p SlotSpec, RuntimeError> {
        self.form_spec(idx, fs)?
            .slots
            .get(fs.slot.unwrap_or(usize::MAX))
            .ok_or_else(|| err("the slot of this session no longer exists"))
    }

    fn form_state(&self, idx: usize) -> Result<FormState, RuntimeError> {
        self.session.stack[idx]
            .form
            .clone()
            .ok_or_else(|| err("no form is in progress"))
    }

    fn set_form_state(&mut self, idx: usize, fs: FormState) {
        self.session.stack[idx].form = Some(fs);
    }

    /// Asks the next slot that has no value, or the confirmation, or ends
    /// the form and moves on.
    fn advance_form(&mut self, idx: usize) -> Result<(), RuntimeError> {
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
            return self.ask_slot(idx, 0);
        }
        if form.confirm.is_some() && fs.phase != Phase::Confirming {
            fs.phase = Phase::Confirming;
            fs.slot = None;
            self.set_form_state(idx, fs);
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

    fn ask_slot(&mut self, idx: usize, attempt: u32) -> Result<(), RuntimeError> {
        let fs = self.form_state(idx)?;
        let slot = self.slot_spec(idx, &fs)?;
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

    fn ask_confirmation(&mut self, idx: usize) -> Result<(), RuntimeError> {
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

    fn ask_which_to_change(&mut self, idx: usize) -> Result<(), RuntimeError> {
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

    /// Re-asks whatever the frame waits for (after a digression or a
    /// returning visitor).
    fn reask(&mut self, idx: usize) -> Result<(), RuntimeError> {
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

    fn skip_slot(&mut self, idx: usize) -> Result<(), RuntimeError> {
        let mut fs = self.form_state(idx)?;
        let slot = self.slot_spec(idx, &fs)?;
        trace!(self, "slot {}: skipped", slot.name);
        self.resolve_without_value(idx, &mut fs, slot)?;
        fs.slot = None;
        self.set_form_state(idx, fs);
        self.advance_form(idx)?;
        self.run()
    }

    fn fill_from_text(
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
        // "non, la date de naissance c'est le 4 mai": a correction of an
        // answered slot, even though a date would also fit this question.
        if starts_like_a_correction(&folded) && self.correct_in_passing(idx, fs, current, input)? {
            return Ok(());
        }
        let (found, rejected) = self.extract_for_form(idx, input, Some(current))?;
        let mine = found
            .iter()
            .find(|(i, _)| *i == current)
            .map(|(_, c)| c.clone());

        // Another flow asked for by name wins over a free-text answer, and
        // over no answer at all: the citizen changed the subject.
        let free = matches!(slot.ty, SlotType::Text | SlotType::Name);
        if mine.is_none() || free {
            let matches = self.program.triggers.find_above(
                input,
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
                if self.correct_in_passing(idx, fs, current, input)? {
                    return Ok(());
                }
                trace!(
                    self,
                    "slot {}: no {} found in the message",
                    slot.name,
                    slot.ty
                );
                let reasons: Vec<Reason> = rejected.iter().map(|r| r.reason).collect();
                self.wrong_answer(
                    idx,
                    reasons.first().map(|r| r.message(self.lang()).to_string()),
                )
            }
        }
    }

    /// A value for the slot being asked: validated, then kept or refused.
    fn offer_value(
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
        fs.attempts += 1;
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
        self.ask_slot(idx, attempts)
    }

    /// Checks a value against the slot's `require` rules; `Err` holds the
    /// message for the citizen.
    fn validate(
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
        for rule in &slot.validations {
            let ok = self.eval_with(&vars, &rule.condition)?.is_true();
            if !ok {
                self.cover(Some(rule.span));
                let text = self.render_message(&vars, &rule.message)?;
                return Ok(Err(text));
            }
        }
        Ok(Ok(()))
    }

    /// Sets a slot if its value passes validation (quietly otherwise: it
    /// will be asked, and the rule's message shown then).
    fn try_set(&mut self, idx: usize, slot: usize, value: Value) -> Result<bool, RuntimeError> {
        if self.validate(idx, slot, &value)?.is_ok() {
            let fs = self.form_state(idx)?;
            let name = self.form_spec(idx, &fs)?.slots[slot].name.clone();
            trace!(self, "slot {name}: filled from the same message");
            self.session.stack[idx].vars.insert(name, value);
            return Ok(true);
        }
        Ok(false)
    }

    /// Finds values for the form's empty slots in one message. The slot
    /// being asked takes the best candidate; other slots take only
    /// confident ones, and a candidate right after a slot's label ("né le",
    /// "à partir du") goes to that slot.
    #[allow(clippy::type_complexity)]
    fn extract_for_form(
        &mut self,
        idx: usize,
        input: &Message_,
        current: Option<usize>,
    ) -> Result<(Vec<(usize, Candidate)>, Vec<extract::Rejected>), RuntimeError> {
        let fs = self.form_state(idx)?;
        let form = self.form_spec(idx, &fs)?;
        let lang = self.lang();
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
            let ctx = Context {
                lang,
                now: self.now,
                policy: slot.policy,
                order: self.program.date_order,
                choice: match &slot.ty {
                    SlotType::Choice(name) => self.program.choices.get(name),
                    _ => None,
                },
            };
            let ex = extract::extract(&slot.ty, input, &ctx);
            if Some(i) == current {
                rejected = ex.rejected.clone();
            }
            let scored = ex
                .candidates
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
                if accept {
                    used.push(c.span.clone());
                    found.push((i, c));
                }
            }
        }
        Ok((found, rejected))
    }

    fn confirmed(&mut self, idx: usize) -> Result<(), RuntimeError> {
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

    fn slot_value_in(
        &mut self,
        idx: usize,
        slot: &SlotSpec,
        input: &Message_,
    ) -> Option<Candidate> {
        let ctx = Context {
            lang: self.lang(),
            now: self.now,
            policy: slot.policy,
            order: self.program.date_order,
            choice: match &slot.ty {
                SlotType::Choice(name) => self.program.choices.get(name),
                _ => None,
            },
        };
        let _ = idx;
        let ex = extract::extract(&slot.ty, input, &ctx);
        match slot.ty {
            // A free-text or name slot would take the whole correction sentence.
            SlotType::Text => None,
            // The citizen named the slot ("le prénom c'est Lou"): a weaker
            // introducer than "je m'appelle" is enough.
            SlotType::Name => ex.candidates.into_iter().find(|c| c.confidence >= 0.6),
            _ => ex.candidates.into_iter().next(),
        }
    }

    /// "la date de naissance c'est le 4 mai" while another question is
    /// asked: the named slot changes and the question is asked again.
    fn correct_in_passing(
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
        let Some(c) = self.slot_value_in(idx, slot, input) else {
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
        match self.slot_value_in(idx, slot, input) {
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

    fn reopen_slot(&mut self, idx: usize, slot_index: usize) -> Result<(), RuntimeError> {
        let mut fs = self.form_state(idx)?;
        let form = self.form_spec(idx, &fs)?;
        let name = form.slots[slot_index].name.clone();
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

    fn confirm_from_text(
        &mut self,
        idx: usize,
        fs: &FormState,
        input: &Message_,
    ) -> Result<(), RuntimeError> {
        let form = self.form_spec(idx, fs)?;
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
                        .slot_value_in(idx, s, input)
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

    fn correct_from_text(
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

    // ------------------------------------------------------------ saying things

    fn say_phrase(&mut self, p: Phrase) {
        self.events.push(Event::Say {
            text: phrase(p, self.lang()).to_string(),
            buttons: vec![],
            links: vec![],
        });
    }

    fn pick<'m>(&mut self, m: &'m Message) -> Option<&'m StrLit> {
        if let Some(p) = &m.plain {
            return Some(p);
        }
        let lang = self.lang();
        let variants = m
            .per_lang
            .iter()
            .find(|(l, _)| *l == lang)
            .or_else(|| {
                m.per_lang
                    .iter()
                    .find(|(l, _)| *l == self.program.default_lang)
            })
            .or(m.per_lang.first())
            .map(|(_, v)| v)?;
        match variants.len() {
            0 => None,
            1 => variants.first(),
            n => {
                let r = next_random(&mut self.rng);
                variants.get((r % n as u64) as usize)
            }
        }
    }

    fn render_message(
        &mut self,
        vars: &IndexMap<String, Value>,
        m: &Message,
    ) -> Result<String, RuntimeError> {
        let Some(s) = self.pick(m) else {
            return Ok(String::new());
        };
        self.with_env(vars, "", |env| env.interpolate(s))
    }

    /// Runs `f` with an evaluation environment over `vars`, charging this
    /// turn's fuel.
    fn with_env<R>(
        &mut self,
        vars: &IndexMap<String, Value>,
        summary: &str,
        f: impl FnOnce(&mut Env) -> R,
    ) -> R {
        self.with_scope(Scope::Vars(vars), summary, f)
    }

    /// `with_env` over a scope that may be a frame's own variables: they are
    /// borrowed where they are, not copied, as evaluation only reads them.
    fn with_scope<R>(&mut self, scope: Scope, summary: &str, f: impl FnOnce(&mut Env) -> R) -> R {
        let program = self.program;
        let Turn {
            session,
            fuel,
            rng,
            now,
            ..
        } = self;
        let stack = &session.stack;
        let flow = stack.last().map(|f| f.flow.as_str());
        let interrupted = match stack.as_slice() {
            [.., caller, top] if top.digression => Some(caller.flow.as_str()),
            _ => None,
        };
        let none = IndexMap::new();
        let vars = match scope {
            Scope::Frame(idx) => stack.get(idx).map_or(&none, |f| &f.vars),
            Scope::Vars(vars) => vars,
        };
        let mut env = Env {
            program,
            vars,
            lang: session.lang,
            now: *now,
            fuel,
            rng,
            summary,
            interrupted,
            flow,
        };
        f(&mut env)
    }

    fn say(&mut self, idx: usize, p: &Prompt, extra: &[Button]) -> Result<(), RuntimeError> {
        // Building the summary reads every slot: only for a text that shows it.
        let summary = if prompt_mentions_summary(p) {
            self.summary_text(idx)
        } else {
            String::new()
        };
        let frame = Scope::Frame(idx);
        let text = match self.pick(&p.text) {
            Some(s) => self.with_scope(frame, &summary, |env| env.interpolate(s))?,
            None => String::new(),
        };
        let mut buttons = Vec::with_capacity(p.buttons.len() + extra.len());
        for b in &p.buttons {
            let label = match self.pick(&b.label) {
                Some(s) => self.with_scope(frame, &summary, |env| env.interpolate(s))?,
                None => b.payload.clone(),
            };
            buttons.push(Button {
                label,
                payload: b.payload.clone(),
            });
        }
        buttons.extend(extra.iter().cloned());
        let mut links = Vec::with_capacity(p.links.len());
        for l in &p.links {
            let url = self.with_scope(frame, &summary, |env| env.interpolate(&l.url))?;
            let label = match self.pick(&l.label) {
                Some(s) => self.with_scope(frame, &summary, |env| env.interpolate(s))?,
                None => url.clone(),
            };
            links.push(Link { label, url });
        }
        self.events.push(Event::Say {
            text,
            buttons,
            links,
        });
        Ok(())
    }

    fn eval(&mut self, idx: usize, e: &Expr) -> Result<Value, RuntimeError> {
        let summary = if mentions_summary(e) {
            self.summary_text(idx)
        } else {
            String::new()
        };
        self.with_scope(Scope::Frame(idx), &summary, |env| env.eval(e))
    }

    fn eval_with(
        &mut self,
        vars: &IndexMap<String, Value>,
        e: &Expr,
    ) -> Result<Value, RuntimeError> {
        self.with_env(vars, "", |env| env.eval(e))
    }

    /// The flow the top frame interrupted, when it is a digression.
    /// The frame's slot values with their labels, one per line.
    pub fn summary_text(&self, idx: usize) -> String {
        let Some(frame) = self.session.stack.get(idx) else {
            return String::new();
        };
        let Some(flow) = self.program.flow(&frame.flow) else {
            return String::new();
        };
        let lang = self.lang();
        flow.forms
            .iter()
            .flat_map(|f| &f.slots)
            .filter_map(|s| {
                let v = frame.vars.get(&s.name).filter(|v| !v.is_null())?;
                let shown = match (&s.ty, v) {
                    // A choice reads as its option's label, not its key.
                    (SlotType::Choice(choice), Value::Text(key)) => self
                        .program
                        .choices
                        .get(choice)
                        .and_then(|c| c.options.iter().find(|o| o.key == *key))
                        .and_then(|o| {
                            o.phrases
                                .iter()
                                .find(|(l, _)| *l == lang)
                                .or(o.phrases.first())
                        })
                        .map(|(_, label)| label.clone())
                        .unwrap_or_else(|| key.clone()),
                    _ => format_value(v, lang),
                };
                Some(format!("{} : {}", slot_label(s, lang), shown))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The slots of the frame's flow that have a value, in normal form.
    pub fn slot_json(&self, idx: usize) -> Map<String, Json> {
        let mut out = Map::new();
        let Some(frame) = self.session.stack.get(idx) else {
            return out;
        };
        if let Some(flow) = self.program.flow(&frame.flow) {
            for name in flow.slot_names() {
                if let Some(v) = frame.vars.get(name).filter(|v| !v.is_null()) {
                    out.insert(name.to_string(), v.to_normal_json());
                }
            }
        }
        out
    }

    pub fn expecting(&self) -> Option<Expecting> {
        let frame = self.session.stack.last()?;
        if let Some(p) = &frame.pending {
            return Some(Expecting::ActionResult { id: p.id.clone() });
        }
        let fs = frame.form.as_ref()?;
        match fs.phase {
            Phase::Filling => {
                let slot = self
                    .program
                    .flow(&frame.flow)?
                    .forms
                    .get(fs.form)?
                    .slots
                    .get(fs.slot?)?;
                Some(Expecting::Slot {
                    name: slot.name.clone(),
                    ty: slot.ty.name().to_string(),
                })
            }
            Phase::Confirming | Phase::Correcting => Some(Expecting::Confirmation),
        }
    }

    pub fn turn_end(&self) -> Event {
        Event::TurnEnd {
            lang: self.session.lang,
            flow: self.session.stack.last().map(|f| f.flow.to_string()),
            expecting: self.expecting(),
            slots: self.top().map(|i| self.slot_json(i)).unwrap_or_default(),
            intent: self.intent.map(str::to_string),
            unmatched: self.unmatched,
        }
    }
}

/// Words a citizen starts a correction with, in the three languages.
const CORRECTION_MARKERS: &[&str] = &[
    "non",
    "pardon",
    "en fait",
    "oups",
    "correction",
    "attention",
    "nee",
    "neen",
    "sorry",
    "eigenlijk",
    "oeps",
    "no",
    "actually",
    "oops",
    "wait",
];

fn starts_like_a_correction(folded: &str) -> bool {
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    CORRECTION_MARKERS.iter().any(|m| {
        let marker: Vec<&str> = m.split(' ').collect();
        words.len() > marker.len() && words[..marker.len()] == marker[..]
    })
}

fn slot_label(s: &SlotSpec, lang: Lang) -> String {
    s.labels
        .iter()
        .find(|(l, _)| *l == lang)
        .or(s.labels.first())
        .and_then(|(_, w)| w.first().cloned())
        .unwrap_or_else(|| s.name.replace('_', " "))
}

fn fold_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Text(x), Value::Text(y)) => fold(x) == fold(y),
        _ => false,
    }
}

/// The variables an expression or text is evaluated over.
#[derive(Clone, Copy)]
enum Scope<'v> {
    /// The variables of the frame at this index of the stack.
    Frame(usize),
    Vars(&'v IndexMap<String, Value>),
}

fn prompt_mentions_summary(p: &Prompt) -> bool {
    let message = |m: &Message| {
        m.plain
            .iter()
            .chain(m.per_lang.iter().flat_map(|(_, variants)| variants))
            .any(str_mentions_summary)
    };
    message(&p.text)
        || p.buttons.iter().any(|b| message(&b.label))
        || p.links
            .iter()
            .any(|l| str_mentions_summary(&l.url) || message(&l.label))
}

fn str_mentions_summary(s: &StrLit) -> bool {
    use crate::syntax::ast::StrPart;
    s.parts
        .iter()
        .any(|p| matches!(p, StrPart::Interp(e) if mentions_summary(e)))
}

fn mentions_summary(e: &Expr) -> bool {
    use crate::syntax::ast::ExprKind as K;
    match &e.kind {
        K::Call(name, args) => name.name == "summary" || args.iter().any(mentions_summary),
        K::Str(s) => str_mentions_summary(s),
        K::Binary(_, a, b) => mentions_summary(a) || mentions_summary(b),
        K::Unary(_, a) | K::Field(a, _) => mentions_summary(a),
        K::List(items) => items.iter().any(mentions_summary),
        _ => false,
    }
}

/// The message that starts a flow, kept to pre-fill its first form; a
/// flow without a form has no use for it (and it would weigh on its
/// saved session).
fn prefill_for(flow: &Flow, input: &Message_) -> Option<String> {
    (!flow.forms.is_empty()).then(|| input.original.clone())
}
