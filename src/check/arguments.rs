//! Action arguments that may have no value when the action is done: a
//! required argument fed by a slot the citizen may skip, a slot asked only
//! `when` something holds, or a variable set on some paths only. At run
//! time such a request is refused (a `missing_argument` error, the
//! conversation stuck where it is); the checker says so before.

use super::Checker;
use crate::diagnostics::{Diagnostic, Span};
use crate::syntax::ast::{ExprKind, FlowDecl, FormSlot, SlotClauses, SlotTypeRef, Stmt, StmtKind};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check(c: &mut Checker) {
    let mut flows: Vec<&FlowDecl> = c.flows.values().copied().collect();
    flows.sort_by_key(|f| (f.span.source, f.span.start));
    for f in flows {
        let mut w = Walker {
            c,
            why: BTreeMap::new(),
            found: Vec::new(),
        };
        // A name given a value only further down is not set yet.
        let mut later = Vec::new();
        assigned(&f.body, &mut later);
        for name in later {
            w.why.insert(
                name.clone(),
                format!("`{name}` is not set on every path before this"),
            );
        }
        let mut sure: BTreeSet<String> = BTreeSet::new();
        for p in &f.params {
            if p.optional {
                w.why.insert(
                    p.name.name.clone(),
                    format!("the argument `{}` is optional", p.name.name),
                );
            } else {
                sure.insert(p.name.name.clone());
            }
        }
        w.block(&f.body, sure);
        let found = std::mem::take(&mut w.found);
        for d in found {
            c.push(d);
        }
    }
}

/// Every name a block gives a value to (`set`, `as`), at any depth.
fn assigned(stmts: &[Stmt], out: &mut Vec<String>) {
    for s in stmts {
        match &s.kind {
            StmtKind::Set { name, .. } => out.push(name.name.clone()),
            StmtKind::Call { bind: Some(b), .. } => out.push(b.name.clone()),
            StmtKind::Do {
                bind, ok, failed, ..
            } => {
                out.extend(bind.iter().map(|b| b.name.clone()));
                for b in [ok, failed].into_iter().flatten() {
                    assigned(b, out);
                }
            }
            StmtKind::If {
                branches,
                otherwise,
            } => {
                for (_, b) in branches {
                    assigned(b, out);
                }
                if let Some(b) = otherwise {
                    assigned(b, out);
                }
            }
            StmtKind::Match {
                cases, otherwise, ..
            } => {
                for c in cases {
                    assigned(&c.body, out);
                }
                if let Some(b) = otherwise {
                    assigned(b, out);
                }
            }
            StmtKind::Form(f) => {
                for slot in &f.slots {
                    if let Some(then) = slot.clauses.attempts.as_ref().and_then(|a| a.then.as_ref())
                    {
                        assigned(then, out);
                    }
                }
            }
            _ => {}
        }
    }
}

struct Walker<'c, 'a> {
    c: &'c Checker<'a>,
    /// Why a name may be empty, for the message (names that are given a
    /// value somewhere in the flow but not on every path).
    why: BTreeMap<String, String>,
    found: Vec<Diagnostic>,
}

/// The names surely holding a value after a block, or `None` when the
/// block always leaves (a `goto`, `stop`, `handoff`...).
type After = Option<BTreeSet<String>>;

fn meet(a: After, b: After) -> After {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(a), Some(b)) => Some(a.intersection(&b).cloned().collect()),
    }
}

impl Walker<'_, '_> {
    fn block(&mut self, stmts: &[Stmt], mut sure: BTreeSet<String>) -> After {
        for s in stmts {
            match self.stmt(s, sure) {
                Some(next) => sure = next,
                None => return None,
            }
        }
        Some(sure)
    }

    /// A slot's clause, its own or its reusable template's.
    fn clause<'s>(&'s self, slot: &'s FormSlot, pick: fn(&SlotClauses) -> bool) -> &'s SlotClauses {
        if let SlotTypeRef::Like(t) = &slot.ty {
            if !pick(&slot.clauses) {
                if let Some(decl) = self.c.slots.get(t.name.as_str()) {
                    return &decl.clauses;
                }
            }
        }
        &slot.clauses
    }

