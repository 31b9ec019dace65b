//! Loops: flows that send the conversation round in a circle without ever
//! waiting for the citizen (the bot would never answer), circles that may
//! not wait (a form whose slots may all be skipped), and flows that call
//! themselves, directly or through others, nesting one more flow per round
//! until the conversation stops.

use super::Checker;
use crate::diagnostics::{Diagnostic, Span};
use crate::syntax::ast::{Stmt, StmtKind};
use std::collections::{BTreeMap, BTreeSet};

/// Whether the flow has waited for the citizen at a point, on every path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Wait {
    /// Nothing was asked yet.
    No,
    /// Only through forms whose slots may all be skipped (`when`).
    Maybe,
    Surely,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Goto,
    Call,
    Restart,
}

/// A `goto`, `call` or `restart`, and whether the flow waited before it.
struct Jump {
    to: String,
    span: Span,
    kind: Kind,
    wait: Wait,
}

type Edges = BTreeMap<String, Vec<Jump>>;

pub(super) fn check(c: &mut Checker) {
    let mut edges: Edges = BTreeMap::new();
    let mut flows: Vec<_> = c.flows.values().copied().collect();
    flows.sort_by_key(|f| (f.span.source, f.span.start));
    for f in &flows {
        let mut jumps = Vec::new();
        // A flow's arguments are there from its start (and `restart` keeps them).
        let mut assigned: BTreeSet<String> = f.params.iter().map(|p| p.name.name.clone()).collect();
        walk(&f.body, &f.name.name, Wait::No, &mut assigned, &mut jumps);
        edges.insert(f.name.name.clone(), jumps);
    }
    let reported = self_loops(c, &edges);
    let reported = circles(c, &edges, Wait::No, reported);
    circles(c, &edges, Wait::Maybe, reported);
    recursion(c, &edges);
}

/// A flow that restarts or calls itself before asking anything.
fn self_loops(c: &mut Checker, edges: &Edges) -> BTreeSet<String> {
    let mut reported = BTreeSet::new();
    for (name, jumps) in edges {
        for j in jumps {
            if j.to != *name || j.kind == Kind::Goto || j.wait == Wait::Surely {
                continue;
            }
            let verb = if j.kind == Kind::Call {
                "calls itself"
            } else {
                "restarts"
            };
            let d = if j.wait == Wait::No {
                reported.insert(name.clone());
                Diagnostic::error(
                    "endless-loop",
                    j.span,
                    format!("`{name}` {verb} before asking the citizen anything"),
                )
                .with_label("runs again at once, forever")
                .with_help("ask something first (a `form` with a slot) or do an action, so the citizen can answer")
            } else {
                Diagnostic::warning(
                    "loop-without-question",
                    j.span,
                    format!("`{name}` {verb} without asking anything when its form's slots are all skipped"),
                )
                .with_label("may run again at once, forever")
                .with_help("make sure one slot of the form is always asked (a slot without `when`), or leave the loop another way")
            };
            c.push(d);
        }
    }
    reported
}

/// Circles of gotos and calls whose every step waits no more than `upto`:
/// each strongly connected group is reported once, at its first jump.
fn circles(
    c: &mut Checker,
    edges: &Edges,
    upto: Wait,
    mut reported: BTreeSet<String>,
) -> BTreeSet<String> {
    let follow = |j: &Jump| j.kind != Kind::Restart && j.wait <= upto;
    for start in edges.keys() {
        if reported.contains(start) {
            continue;
        }
        let Some(cycle) = find_cycle(start, edges, &follow) else {
            continue;
        };
        if cycle.iter().any(|(n, _, _)| reported.contains(n))
            || (upto == Wait::Maybe && cycle.iter().all(|(_, _, j)| j.wait == Wait::No))
        {
            continue;
        }
        // A flow that calls itself is reported by `self_loops`.
        if let [(n, _, j)] = cycle.as_slice() {
            if j.kind == Kind::Call && j.to == *n {
                continue;
            }
        }
        for (n, _, _) in &cycle {
            reported.insert(n.clone());
        }
        let path: Vec<&str> = cycle.iter().map(|(n, _, _)| n.as_str()).collect();
        let calls = cycle.iter().any(|(_, _, j)| j.kind == Kind::Call);
        let (first, first_span, _) = &cycle[0];
        let message = match (path.len(), upto, calls) {
            (1, Wait::No, _) => format!("`{first}` goes to itself before asking the citizen anything"),
            (1, _, _) => format!("`{first}` goes to itself without asking anything when its form's slots are all skipped"),
            (_, Wait::No, false) => format!(
                "{} go to each other in a circle, and none asks the citizen anything",
                listed(&path)
            ),
            (_, Wait::No, true) => format!(
                "{} go to or call each other in a circle, and none asks the citizen anything",
                listed(&path)
            ),
            _ => format!(
                "{} go to each other in a circle that asks nothing when their forms' slots are all skipped",
                listed(&path)
            ),
        };
        let mut d = if upto == Wait::No {
            Diagnostic::error("endless-loop", *first_span, message)
                .with_label("the circle starts here")
                .with_help("ask something (a `form` with a slot) or do an action in one of these flows before its `goto`, or end one of them")
        } else {
            Diagnostic::warning("loop-without-question", *first_span, message)
                .with_label("the circle starts here")
                .with_help("make sure one slot is always asked on the way (a slot without `when`), or leave the circle another way")
        };
        for (n, span, _) in cycle.iter().skip(1) {
            d = d.with_related(*span, format!("`{n}` goes on from here"));
        }
        c.push(d);
    }
    reported
}

