//! Restoring a saved conversation: a session is data that was written to
//! disk, maybe by an older version of the bot, maybe edited by hand. It is
//! validated against the bot it meets, carried over to it when the bot
//! changed, or started over, never trusted as it is.
//!
//! Carrying over works frame by frame, with the anchor each frame keeps
//! (its flow's fingerprint, the stable id of the step it waits at, its
//! form's fingerprint, the types of its filled slots): a flow that did not
//! change is kept as it is; in a changed one, slots that still exist with
//! the same type keep their values, and the frame finds its step again by
//! id. A step that is gone, or a confirmation that now lacks a required
//! slot, sends the frame back to its nearest safe point: the form, keeping
//! its answers (or the flow's start). The session then remembers what
//! happened (`Session::changed`) so the next turn tells the citizen, in
//! their language, and the host, in `turn_end`.

use super::machine::{MAX_MESSAGE_BYTES, MAX_STACK};
use super::session::{Anchor, BotChanged, Frame, Phase, Session, REPLIES_KEPT, SESSION_FORMAT};
use crate::compile::{Flow, FormSpec, Instr, Program};
use crate::values::{SlotType, Value};
use compact_str::{format_compact, CompactString};
use indexmap::IndexMap;
use std::sync::Arc;

/// Most button payloads a session remembers from its last turn.
const OFFERED_KEPT: usize = 64;

/// A saved session made fit for `program`, and whether it had to start over.
#[derive(Debug, Clone)]
pub struct Carried {
    pub session: Session,
    pub restarted: bool,
}

/// Validates a saved session against the program, carrying it over when
/// it was saved with another version of the bot; a session that cannot go
/// on safely starts over (its language and seed kept).
pub fn carry_over(program: &Program, mut session: Session) -> Carried {
    if !program.languages.contains(&session.lang) {
        session.lang = program.default_lang;
    }
    session.offered.truncate(OFFERED_KEPT);
    let extra = session.replies.len().saturating_sub(REPLIES_KEPT);
    session.replies.drain(..extra);
    let same_bot = *session.bot == *program.fingerprint;
    if session.format < 2 {
        // A format-1 session has no anchors: its positions are instruction
        // offsets, which only mean something in the bot it was saved with.
        if !same_bot {
            return start_over(program, session);
        }
    } else if !same_bot {
        let had_stack = !session.stack.is_empty();
        migrate(program, &mut session);
        if had_stack && session.stack.is_empty() {
            return start_over(program, session);
        }
    }
    if validate(program, &session).is_err() {
        return start_over(program, session);
    }
    keep_last_answer(program, &mut session);
    session.format = SESSION_FORMAT;
    session.bot = program.fingerprint.clone();
    anchor(program, &mut session);
    Carried {
        session,
        restarted: false,
    }
}

/// The last answer a follow-up reuses keeps only what the bot still asks:
/// the slots of its flow that hold a value of their type (a flow removed,
/// a slot retyped or a hand-edited value leaves nothing to reuse). It is a
/// convenience, not the conversation's state: pruned, never a restart.
fn keep_last_answer(program: &Program, session: &mut Session) {
    let Some(last) = session.last_answer.as_mut() else {
        return;
    };
    let flow = program.flow(&last.flow);
    let Some(flow) = flow.filter(|_| last.turn <= session.turns) else {
        session.last_answer = None;
        return;
    };
    last.slots.retain(|name, v| {
        flow.forms
            .iter()
            .flat_map(|f| &f.slots)
            .find(|s| s.name == *name)
            .is_some_and(|s| !v.is_null() && fits(program, &s.ty, v))
    });
}

fn start_over(program: &Program, mut session: Session) -> Carried {
    keep_last_answer(program, &mut session);
    let had_stack = !session.stack.is_empty() || session.changed == Some(BotChanged::Restarted);
    session.stack.clear();
    session.offered.clear();
    session.format = SESSION_FORMAT;
    session.bot = program.fingerprint.clone();
    if had_stack {
        session.changed = Some(BotChanged::Restarted);
    }
    Carried {
        session,
        restarted: had_stack,
    }
}

