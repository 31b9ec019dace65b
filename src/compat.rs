//! What deploying a new version of a bot does to the conversations open
//! with the old one: `guichet check --against OLD` lists it before the
//! deploy, and a server can log it when it reloads. Each change says which
//! conversations it touches and how (they restart, go back to a form, are
//! asked again, or go on), with the place in the new bot (or in the old
//! one, for what was removed).

use crate::compile::{Flow, Instr, Program};
use crate::diagnostics::{Diagnostic, Located, Span};
use crate::Bot;
use serde::Serialize;

/// How a change touches the conversations open when it is deployed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// They start over.
    Restarts,
    /// They go back to a safe point (their form, keeping its answers).
    Moves,
    /// They are asked something again, or for the first time.
    AsksAgain,
    /// They go on, with a difference worth knowing.
    Continues,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub effect: Effect,
    /// A warning with a stable code (`flow-removed`, `step-removed`,
    /// `slot-removed`, `slot-retyped`, `slot-added`, `confirm-removed`,
    /// `flow-arguments-changed`, `action-removed`, `action-changed`).
    pub diagnostic: Diagnostic,
    /// Whether the diagnostic points into the old bot (what was removed)
    /// rather than the new one.
    pub in_old: bool,
}

impl Change {
    /// The change with its place resolved, for `--format json`.
    pub fn located(&self, old: &Bot, new: &Bot) -> serde_json::Value {
        let sources = if self.in_old {
            old.sources()
        } else {
            new.sources()
        };
        let mut json =
            serde_json::to_value(Located::new(&self.diagnostic, sources)).unwrap_or_default();
        if let Some(obj) = json.as_object_mut() {
            obj.insert(
                "effect".into(),
                serde_json::to_value(self.effect).unwrap_or_default(),
            );
            obj.insert("in_old".into(), self.in_old.into());
        }
        json
    }
}

fn change(effect: Effect, in_old: bool, code: &'static str, span: Span, message: String) -> Change {
    let help = match effect {
        Effect::Restarts => "conversations in it start over when this version is deployed; the citizen is told",
        Effect::Moves => "conversations there go back to their form (its answers kept) and confirm again; the citizen is told",
        Effect::AsksAgain => "conversations in this flow are asked it before their confirmation or action",
        Effect::Continues => "conversations in progress go on",
    };
    Change {
        effect,
        diagnostic: Diagnostic::warning(code, span, message)
            .with_label(match effect {
                Effect::Restarts => "live conversations restart",
                Effect::Moves => "live conversations move",
                Effect::AsksAgain => "live conversations are asked again",
                Effect::Continues => "live conversations go on",
            })
            .with_help(help),
        in_old,
    }
}

/// The changes from `old` to `new` that touch conversations in progress,
/// in the order of the old bot's flows, then its actions.
pub fn changes(old: &Bot, new: &Bot) -> Vec<Change> {
    let (o, n) = (old.program(), new.program());
    let mut out = Vec::new();
    for of in &o.flows {
        match n.flow(&of.name) {
            None => out.push(change(
                Effect::Restarts,
                true,
                "flow-removed",
                of.span,
                format!("the flow `{}` is removed", of.name),
            )),
            Some(nf) if nf.fingerprint != of.fingerprint => flow_changes(of, nf, &mut out),
            Some(_) => {}
        }
    }
    let mut actions: Vec<_> = o.actions.values().collect();
    actions.sort_by(|a, b| a.name.cmp(&b.name));
    for oa in actions {
        let span = action_span(o, &oa.name);
        match n.actions.get(&oa.name) {
            None => out.push(change(
                Effect::Continues,
                true,
                "action-removed",
                span,
                format!("the action `{}` is removed: a result the host sends later for a request of it is refused", oa.name),
            )),
            Some(na) if na.params != oa.params || na.results != oa.results => {
                out.push(change(
                    Effect::Continues,
                    false,
                    "action-changed",
                    action_span(n, &na.name),
                    format!(
                        "the action `{}` changes its arguments or results: requests already sent keep the old arguments, and their results are read with the new result fields",
                        na.name
                    ),
                ))
            }
            Some(_) => {}
        }
    }
    out
}