fn listed(names: &[&str]) -> String {
    names
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A cycle through `start` following the jumps `follow` accepts, as
/// (flow, span of its jump, the jump) triples.
fn find_cycle<'e>(
    start: &str,
    edges: &'e Edges,
    follow: &dyn Fn(&Jump) -> bool,
) -> Option<Vec<(String, Span, &'e Jump)>> {
    type Path<'e> = Vec<(String, Span, &'e Jump)>;
    fn dfs<'e>(
        node: &str,
        start: &str,
        edges: &'e Edges,
        follow: &dyn Fn(&Jump) -> bool,
        path: &mut Path<'e>,
        visited: &mut BTreeSet<String>,
    ) -> bool {
        for j in edges.get(node).into_iter().flatten().filter(|j| follow(j)) {
            path.push((node.to_string(), j.span, j));
            if j.to == start {
                return true;
            }
            if visited.insert(j.to.clone()) && dfs(&j.to, start, edges, follow, path, visited) {
                return true;
            }
            path.pop();
        }
        false
    }
    let mut path = Vec::new();
    let mut visited = BTreeSet::new();
    dfs(start, start, edges, follow, &mut path, &mut visited).then_some(path)
}

/// Calls on a circle: each round runs one more flow inside the others, and
/// the conversation stops when too many are nested. One warning per group
/// of flows that reach each other, at its first call.
fn recursion(c: &mut Checker, edges: &Edges) {
    let groups = strongly_connected(edges);
    for group in groups {
        let inside = |n: &str| group.contains(n);
        let mut calls: Vec<(&String, &Jump)> = Vec::new();
        let mut all_unwaited = true;
        for from in &group {
            for j in edges.get(from).into_iter().flatten() {
                if j.kind == Kind::Restart || !inside(&j.to) {
                    continue;
                }
                all_unwaited &= j.wait == Wait::No;
                if j.kind == Kind::Call {
                    calls.push((from, j));
                }
            }
        }
        // A circle that never waits is an endless loop, reported as such.
        if calls.is_empty() || all_unwaited {
            continue;
        }
        calls.sort_by_key(|(_, j)| (j.span.source, j.span.start));
        let (from, first) = calls[0];
        let names: Vec<&str> = group.iter().map(String::as_str).collect();
        let message = if names.len() == 1 {
            format!("`{from}` calls itself: each round runs one more flow inside the others")
        } else {
            format!(
                "{} call each other in a circle: each round runs one more flow inside the others",
                listed(&names)
            )
        };
        let mut d = Diagnostic::warning("recursive-call", first.span, message)
            .with_label("one more flow inside the others each time")
            .with_help(format!(
                "after {} flows inside each other the conversation stops with an error; to do something again, loop with `restart` (it keeps the flow's arguments), or end this flow and let its caller decide",
                crate::runtime::MAX_STACK
            ));
        for (n, j) in calls.iter().skip(1) {
            d = d.with_related(j.span, format!("`{n}` calls `{}` here", j.to));
        }
        c.push(d);
    }
}