/// Brings every frame's anchor up to date (at the end of each turn).
pub fn anchor(program: &Program, session: &mut Session) {
    let depth = session.stack.len();
    for i in 0..depth {
        // A frame waits where it stands, unless it is a caller: then it
        // comes back after the call it made.
        let caller = i + 1 < depth && !session.stack[i + 1].digression;
        let frame = &mut session.stack[i];
        let Some(flow) = program.flow(&frame.flow) else {
            continue;
        };
        let waits = frame.form.is_some() || frame.pending.is_some() || !caller;
        let at = if waits {
            Some(frame.pc)
        } else {
            frame.pc.checked_sub(1)
        };
        let step = at.and_then(|at| flow.steps.get(at)).copied().unwrap_or(0);
        let form = frame.form.as_ref().and_then(|fs| flow.forms.get(fs.form));
        let asking = frame
            .form
            .as_ref()
            .and_then(|fs| form?.slots.get(fs.slot?))
            .map(|s| format_compact!("{}:{}", s.name, s.ty.name()));
        let mut slots: Vec<CompactString> = Vec::new();
        for s in flow.forms.iter().flat_map(|f| &f.slots) {
            if frame.vars.get(&s.name).is_some_and(|v| !v.is_null()) {
                let id = format_compact!("{}:{}", s.name, s.ty.name());
                if !slots.contains(&id) {
                    slots.push(id);
                }
            }
        }
        let anchor = Anchor {
            flow: flow.fingerprint,
            step,
            form: form.map_or(0, |f| f.fingerprint),
            asking,
            slots,
        };
        if frame.at.as_deref() != Some(&anchor) {
            frame.at = Some(Arc::new(anchor));
        }
    }
}

/// What carrying a frame over did to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Its flow did not change, or it found its step again: it goes on.
    Kept { dropped: bool },
    /// Back at its safe point: it asks again from there.
    Moved,
    /// Its flow is gone.
    Gone,
}

fn migrate(program: &Program, session: &mut Session) {
    let before = session.stack.len();
    let mut dropped = false;
    let mut top_moved = false;
    let mut i = 0;
    while i < session.stack.len() {
        let above_is_digression = session.stack.get(i + 1).is_some_and(|f| f.digression);
        match carry_frame(program, &mut session.stack[i]) {
            Fate::Kept { dropped: d } => dropped |= d,
            Fate::Moved => {
                dropped = true;
                // A caller sent back to its form must not wait for a callee
                // that would then return into the middle of it.
                if !above_is_digression {
                    session.stack.truncate(i + 1);
                }
                top_moved |= i + 1 == session.stack.len();
            }
            Fate::Gone => {
                let digression = session.stack[i].digression;
                session.stack.truncate(i);
                top_moved = true;
                if let Some(below) = i.checked_sub(1) {
                    if !digression {
                        // The call it made returns nothing now: the caller
                        // goes back to its form rather than on after the call.
                        if let Some(flow) = program.flow(&session.stack[below].flow) {
                            move_to_safe_point(flow, &mut session.stack[below]);
                        }
                    }
                }
                break;
            }
        }
        i += 1;
    }
    let change = if before > 0 && session.stack.is_empty() {
        Some(BotChanged::Restarted)
    } else if top_moved {
        Some(BotChanged::Moved)
    } else if dropped {
        Some(BotChanged::Updated)
    } else {
        None
    };
    session.changed = strongest(session.changed, change);
}