/// Where an action is done in a program (its first `do`), for lack of a
/// declaration span in the compiled program.
fn action_span(p: &Program, action: &str) -> Span {
    for f in &p.flows {
        for (i, instr) in f.code.iter().enumerate() {
            if matches!(instr, Instr::Do { action: a, .. } if a == action) {
                if let Some(Some(span)) = f.spans.get(i) {
                    return *span;
                }
            }
        }
    }
    Span::default()
}

fn flow_changes(of: &Flow, nf: &Flow, out: &mut Vec<Change>) {
    let name = &of.name;
    if of.params != nf.params || of.optional_params != nf.optional_params {
        out.push(change(
            Effect::Continues,
            false,
            "flow-arguments-changed",
            nf.span,
            format!("`{name}` takes other arguments: conversations inside it keep those they were called with"),
        ));
    }
    for (pc, instr) in of.code.iter().enumerate() {
        let id = of.steps.get(pc).copied().unwrap_or(0);
        if id == 0 || nf.step(id).is_some() {
            continue;
        }
        let span = of.spans.get(pc).copied().flatten().unwrap_or(of.span);
        let (what, effect) = match instr {
            Instr::Form(k) => {
                let Some(form) = of.forms.get(*k) else {
                    continue;
                };
                // A form found again by its slots is not gone.
                let shares = nf
                    .forms
                    .iter()
                    .any(|f| f.slots.iter().any(|s| form.slots.iter().any(|o| o.name == s.name)));
                if shares {
                    continue;
                }
                let slots: Vec<String> = form.slots.iter().map(|s| format!("`{}`", s.name)).collect();
                (format!("the form asking {} is removed from `{name}`", slots.join(", ")), Effect::Moves)
            }
            Instr::Do { action, .. } => (
                format!("the `do {action}` of `{name}` is removed or moved: conversations waiting for its result go back to their form, and a result the host sends later is refused"),
                Effect::Moves,
            ),
            Instr::Call { flow, .. } => (
                format!("the `call {flow}` of `{name}` is removed or moved: conversations inside `{flow}` leave it and go back to the form of `{name}`"),
                Effect::Moves,
            ),
            _ => continue,
        };
        out.push(change(effect, true, "step-removed", span, what));
    }
    let old_slots: Vec<&crate::compile::SlotSpec> =
        of.forms.iter().flat_map(|f| &f.slots).collect();
    for os in &old_slots {
        match nf.forms.iter().flat_map(|f| &f.slots).find(|s| s.name == os.name) {
            None => out.push(change(
                Effect::Moves,
                true,
                "slot-removed",
                os.span,
                format!("the slot `{}` of `{name}` is removed: conversations asked it go back to their form; answers already given stay as plain values", os.name),
            )),
            Some(ns) if ns.ty != os.ty => out.push(change(
                Effect::AsksAgain,
                false,
                "slot-retyped",
                ns.span,
                format!(
                    "the slot `{}` of `{name}` changes type from {} to {}: answers given to it are dropped and asked again",
                    ns.name, os.ty, ns.ty
                ),
            )),
            Some(_) => {}
        }
    }
    for form in &nf.forms {
        let existed = form
            .slots
            .iter()
            .any(|s| old_slots.iter().any(|o| o.name == s.name));
        if !existed {
            continue;
        }
        for ns in &form.slots {
            let required = !ns.optional && ns.when.is_none() && ns.default.is_none();
            if required && !old_slots.iter().any(|o| o.name == ns.name) {
                out.push(change(
                    Effect::AsksAgain,
                    false,
                    "slot-added",
                    ns.span,
                    format!(
                        "the form of `{name}` gets a new required slot `{}`: conversations still in the form are asked it before their confirmation; those already past it go on without it",
                        ns.name
                    ),
                ));
            }
        }
    }
    for of_form in &of.forms {
        if of_form.confirm.is_none() {
            continue;
        }
        let same = nf.forms.iter().find(|f| {
            f.slots
                .iter()
                .any(|s| of_form.slots.iter().any(|o| o.name == s.name))
        });
        if let Some(nform) = same.filter(|f| f.confirm.is_none()) {
            let span = nform.slots.first().map_or(nf.span, |s| s.span);
            out.push(change(
                Effect::Moves,
                false,
                "confirm-removed",
                span,
                format!("the form of `{name}` no longer confirms: conversations waiting at its confirmation go on without a yes"),
            ));
        }
    }
}