    fn stmt(&mut self, s: &Stmt, mut sure: BTreeSet<String>) -> After {
        match &s.kind {
            StmtKind::Set { name, value } => {
                if matches!(value.kind, ExprKind::Nothing) {
                    sure.remove(&name.name);
                    self.why.insert(
                        name.name.clone(),
                        format!("`{}` is set to nothing", name.name),
                    );
                } else {
                    sure.insert(name.name.clone());
                    self.why.entry(name.name.clone()).or_insert_with(|| {
                        format!("`{}` is not set on every path before this", name.name)
                    });
                }
            }
            StmtKind::Form(f) => {
                let before = sure.clone();
                for slot in &f.slots {
                    let name = &slot.name.name;
                    let optional = self
                        .clause(slot, |c| c.optional.is_some())
                        .optional
                        .is_some();
                    let default = self.clause(slot, |c| c.default.is_some()).default.is_some();
                    if default || (!optional && slot.clauses.when.is_none()) {
                        sure.insert(name.clone());
                    } else if optional {
                        self.why.insert(
                            name.clone(),
                            format!("the slot `{name}` is optional: the citizen may skip it"),
                        );
                    } else {
                        self.why.insert(
                            name.clone(),
                            format!("the slot `{name}` is asked only `when` its condition holds"),
                        );
                    }
                }
                // A way out runs after wrong answers: only what held before the form.
                for slot in &f.slots {
                    if let Some(then) = slot.clauses.attempts.as_ref().and_then(|a| a.then.as_ref())
                    {
                        self.block(then, before.clone());
                    }
                }
            }
            StmtKind::Call { bind, .. } => {
                if let Some(b) = bind {
                    sure.insert(b.name.clone());
                }
            }
            StmtKind::Do {
                action,
                args,
                bind,
                ok,
                failed,
            } => {
                self.arguments(&action.name, args, &sure);
                if let Some(b) = bind {
                    sure.insert(b.name.clone());
                }
                let ok_after = match ok {
                    Some(body) => self.block(body, sure.clone()),
                    None => Some(sure.clone()),
                };
                let failed_after = match failed {
                    Some(body) => self.block(body, sure.clone()),
                    None => Some(sure.clone()),
                };
                return meet(ok_after, failed_after);
            }
            StmtKind::If {
                branches,
                otherwise,
            } => {
                let mut after: After = if otherwise.is_some() {
                    None
                } else {
                    Some(sure.clone())
                };
                for (_, body) in branches {
                    after = meet(after, self.block(body, sure.clone()));
                }
                if let Some(body) = otherwise {
                    after = meet(after, self.block(body, sure.clone()));
                }
                return after;
            }
            StmtKind::Match {
                cases, otherwise, ..
            } => {
                let mut after: After = if otherwise.is_some() {
                    None
                } else {
                    Some(sure.clone())
                };
                for case in cases {
                    after = meet(after, self.block(&case.body, sure.clone()));
                }
                if let Some(body) = otherwise {
                    after = meet(after, self.block(body, sure.clone()));
                }
                return after;
            }
            StmtKind::Goto(_)
            | StmtKind::Stop
            | StmtKind::Cancel
            | StmtKind::Restart
            | StmtKind::Close
            | StmtKind::Return(_)
            | StmtKind::Handoff { .. } => return None,
            StmtKind::Say { .. } | StmtKind::Language(_) => {}
        }
        Some(sure)
    }

    fn arguments(
        &mut self,
        action: &str,
        args: &[crate::syntax::ast::Arg],
        sure: &BTreeSet<String>,
    ) {
        let Some(decl) = self.c.actions.get(action) else {
            return;
        };
        for arg in args {
            let required = decl
                .params
                .iter()
                .any(|p| p.name.name == arg.name.name && !p.optional);
            if !required {
                continue;
            }
            let (name, span): (&str, Span) = match &arg.value {
                None => (&arg.name.name, arg.name.span),
                Some(e) => match &e.kind {
                    ExprKind::Var(id) => (&id.name, e.span),
                    _ => continue,
                },
            };
            if sure.contains(name) {
                continue;
            }
            // A name nothing gives a value is reported as unknown elsewhere.
            let Some(why) = self.why.get(name) else {
                continue;
            };
            self.found.push(
                Diagnostic::warning(
                    "argument-may-be-missing",
                    span,
                    format!(
                        "`{}` of `{action}` may have no value here: {why}",
                        arg.name.name
                    ),
                )
                .with_label("may be empty when the action is done")
                .with_help(format!(
                    "give the slot a `default`, ask it always, or declare the argument optional (`{}?: ...`); an action is never sent without a required argument: the conversation would stop with an error here",
                    arg.name.name
                )),
            );
        }
    }
}