fn strongest(a: Option<BotChanged>, b: Option<BotChanged>) -> Option<BotChanged> {
    let rank = |c: Option<BotChanged>| match c {
        None => 0,
        Some(BotChanged::Updated) => 1,
        Some(BotChanged::Moved) => 2,
        Some(BotChanged::Restarted) => 3,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

fn carry_frame(program: &Program, frame: &mut Frame) -> Fate {
    let Some(flow) = program.flow(&frame.flow) else {
        return Fate::Gone;
    };
    let Some(at) = frame.at.clone() else {
        move_to_safe_point(flow, frame);
        return Fate::Moved;
    };
    // An answer its slot no longer takes (an option removed from a choice)
    // is dropped, to be asked again.
    let mut dropped = false;
    for s in flow.forms.iter().flat_map(|f| &f.slots) {
        if frame
            .vars
            .get(&s.name)
            .is_some_and(|v| !fits(program, &s.ty, v))
        {
            frame.vars.shift_remove(&s.name);
            dropped = true;
        }
    }
    if at.flow == flow.fingerprint && !dropped {
        return Fate::Kept { dropped: false };
    }
    // Answers keep their place when their slot still exists with its type;
    // an answer to a slot of another type now is dropped, to be asked
    // again. One whose slot is gone stays a plain value of the flow (the
    // author may have replaced the question by a `set`).
    for id in &at.slots {
        let (name, ty) = id.split_once(':').unwrap_or((id.as_str(), ""));
        if slot_named(flow, name).is_none_or(|s| s.ty.name() == ty) {
            continue;
        }
        if frame.vars.shift_remove(name).is_some_and(|v| !v.is_null()) {
            dropped = true;
        }
    }
    if let Some(pending) = frame.pending.as_mut() {
        // The host answers an action that may have run: only the very step
        // that asked for it may receive the answer.
        let found = flow.step(at.step).and_then(|pc| match flow.code.get(pc) {
            Some(Instr::Do {
                action, on_failure, ..
            }) if *action == pending.action => Some((pc, *on_failure)),
            _ => None,
        });
        return match found {
            Some((pc, on_failure)) => {
                frame.pc = pc;
                pending.on_failure = on_failure;
                Fate::Kept { dropped }
            }
            None => {
                move_to_safe_point(flow, frame);
                Fate::Moved
            }
        };
    }
    if let Some(fs) = frame.form.clone() {
        let found = flow
            .step(at.step)
            .filter(|pc| matches!(flow.code.get(*pc), Some(Instr::Form(_))))
            .or_else(|| form_sharing_slots(flow, &at));
        let Some((pc, k)) = found.and_then(|pc| match flow.code.get(pc) {
            Some(Instr::Form(k)) => Some((pc, *k)),
            _ => None,
        }) else {
            move_to_safe_point(flow, frame);
            return Fate::Moved;
        };
        let Some(form) = flow.forms.get(k) else {
            move_to_safe_point(flow, frame);
            return Fate::Moved;
        };
        frame.pc = pc;
        let mut fs = fs;
        fs.form = k;
        fs.skipped
            .retain(|n| form.slots.iter().any(|s| s.name == *n && may_be_empty(s)));
        let kept = match fs.phase {
            Phase::Filling => {
                // The same question, if its slot is still there, empty, with its type.
                let asked = at.asking.as_deref().and_then(|id| {
                    let (name, ty) = id.split_once(':')?;
                    form.slots
                        .iter()
                        .position(|s| s.name == name && s.ty.name() == ty)
                });
                match asked {
                    Some(j) if !filled(&frame.vars, &form.slots[j].name) => {
                        fs.slot = Some(j);
                        true
                    }
                    _ => false,
                }
            }
            // A confirmation stands only if everything it confirms is there.
            Phase::Confirming | Phase::Correcting => {
                form.confirm.is_some() && complete(form, &frame.vars, &fs.skipped)
            }
        };
        if kept {
            frame.form = Some(fs);
            return Fate::Kept { dropped };
        }
        frame.form = None;
        frame.prefill = None;
        return Fate::Moved;
    }
    // A caller: it comes back after the call it made.
    match flow.step(at.step) {
        Some(pc) if matches!(flow.code.get(pc), Some(Instr::Call { .. })) => {
            frame.pc = pc + 1;
            Fate::Kept { dropped }
        }
        _ => {
            move_to_safe_point(flow, frame);
            Fate::Moved
        }
    }
}

/// The form that shares most slots with the one the frame was in.
fn form_sharing_slots(flow: &Flow, at: &Anchor) -> Option<usize> {
    let names: Vec<&str> = at
        .slots
        .iter()
        .chain(&at.asking)
        .map(|id| id.split_once(':').map_or(id.as_str(), |(n, _)| n))
        .collect();
    best_form(flow, &names)
}

fn best_form(flow: &Flow, names: &[&str]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (pc, instr) in flow.code.iter().enumerate() {
        let Instr::Form(k) = instr else { continue };
        let Some(form) = flow.forms.get(*k) else {
            continue;
        };
        let shared = form
            .slots
            .iter()
            .filter(|s| names.contains(&s.name.as_str()))
            .count();
        if shared > 0 && best.is_none_or(|(_, n)| shared > n) {
            best = Some((pc, shared));
        }
    }
    best.map(|(pc, _)| pc)
}

/// Sends a frame back to the form that holds most of its answers (it asks
/// what is missing, then confirms again), or to its flow's start; the
/// answers stay.
fn move_to_safe_point(flow: &Flow, frame: &mut Frame) {
    let names: Vec<&str> = frame
        .vars
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(n, _)| n.as_str())
        .collect();
    frame.pc = best_form(flow, &names).unwrap_or(0);
    frame.form = None;
    frame.pending = None;
    frame.prefill = None;
}

fn slot_named<'f>(flow: &'f Flow, name: &str) -> Option<&'f crate::compile::SlotSpec> {
    flow.forms
        .iter()
        .flat_map(|f| &f.slots)
        .find(|s| s.name == name)
}

fn may_be_empty(slot: &crate::compile::SlotSpec) -> bool {
    slot.optional || slot.when.is_some()
}

fn filled(vars: &IndexMap<String, Value>, name: &str) -> bool {
    vars.get(name).is_some_and(|v| !v.is_null())
}

/// Every slot holds a value, or was left empty as it may be.
fn complete(form: &FormSpec, vars: &IndexMap<String, Value>, skipped: &[String]) -> bool {
    form.slots
        .iter()
        .all(|s| filled(vars, &s.name) || (may_be_empty(s) && skipped.contains(&s.name)))
}

