//! The step machine: one turn takes one input, runs the flows until they
//! wait for the citizen or the host, and returns the events. It works on a
//! copy of the session; the caller keeps the copy only if the turn ended
//! without a runtime error, so a failed turn leaves the session as it was.

use super::events::{Event, Expecting, Input};
use super::records::{Abandon, Record, StartedBy, Step};
use super::session::{BotChanged, FormState, Frame, Phase, Session};
use super::RuntimeError;
use crate::compile::{Flow, Instr, Program};
use crate::diagnostics::Span;
use crate::understand::matcher::Explain;
use crate::understand::normalize::fold;
use crate::understand::Input as Message_;
use crate::values::{Lang, Value};
pub use buttons::{offered_payloads, GLOBAL_FLOWS};
use chrono::NaiveDateTime;
use indexmap::IndexMap;

/// Steps (instructions plus expression nodes) one turn may take.
pub const FUEL_PER_TURN: u32 = 20_000;
/// Longest citizen message read, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 4_000;
/// How deep flows may call and digress.
pub const MAX_STACK: usize = 16;

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
    /// The citizen said which language they do not speak ("sorry, I don't
    /// speak French"): the rest of the message is what they ask.
    refused_language: Option<Lang>,
    /// A value read two ways, and the slot it is for: the slot asks the
    /// citizen which, when it is asked in this turn.
    ask_back: Option<(usize, Vec<crate::understand::extract::Candidate>)>,
    /// Why things happened, for the REPL's trace; kept only when `tracing`.
    pub trace: Vec<String>,
    tracing: bool,
    /// The places of the bot this turn exercised (statements, prompts,
    /// validation rules, triggers), for test coverage; kept only when `tracing`.
    pub covered: Vec<Span>,
    /// What happened, for statistics; kept only when `recording`.
    pub records: Vec<Record>,
    recording: bool,
    /// A frame (by index) whose form gave up after its attempts, at a step:
    /// it ends abandoned, not completed.
    gave_up: Option<(usize, Step)>,
    /// The `require` rule (1-based) that refused the last value validated.
    refused_rule: usize,
    /// The bot changed under the conversation, and this turn said so.
    pub bot_changed: Option<BotChanged>,
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

/// Keeps a record of what happened, when someone keeps the records (the
/// server, for statistics).
macro_rules! record {
    ($turn:expr, $record:expr) => {
        if $turn.recording {
            let r = $record;
            $turn.records.push(r);
        }
    };
}

// After the macros, so that the files of the machine can use them.
mod actions;
mod buttons;
mod calls;
mod caution;
mod confirm;
mod corrections;
mod followups;
mod forms;
mod inputs;
mod record;
mod resume;
mod say;
mod shaped;

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
            refused_language: None,
            ask_back: None,
            trace: Vec::new(),
            tracing: false,
            covered: Vec::new(),
            records: Vec::new(),
            recording: false,
            gave_up: None,
            refused_rule: 0,
            bot_changed: None,
        }
    }

    /// Keeps the records of this turn in `records`.
    pub fn recorded(mut self) -> Self {
        self.recording = true;
        self
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

    pub fn handle(&mut self, input: Input) -> Result<(), RuntimeError> {
        if let Some(change) = self.session.changed.take() {
            if self.resume_after_change(change)? {
                return Ok(());
            }
        }
        match input {
            Input::Start => self.on_start(),
            Input::ActionResult(r) => self.on_action_result(r),
            Input::Button(payload) => {
                let payload = self.global_alias(payload);
                self.check_button(&payload)?;
                self.on_button(&payload)
            }
            Input::Text(text) => self.on_text(text),
        }
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
                self.started(StartedBy::Call);
                let top = self.session.stack.len() - 1;
                self.session.stack[top].vars = vars;
                self.session.stack[top].bind = bind.clone();
            }
            Instr::Do {
                action,
                args,
                bind,
                on_failure,
            } => self.request_action(idx, action, args, bind, *on_failure)?,
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
                                let code = format!("require {}", self.refused_rule);
                                self.record_slot(idx, slot, |flow, step| Record::SlotRefused {
                                    flow,
                                    step,
                                    why: super::records::Refusal::Validation,
                                    code,
                                });
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
                record!(self, self.ended(idx, &old, None));
                let mut frame = Frame::new(target);
                frame.digression = old.digression;
                frame.bind = old.bind;
                self.session.stack.push(frame);
                self.started(StartedBy::Goto);
            }
            Instr::Return(e) => {
                let v = match e {
                    Some(e) => Some(self.eval(idx, e)?),
                    None => None,
                };
                self.finish(idx, v.or(Some(Value::Null)))?;
            }
            Instr::Stop => self.finish(idx, None)?,
            Instr::Cancel => {
                self.end_all(Abandon::Cancel);
                self.session.stack.clear()
            }
            Instr::Restart => self.restart(idx)?,
            Instr::Close => {
                self.end_all(Abandon::Close);
                self.session.stack.clear();
                self.events.push(Event::End);
            }
            Instr::Language(l) => {
                if self.program.languages.contains(l) {
                    if *l != self.session.lang {
                        record!(
                            self,
                            Record::LanguageSwitched {
                                from: self.session.lang,
                                to: *l
                            }
                        );
                    }
                    self.session.lang = *l;
                    self.session.lang_settled = true;
                }
                self.session.stack[idx].pc += 1;
            }
        }
        let _ = flow;
        Ok(())
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
            turn: self.session.turns,
            replayed: false,
            bot_changed: self.bot_changed,
        }
    }
}

fn fold_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Text(x), Value::Text(y)) => fold(x) == fold(y),
        _ => false,
    }
}