/// Groups of flows that reach each other by gotos and calls (Tarjan), each
/// group with a circle inside: several flows, or one that jumps to itself.
fn strongly_connected(edges: &Edges) -> Vec<BTreeSet<String>> {
    struct State<'e> {
        edges: &'e Edges,
        index: BTreeMap<&'e str, usize>,
        low: BTreeMap<&'e str, usize>,
        stack: Vec<&'e str>,
        on_stack: BTreeSet<&'e str>,
        out: Vec<BTreeSet<String>>,
    }
    // Iterative, so a long chain of flows cannot overflow the stack.
    fn visit<'e>(s: &mut State<'e>, root: &'e str) {
        let mut work: Vec<(&'e str, usize)> = vec![(root, 0)];
        while let Some(top) = work.len().checked_sub(1) {
            let (node, next) = work[top];
            if next == 0 && !s.index.contains_key(node) {
                let i = s.index.len();
                s.index.insert(node, i);
                s.low.insert(node, i);
                s.stack.push(node);
                s.on_stack.insert(node);
            }
            let jumps: Vec<&'e str> = s
                .edges
                .get(node)
                .into_iter()
                .flatten()
                .filter(|j| j.kind != Kind::Restart && s.edges.contains_key(&j.to))
                .map(|j| j.to.as_str())
                .collect();
            if let Some(&to) = jumps.get(next) {
                work[top].1 += 1;
                if !s.index.contains_key(to) {
                    work.push((to, 0));
                } else if s.on_stack.contains(to) {
                    let low = s.low[node].min(s.index[to]);
                    s.low.insert(node, low);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                let low = s.low[parent].min(s.low[node]);
                s.low.insert(parent, low);
            }
            if s.low[node] == s.index[node] {
                let mut group = BTreeSet::new();
                while let Some(n) = s.stack.pop() {
                    s.on_stack.remove(n);
                    group.insert(n.to_string());
                    if n == node {
                        break;
                    }
                }
                let circular = group.len() > 1
                    || s.edges
                        .get(node)
                        .into_iter()
                        .flatten()
                        .any(|j| j.kind != Kind::Restart && j.to == node);
                if circular {
                    s.out.push(group);
                }
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for name in edges.keys() {
        if !s.index.contains_key(name.as_str()) {
            visit(&mut s, name);
        }
    }
    s.out
}

/// Collects the jumps of a block with how surely the flow waited before
/// each; returns how surely the block waits on every path. `assigned`
/// gathers the names given a value so far: a slot already holding one is
/// not asked.
fn walk(
    stmts: &[Stmt],
    flow: &str,
    mut wait: Wait,
    assigned: &mut BTreeSet<String>,
    out: &mut Vec<Jump>,
) -> Wait {
    for s in stmts {
        let jump = |to: &str, kind, wait| Jump {
            to: to.to_string(),
            span: s.span,
            kind,
            wait,
        };
        match &s.kind {
            StmtKind::Form(f) => {
                let unfilled =
                    |slot: &&crate::syntax::ast::FormSlot| !assigned.contains(&slot.name.name);
                let form_wait = if f
                    .slots
                    .iter()
                    .filter(unfilled)
                    .any(|slot| slot.clauses.when.is_none())
                {
                    Wait::Surely
                } else if f.slots.iter().any(|slot| unfilled(&slot)) {
                    Wait::Maybe
                } else {
                    Wait::No
                };
                wait = wait.max(form_wait);
                for slot in &f.slots {
                    assigned.insert(slot.name.name.clone());
                }
                // A way out runs after the citizen answered, wrongly.
                for slot in &f.slots {
                    if let Some(then) = slot.clauses.attempts.as_ref().and_then(|a| a.then.as_ref())
                    {
                        walk(then, flow, Wait::Surely, assigned, out);
                    }
                }
            }
            StmtKind::Do {
                bind, ok, failed, ..
            } => {
                // The ok and failed branches run after the host answered.
                if let Some(b) = bind {
                    assigned.insert(b.name.clone());
                }
                for b in [ok, failed].into_iter().flatten() {
                    walk(b, flow, Wait::Surely, assigned, out);
                }
                wait = Wait::Surely;
            }
            StmtKind::Set { name, .. } => {
                assigned.insert(name.name.clone());
            }
            StmtKind::Goto(to) => out.push(jump(&to.name, Kind::Goto, wait)),
            StmtKind::Call { flow: to, bind, .. } => {
                out.push(jump(&to.name, Kind::Call, wait));
                if let Some(b) = bind {
                    assigned.insert(b.name.clone());
                }
            }
            StmtKind::Restart => out.push(jump(flow, Kind::Restart, wait)),
            StmtKind::If {
                branches,
                otherwise,
            } => {
                let mut all = if otherwise.is_some() {
                    Wait::Surely
                } else {
                    wait
                };
                for (_, b) in branches {
                    all = all.min(walk(b, flow, wait, assigned, out));
                }
                if let Some(b) = otherwise {
                    all = all.min(walk(b, flow, wait, assigned, out));
                }
                wait = wait.max(all);
            }
            StmtKind::Match {
                cases, otherwise, ..
            } => {
                let mut all = if otherwise.is_some() {
                    Wait::Surely
                } else {
                    wait
                };
                for case in cases {
                    all = all.min(walk(&case.body, flow, wait, assigned, out));
                }
                if let Some(b) = otherwise {
                    all = all.min(walk(b, flow, wait, assigned, out));
                }
                wait = wait.max(all);
            }
            _ => {}
        }
    }
    wait
}
