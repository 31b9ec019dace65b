//! The compiled program: immutable, `Send + Sync`, shared by `Arc` between
//! every session. Flows are flat instruction lists so that a session's
//! position is a plain number that serialises and resumes anywhere.

use crate::diagnostics::Span;
use crate::lookup::{FastMap, FastSet};
use crate::syntax::ast::{Expr, StrLit};
use crate::understand::extract::DateOrder;
use crate::understand::extract::{ChoiceSpec, DatePolicy};
use crate::understand::matcher::TriggerIndex;
use crate::understand::normalize::{fold, tokenize};
use crate::understand::stem::stem;
use crate::values::holidays::Country;
use crate::values::{Lang, SlotType, Type, Value};
use indexmap::IndexMap;
use std::sync::Arc;

pub type FlowId = usize;

/// A citizen-facing text: per language, its variants (parts with
/// interpolations), or one text for every language.
#[derive(Debug, Clone, Default)]
pub struct Message {
    pub per_lang: Vec<(Lang, Vec<StrLit>)>,
    pub plain: Option<StrLit>,
}

#[derive(Debug, Clone)]
pub struct ButtonSpec {
    pub payload: String,
    pub label: Message,
}

#[derive(Debug, Clone)]
pub struct LinkSpec {
    pub url: StrLit,
    pub label: Message,
}

/// What is said, with its buttons and links.
#[derive(Debug, Clone, Default)]
pub struct Prompt {
    pub text: Message,
    pub buttons: Vec<ButtonSpec>,
    pub links: Vec<LinkSpec>,
    /// Where it is written, for coverage.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Instr {
    Say(Prompt),
    Set(String, Expr),
    /// Continue at the target when the condition is not `yes`.
    JumpUnless(Expr, usize),
    Jump(usize),
    /// Compare the subject with each case's values; jump to the first that
    /// equals, else to the last target.
    Match(Expr, Vec<(Vec<Expr>, usize)>, usize),
    Call {
        flow: String,
        args: Vec<(String, Expr)>,
        bind: Option<String>,
    },
    Do {
        action: String,
        args: Vec<(String, Expr)>,
        bind: Option<String>,
        /// Where to continue when the host answers with a failure.
        on_failure: usize,
    },
    Form(usize),
    Handoff(String),
    Goto(String),
    Return(Option<Expr>),
    Stop,
    Cancel,
    Restart,
    Close,
    Language(Lang),
}

#[derive(Debug, Clone)]
pub struct Validation {
    pub condition: Expr,
    pub message: Message,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct SlotSpec {
    pub name: String,
    /// Where the slot is declared (its name).
    pub span: Span,
    pub ty: SlotType,
    /// Words that name the slot, per language ("date de naissance").
    pub labels: Vec<(Lang, Vec<String>)>,
    /// The labels of every language folded once here, as every turn of a
    /// form compares the message with them.
    pub folded_labels: Vec<String>,
    /// The folded labels with their words joined by single spaces, for
    /// telling which slot a correction names ("non, la date c'est ...").
    pub label_phrases: Vec<String>,
    pub asks: Vec<Prompt>,
    pub reprompts: Vec<Prompt>,
    pub validations: Vec<Validation>,
    pub max_attempts: u32,
    /// Code position of the `attempts ... then` block, if any.
    pub give_up: Option<usize>,
    pub optional: bool,
    /// Holds personal data: its type does (`privacy::personal_type`), or
    /// the flow says so (`personal`). Redacted outside the conversation.
    pub personal: bool,
    pub default: Option<Expr>,
    pub when: Option<Expr>,
    pub policy: DatePolicy,
}

#[derive(Debug, Clone)]
pub struct FormSpec {
    pub slots: Vec<SlotSpec>,
    pub confirm: Option<Prompt>,
    /// Changes when its slots (names, types, optional or conditional) or
    /// its confirmation come or go.
    pub fingerprint: u64,
}

#[derive(Debug, Clone)]
pub struct Flow {
    pub name: String,
    /// Where the flow is declared (its name).
    pub span: Span,
    /// Names on buttons, per language.
    pub label: Vec<(Lang, String)>,
    pub params: Vec<String>,
    /// For each parameter, whether it is optional (`name?: type`).
    pub optional_params: Vec<bool>,
    pub code: Vec<Instr>,
    /// For each instruction, the statement it comes from (none for the
    /// instructions the compiler adds, like the stop after a flow's body).
    pub spans: Vec<Option<Span>>,
    pub forms: Vec<FormSpec>,
    /// Whether the flow comes from the standard library.
    pub stdlib: bool,
    /// The stems of the flow's labels and messages, read the first time
    /// they are needed (see `topic_stems`).
    pub topic: std::sync::OnceLock<FastSet<String>>,
    /// Changes when the flow's statements, arguments or forms change: a
    /// saved conversation inside an older version is carried over.
    pub fingerprint: u64,
    /// For each instruction a conversation can wait at or come back to (a
    /// form, an action, a call), its stable id (see `steps`); 0 elsewhere.
    pub steps: Vec<u64>,
}

impl Flow {
    pub fn label(&self, lang: Lang) -> String {
        self.label
            .iter()
            .find(|(l, _)| *l == lang)
            .or(self.label.first())
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| self.name.replace('_', " "))
    }

