//! Endless loops: flows that send the conversation round in a circle
//! without ever waiting for the citizen, so the bot would never answer.

use super::Checker;
use crate::diagnostics::{Diagnostic, Span};
use crate::syntax::ast::{Stmt, StmtKind};
use std::collections::{BTreeMap, BTreeSet};

/// A `goto` (or self-`call`, or `restart`) reached before the flow waits.
struct Jump {
    to: String,
    span: Span,
    kind: &'static str,
}

pub(super) fn check(c: &mut Checker) {
    let mut edges: BTreeMap<String, Vec<Jump>> = BTreeMap::new();
    let mut flows: Vec<_> = c.flows.values().copied().collect();
    flows.sort_by_key(|f| (f.span.source, f.span.start));
    for f in &flows {
        let mut jumps = Vec::new();
        walk(&f.body, &f.name.name, false, &mut jumps);
        edges.insert(f.name.name.clone(), jumps);
    }

    for f in &flows {
        let name = &f.name.name;
        for j in edges.get(name).into_iter().flatten() {
            if j.to == *name && j.kind != "goto" {
                let what = if j.kind == "call" {
                    format!("`{name}` calls itself before asking the citizen anything")
                } else {
                    format!("`{name}` restarts before asking the citizen anything")
                };
                c.push(
                    Diagnostic::error("endless-loop", j.span, what)
                        .with_label("runs again at once, forever")
                        .with_help("ask something first (a `form` with a slot) or do an action, so the citizen can answer"),
                );
            }
        }
    }

    // Cycles of gotos: each strongly connected group is reported once, at its first goto.
    let names: Vec<String> = edges.keys().cloned().collect();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for start in &names {
        if reported.contains(start) {
            continue;
        }
        let Some(cycle) = find_cycle(start, &edges) else {
            continue;
        };
        if cycle.iter().any(|(n, _)| reported.contains(n)) {
            continue;
        }
        for (n, _) in &cycle {
            reported.insert(n.clone());
        }
        let path: Vec<&str> = cycle.iter().map(|(n, _)| n.as_str()).collect();
        let (first, first_span) = &cycle[0];
        let mut d = Diagnostic::error(
            "endless-loop",
            *first_span,
            if path.len() == 1 {
                format!("`{first}` goes to itself before asking the citizen anything")
            } else {
                format!(
                    "{} go to each other in a circle, and none asks the citizen anything",
                    path.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
                )
            },
        )
        .with_label("the circle starts here")
        .with_help("ask something (a `form` with a slot) or do an action in one of these flows before its `goto`, or end one of them");
        for (n, span) in cycle.iter().skip(1) {
            d = d.with_related(*span, format!("`{n}` goes on from here"));
        }
        c.push(d);
    }
}

/// A cycle through `start`, as (flow, span of its goto) pairs.
fn find_cycle(start: &str, edges: &BTreeMap<String, Vec<Jump>>) -> Option<Vec<(String, Span)>> {
    let mut path: Vec<(String, Span)> = Vec::new();
    let mut visited = BTreeSet::new();
    fn dfs(
        node: &str,
        start: &str,
        edges: &BTreeMap<String, Vec<Jump>>,
        path: &mut Vec<(String, Span)>,
        visited: &mut BTreeSet<String>,
    ) -> bool {
        for j in edges
            .get(node)
            .into_iter()
            .flatten()
            .filter(|j| j.kind == "goto")
        {
            path.push((node.to_string(), j.span));
            if j.to == start {
                return true;
            }
            if visited.insert(j.to.clone()) && dfs(&j.to, start, edges, path, visited) {
                return true;
            }
            path.pop();
        }
        false
    }
    dfs(start, start, edges, &mut path, &mut visited).then_some(path)
}

/// Collects jumps made before the flow waits; returns whether the block waits on every path.
fn walk(stmts: &[Stmt], flow: &str, mut waited: bool, out: &mut Vec<Jump>) -> bool {
    for s in stmts {
        match &s.kind {
            StmtKind::Form(f) if !f.slots.is_empty() => waited = true,
            StmtKind::Do { ok, failed, .. } => {
                // The ok and failed branches run after the host answered.
                let _ = (ok, failed);
                waited = true;
            }
            StmtKind::Goto(to) if !waited => out.push(Jump {
                to: to.name.clone(),
                span: s.span,
                kind: "goto",
            }),
            StmtKind::Call { flow: to, .. } if !waited && to.name == flow => out.push(Jump {
                to: to.name.clone(),
                span: s.span,
                kind: "call",
            }),
            StmtKind::Restart if !waited => out.push(Jump {
                to: flow.to_string(),
                span: s.span,
                kind: "restart",
            }),
            StmtKind::If {
                branches,
                otherwise,
            } => {
                let mut all = otherwise.is_some();
                for (_, b) in branches {
                    all &= walk(b, flow, waited, out);
                }
                if let Some(b) = otherwise {
                    all &= walk(b, flow, waited, out);
                }
                waited |= all;
            }
            StmtKind::Match {
                cases, otherwise, ..
            } => {
                let mut all = otherwise.is_some();
                for case in cases {
                    all &= walk(&case.body, flow, waited, out);
                }
                if let Some(b) = otherwise {
                    all &= walk(b, flow, waited, out);
                }
                waited |= all;
            }
            _ => {}
        }
    }
    waited
}
