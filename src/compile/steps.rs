//! Versions and stable identities: a fingerprint per flow and per form,
//! and an id for each step a conversation can wait at (a form, an action)
//! or come back to (a call), so that a session saved with one version of
//! a bot finds its place in an edited one.
//!
//! A step's id comes from where the statement stands (the branches,
//! cases, `ok`/`failed` blocks and `attempts ... then` blocks around it,
//! named by their conditions, not their positions) and what it is (`form`
//! with its first slot, `do` with its action, `call` with its flow), with
//! a count among equal siblings. Inserting, removing or moving other
//! statements leaves it unchanged; layout and comments never count.

use super::{Flow, FormSpec, Instr};
use crate::diagnostics::{Sources, Span};
use crate::lookup::FastMap;
use crate::syntax::ast::{self, StmtKind};

/// FNV-1a, 64 bits: stable across builds and platforms, so a session saved
/// by one build is understood by another.
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Fnv {
    pub fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub fn bytes(mut self, bytes: &[u8]) -> Fnv {
        for &b in bytes.iter().chain(&[0xff]) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self
    }

    pub fn str(self, s: &str) -> Fnv {
        self.bytes(s.as_bytes())
    }

    pub fn u64(self, n: u64) -> Fnv {
        self.bytes(&n.to_le_bytes())
    }

    /// Never zero: zero means "no step" in a flow's table.
    pub fn finish(self) -> u64 {
        self.0.max(1)
    }
}

impl Default for Fnv {
    fn default() -> Self {
        Fnv::new()
    }
}

/// What decides how a form runs: its slots (name, type, whether they may
/// be left empty) and whether it confirms. Texts do not count.
pub fn form_fingerprint(form: &FormSpec) -> u64 {
    let mut h = Fnv::new().str("form");
    for s in &form.slots {
        h = h
            .str(&s.name)
            .str(s.ty.name())
            .u64(u64::from(s.optional))
            .u64(u64::from(s.when.is_some()))
            .u64(u64::from(s.default.is_some()));
    }
    h.u64(u64::from(form.confirm.is_some())).finish()
}

/// Sets a compiled flow's step ids and its fingerprint, from its
/// declaration (`None` for an FAQ entry).
pub fn identify(flow: &mut Flow, decl: Option<&ast::FlowDecl>, sources: &Sources) {
    let mut ids: FastMap<(u32, usize, usize), u64> = FastMap::default();
    let mut h = Fnv::new().str(&flow.name);
    if let Some(decl) = decl {
        let root = Fnv::new().str("flow").str(&flow.name).finish();
        block(&decl.body, root, sources, &mut ids);
        h = h.str(&canonical(sources.snippet(decl.span)));
        for p in &decl.params {
            h = h
                .str(&p.name.name)
                .str(&p.ty.name)
                .u64(u64::from(p.optional));
        }
    }
    for form in &flow.forms {
        h = h.u64(form_fingerprint(form));
    }
    flow.fingerprint = h.finish();
    // Statements borrowed from a reusable slot (its `attempts ... then`)
    // are outside the flow's text: they are told apart by what they are.
    let mut seen: FastMap<u64, u64> = FastMap::default();
    flow.steps = flow
        .code
        .iter()
        .zip(&flow.spans)
        .map(|(instr, span)| {
            let key = match instr {
                Instr::Form(i) => key_of_form(flow.forms.get(*i)),
                Instr::Do { action, .. } => format!("do:{action}"),
                Instr::Call { flow: callee, .. } => format!("call:{callee}"),
                _ => return 0,
            };
            if let Some(id) = span.and_then(|s| ids.get(&(s.source.0, s.start, s.end))) {
                return *id;
            }
            let k = Fnv::new().str("borrowed").str(&key).finish();
            let n = seen.entry(k).or_insert(0);
            *n += 1;
            Fnv::new().u64(k).u64(*n).finish()
        })
        .collect();
}

fn key_of_form(form: Option<&FormSpec>) -> String {
    match form.and_then(|f| f.slots.first()) {
        Some(s) => format!("form:{}", s.name),
        None => "form".into(),
    }
}

/// The statement's kind and what names it, for its id.
fn key(kind: &StmtKind) -> String {
    match kind {
        StmtKind::Form(f) => match f.slots.first() {
            Some(s) => format!("form:{}", s.name.name),
            None => "form".into(),
        },
        StmtKind::Do { action, .. } => format!("do:{}", action.name),
        StmtKind::Call { flow, .. } => format!("call:{}", flow.name),
        StmtKind::Say { .. } => "say".into(),
        StmtKind::Set { name, .. } => format!("set:{}", name.name),
        StmtKind::If { .. } => "if".into(),
        StmtKind::Match { .. } => "match".into(),
        StmtKind::Handoff { .. } => "handoff".into(),
        StmtKind::Goto(to) => format!("goto:{}", to.name),
        StmtKind::Return(_) => "return".into(),
        StmtKind::Stop => "stop".into(),
        StmtKind::Cancel => "cancel".into(),
        StmtKind::Restart => "restart".into(),
        StmtKind::Close => "close".into(),
        StmtKind::Language(l) => format!("language:{}", l.code),
    }
}

fn block(
    stmts: &[ast::Stmt],
    path: u64,
    sources: &Sources,
    ids: &mut FastMap<(u32, usize, usize), u64>,
) {
    let mut counts: FastMap<String, u64> = FastMap::default();
    for s in stmts {
        let key = key(&s.kind);
        let n = counts.entry(key.clone()).or_insert(0);
        *n += 1;
        let id = Fnv::new().u64(path).str(&key).u64(*n).finish();
        ids.insert(span_key(s.span), id);
        let child = |label: &str, detail: &str| {
            Fnv::new()
                .u64(id)
                .str(label)
                .str(&canonical(detail))
                .finish()
        };
        match &s.kind {
            StmtKind::If {
                branches,
                otherwise,
            } => {
                for (cond, body) in branches {
                    block(body, child("if", sources.snippet(cond.span)), sources, ids);
                }
                if let Some(body) = otherwise {
                    block(body, child("else", ""), sources, ids);
                }
            }
            StmtKind::Match {
                subject,
                cases,
                otherwise,
            } => {
                let on = sources.snippet(subject.span);
                for case in cases {
                    let values: Vec<&str> = case
                        .values
                        .iter()
                        .map(|v| sources.snippet(v.span))
                        .collect();
                    let label = format!("{on}={}", values.join(","));
                    block(&case.body, child("case", &label), sources, ids);
                }
                if let Some(body) = otherwise {
                    block(body, child("else", on), sources, ids);
                }
            }
            StmtKind::Do { ok, failed, .. } => {
                if let Some(body) = ok {
                    block(body, child("ok", ""), sources, ids);
                }
                if let Some(body) = failed {
                    block(body, child("failed", ""), sources, ids);
                }
            }
            StmtKind::Form(f) => {
                for slot in &f.slots {
                    if let Some(then) = slot.clauses.attempts.as_ref().and_then(|a| a.then.as_ref())
                    {
                        block(then, child("then", &slot.name.name), sources, ids);
                    }
                }
            }
            _ => {}
        }
    }
}

fn span_key(span: Span) -> (u32, usize, usize) {
    (span.source.0, span.start, span.end)
}

/// Source text without its layout: whitespace does not change an id.
fn canonical(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}