    /// The stems of the words of the flow's labels and messages, in the
    /// language of each: what it talks about, beside its triggers ("the
    /// town hall is open on the first Saturday" is about Saturdays).
    pub fn topic_stems(&self) -> &FastSet<String> {
        self.topic.get_or_init(|| {
            let mut stems = FastSet::default();
            let mut add = |lang: Lang, text: &str| {
                for token in tokenize(&fold(text)) {
                    stems.insert(stem(&token.text, lang).into_owned());
                }
            };
            for (lang, label) in &self.label {
                add(*lang, label);
            }
            let literal = |s: &StrLit| -> String {
                s.parts
                    .iter()
                    .filter_map(|p| match p {
                        crate::syntax::ast::StrPart::Lit(t) => Some(t.as_str()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            for instr in &self.code {
                let Instr::Say(prompt) = instr else {
                    continue;
                };
                for (lang, variants) in &prompt.text.per_lang {
                    for v in variants {
                        add(*lang, &literal(v));
                    }
                }
                if let Some(plain) = &prompt.text.plain {
                    for lang in Lang::ALL {
                        add(lang, &literal(plain));
                    }
                }
            }
            stems
        })
    }

    /// The parameters a caller must give (declared without `?`).
    pub fn required_params(&self) -> impl Iterator<Item = &str> {
        self.params
            .iter()
            .zip(&self.optional_params)
            .filter(|(_, optional)| !**optional)
            .map(|(p, _)| p.as_str())
    }

    /// Every slot name of the flow's forms, in order.
    pub fn slot_names(&self) -> impl Iterator<Item = &str> {
        self.forms
            .iter()
            .flat_map(|f| f.slots.iter().map(|s| s.name.as_str()))
    }
}

#[derive(Debug, Clone)]
pub struct ActionSpec {
    pub name: String,
    pub params: Vec<(String, bool)>,
    /// The declared result fields: a host's answer is read with these types.
    pub results: Vec<(String, Type)>,
}

#[derive(Debug)]
pub struct Program {
    pub name: String,
    pub languages: Vec<Lang>,
    pub default_lang: Lang,
    pub country: Country,
    /// How numeric dates read: 3/7 is the 3rd of July unless the bot says
    /// `dates month_first`.
    pub date_order: DateOrder,
    pub start: Option<FlowId>,
    pub fallback: Option<FlowId>,
    pub flows: Vec<Flow>,
    pub flow_ids: FastMap<String, FlowId>,
    pub actions: FastMap<String, ActionSpec>,
    pub choices: FastMap<String, ChoiceSpec>,
    pub tables: FastMap<String, Vec<IndexMap<String, Value>>>,
    pub triggers: TriggerIndex,
    /// For each trigger spec in the index, the flow it starts.
    pub trigger_flows: Vec<FlowId>,
    /// For each trigger spec, where it is written.
    pub trigger_spans: Vec<Span>,
    /// Changes whenever the bot's sources change: a saved session from
    /// another version of the bot is checked before it resumes.
    pub fingerprint: Arc<str>,
    /// What the citizen is told when the bot changed under their
    /// conversation (the stdlib's texts `session_moved` and
    /// `session_restarted`, which a bot may replace).
    pub session_moved: Message,
    pub session_restarted: Message,
}

/// What a conversation test can exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Coverable {
    Step,
    Prompt,
    Reprompt,
    Validation,
    Trigger,
}

impl Flow {
    /// Where the instruction with this step id is, if it still exists.
    pub fn step(&self, id: u64) -> Option<usize> {
        if id == 0 {
            return None;
        }
        self.steps.iter().position(|s| *s == id)
    }
}

impl Program {
    pub fn flow(&self, name: &str) -> Option<&Flow> {
        self.flow_ids.get(name).map(|&id| &self.flows[id])
    }

    /// Every place of the bot a test can exercise, with its flow: each
    /// statement, prompt, re-prompt, validation message and trigger.
    pub fn coverables(&self) -> Vec<(FlowId, Coverable, Span)> {
        let mut out = Vec::new();
        for (id, flow) in self.flows.iter().enumerate() {
            let mut steps: Vec<Span> = flow.spans.iter().flatten().copied().collect();
            steps.sort_by_key(|s| (s.source, s.start, s.end));
            steps.dedup();
            out.extend(steps.into_iter().map(|s| (id, Coverable::Step, s)));
            for slot in flow.forms.iter().flat_map(|f| &f.slots) {
                out.extend(slot.asks.iter().map(|p| (id, Coverable::Prompt, p.span)));
                out.extend(
                    slot.reprompts
                        .iter()
                        .map(|p| (id, Coverable::Reprompt, p.span)),
                );
                out.extend(
                    slot.validations
                        .iter()
                        .map(|v| (id, Coverable::Validation, v.span)),
                );
            }
        }
        for (spec, &flow) in self.trigger_flows.iter().enumerate() {
            if let Some(span) = self.trigger_spans.get(spec) {
                out.push((flow, Coverable::Trigger, *span));
            }
        }
        out
    }
}
