//! Saying things: prompts, phrases, picking variants, evaluating
//! expressions and texts, and the summary of a frame's slots.

use super::Turn;
use crate::compile::{Message, Prompt, SlotSpec};
use crate::runtime::eval::{next_random, Env};
use crate::runtime::events::{Button, Event, Link};
use crate::runtime::phrases::{phrase, Phrase};
use crate::runtime::RuntimeError;
use crate::syntax::ast::{Expr, StrLit};
use crate::values::format::format_value;
use crate::values::{Lang, SlotType, Value};
use indexmap::IndexMap;
use serde_json::{Map, Value as Json};

impl<'p> Turn<'p> {
    pub(super) fn say_phrase(&mut self, p: Phrase) {
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

    pub(super) fn render_message(
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

    pub(super) fn say(
        &mut self,
        idx: usize,
        p: &Prompt,
        extra: &[Button],
    ) -> Result<(), RuntimeError> {
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
            let url = self.with_scope(frame, &summary, |env| env.interpolate_url(&l.url))?;
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

    /// A prompt's own buttons, labelled in the session's language, outside
    /// any flow's variables.
    pub(super) fn prompt_buttons(&mut self, p: &Prompt) -> Result<Vec<Button>, RuntimeError> {
        let none = IndexMap::new();
        let mut buttons = Vec::with_capacity(p.buttons.len());
        for b in &p.buttons {
            let label = match self.pick(&b.label) {
                Some(s) => self.with_env(&none, "", |env| env.interpolate(s))?,
                None => b.payload.clone(),
            };
            buttons.push(Button {
                label,
                payload: b.payload.clone(),
            });
        }
        Ok(buttons)
    }

    pub(super) fn eval(&mut self, idx: usize, e: &Expr) -> Result<Value, RuntimeError> {
        let summary = if mentions_summary(e) {
            self.summary_text(idx)
        } else {
            String::new()
        };
        self.with_scope(Scope::Frame(idx), &summary, |env| env.eval(e))
    }

    pub(super) fn eval_with(
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
}

pub(super) fn slot_label(s: &SlotSpec, lang: Lang) -> String {
    s.labels
        .iter()
        .find(|(l, _)| *l == lang)
        .or(s.labels.first())
        .and_then(|(_, w)| w.first().cloned())
        .unwrap_or_else(|| s.name.replace('_', " "))
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