/// Whether a value can be a slot's: its kind, and for a choice, its option.
fn fits(program: &Program, ty: &SlotType, v: &Value) -> bool {
    match (ty, v) {
        (_, Value::Null) => true,
        (SlotType::Date, Value::Date(_))
        | (SlotType::Time, Value::Time(_))
        | (SlotType::Number, Value::Number(_))
        | (SlotType::Money, Value::Money(_))
        | (SlotType::YesNo, Value::Bool(_)) => true,
        (SlotType::Choice(name), Value::Text(key)) => program
            .choices
            .get(name)
            .is_some_and(|c| c.options.iter().any(|o| o.key == *key)),
        (
            SlotType::Date
            | SlotType::Time
            | SlotType::Number
            | SlotType::Money
            | SlotType::YesNo
            | SlotType::Choice(_),
            _,
        ) => false,
        (_, Value::Text(_)) => true,
        _ => false,
    }
}

/// Checks that a session can run on this program as it is: every frame's
/// flow exists, its position is an instruction it can stand at, its form
/// state agrees with its slots (a confirmation only of a complete form),
/// its pending action is the one its step asks for, its slots hold values
/// of their types, and the stack is not deeper than a turn allows.
pub fn validate(program: &Program, session: &Session) -> Result<(), String> {
    let stack = &session.stack;
    if stack.len() > MAX_STACK {
        return Err(format!("{} flows inside each other", stack.len()));
    }
    for (i, frame) in stack.iter().enumerate() {
        let flow = program
            .flow(&frame.flow)
            .ok_or_else(|| format!("no flow `{}`", frame.flow))?;
        let bad = |what: &str| Err(format!("`{}`: {what}", frame.flow));
        if frame.pc > flow.code.len() {
            return bad("position past the flow's end");
        }
        if i == 0 && frame.digression {
            return bad("a digression interrupts nothing");
        }
        if frame
            .prefill
            .as_ref()
            .is_some_and(|p| p.len() > MAX_MESSAGE_BYTES)
        {
            return bad("message too long");
        }
        for s in flow.forms.iter().flat_map(|f| &f.slots) {
            if let Some(v) = frame.vars.get(&s.name) {
                if !fits(program, &s.ty, v) {
                    return bad(&format!("`{}` holds a {}", s.name, v.type_name()));
                }
            }
        }
        let top = i + 1 == stack.len();
        let interrupted = stack.get(i + 1).is_some_and(|f| f.digression);
        match (&frame.form, &frame.pending) {
            (Some(_), Some(_)) => return bad("a form and an action at once"),
            (None, Some(p)) => {
                if !top {
                    return bad("an action awaited below the top");
                }
                let asks = matches!(
                    flow.code.get(frame.pc),
                    Some(Instr::Do { action, on_failure, .. })
                        if *action == p.action && *on_failure == p.on_failure
                );
                let number = p.id.strip_prefix('a').and_then(|n| n.parse::<u32>().ok());
                if !asks || number.is_none_or(|n| n == 0 || n > session.next_action) {
                    return bad("an action its step does not ask for");
                }
            }
            (Some(fs), None) => {
                if !(top || interrupted) {
                    return bad("a form below a caller");
                }
                let Some(Instr::Form(k)) = flow.code.get(frame.pc) else {
                    return bad("a form state away from its form");
                };
                let form = match flow.forms.get(*k) {
                    Some(f) if *k == fs.form => f,
                    _ => return bad("a form state of another form"),
                };
                for name in &fs.skipped {
                    if !form
                        .slots
                        .iter()
                        .any(|s| s.name == *name && may_be_empty(s))
                    {
                        return bad("a required slot marked as skipped");
                    }
                }
                match fs.phase {
                    Phase::Filling => {
                        if fs.slot.is_none_or(|j| j >= form.slots.len()) {
                            return bad("asking no slot of the form");
                        }
                    }
                    Phase::Confirming | Phase::Correcting => {
                        if form.confirm.is_none() || !complete(form, &frame.vars, &fs.skipped) {
                            return bad("confirming an incomplete form");
                        }
                    }
                }
            }
            (None, None) => {
                // Sent back to a safe point by a change of the bot: it runs
                // from there at the next turn (or when its digression ends).
                let safe_point =
                    frame.pc == 0 || matches!(flow.code.get(frame.pc), Some(Instr::Form(_)));
                if (top || interrupted) && safe_point && session.changed.is_some() {
                    continue;
                }
                if top || interrupted {
                    return bad("waiting for nothing");
                }
                let called = frame
                    .pc
                    .checked_sub(1)
                    .is_some_and(|at| matches!(flow.code.get(at), Some(Instr::Call { .. })));
                if !called || stack.get(i + 1).is_some_and(|f| f.digression) {
                    return bad("a caller that made no call");
                }
            }
        }
    }
    Ok(())
}
