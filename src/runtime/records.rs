//! What happened in a turn, for statistics: flows started, completed and
//! abandoned, slots asked, filled and refused, re-prompts, corrections,
//! digressions, actions, hand-overs, language switches and messages the
//! bot did not understand. Names and codes only: a record never holds a
//! slot value or what the citizen wrote.
//!
//! A turn keeps records only when asked (`Bot::turn_recorded`), and only
//! when it ends without a runtime error, like the session.

use crate::compile::Flow;
use crate::runtime::session::{Frame, Phase};
use crate::values::Lang;
use serde::{Deserialize, Serialize};

/// The step of a form a flow is at: a slot, or the confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The slot's name, `(confirmation)`, or `(action)` while the flow
    /// waits for an action's result.
    pub name: String,
    /// The step's place in the flow, counted over its forms in order (a
    /// form's confirmation comes after its slots), for ordering a funnel.
    pub index: u32,
}

/// The name of the confirmation step.
pub const CONFIRMATION: &str = "(confirmation)";
/// The name of the step of a flow that waits for an action's result.
pub const WAITING_FOR_ACTION: &str = "(action)";

/// How a flow came to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartedBy {
    /// A trigger matched the citizen's message, or the message named the
    /// flow another way (a follow-up to it, a value of the shape it asks for).
    Trigger,
    /// The citizen pressed a button naming the flow.
    Button,
    /// Started over a flow in progress, which resumes after it.
    Digression,
    /// The bot's start flow, when a conversation opens.
    Start,
    /// The fallback flow, for a message nothing matched.
    Fallback,
    /// Called by another flow (`call`).
    Call,
    /// Another flow went to it (`goto`).
    Goto,
    /// The citizen started it over (`restart`).
    Restart,
}

impl StartedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            StartedBy::Trigger => "trigger",
            StartedBy::Button => "button",
            StartedBy::Digression => "digression",
            StartedBy::Start => "start",
            StartedBy::Fallback => "fallback",
            StartedBy::Call => "call",
            StartedBy::Goto => "goto",
            StartedBy::Restart => "restart",
        }
    }

    /// Whether the citizen asked for the flow (a topic), rather than the
    /// bot running it on its own.
    pub fn is_topic(self) -> bool {
        matches!(
            self,
            StartedBy::Trigger | StartedBy::Button | StartedBy::Digression
        )
    }
}

/// Why a flow ended before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Abandon {
    /// The citizen cancelled (`cancel`).
    Cancel,
    /// The conversation was closed (`close`) with the flow in progress.
    Close,
    /// The conversation went to a person.
    Handoff,
    /// The citizen started the flow over.
    Restart,
    /// The citizen's answers could not be used after the allowed attempts.
    Attempts,
    /// The citizen stopped answering (recorded by the server).
    Idle,
    /// The bot was changed so much that the conversation started over
    /// (recorded by the server when it restores the session).
    BotChanged,
}

impl Abandon {
    pub fn as_str(self) -> &'static str {
        match self {
            Abandon::Cancel => "cancel",
            Abandon::Close => "close",
            Abandon::Handoff => "handoff",
            Abandon::Restart => "restart",
            Abandon::Attempts => "attempts",
            Abandon::Idle => "idle",
            Abandon::BotChanged => "bot_changed",
        }
    }
}

/// Why an answer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// No value of the slot's type was found, or one with a defect.
    Type,
    /// A value was found and a `require` rule refused it.
    Validation,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Type => "type",
            Refusal::Validation => "validation",
        }
    }
}

/// One thing that happened in a turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    FlowStarted {
        flow: String,
        by: StartedBy,
    },
    SlotAsked {
        flow: String,
        step: Step,
    },
    SlotFilled {
        flow: String,
        step: Step,
    },
    /// `code`: the extractor's reason (`bad_checksum`...), `not_found`, or
    /// `require N` for the N-th rule of the slot.
    SlotRefused {
        flow: String,
        step: Step,
        why: Refusal,
        code: String,
    },
    Reprompt {
        flow: String,
        step: Step,
        attempt: u32,
    },
    AttemptsExhausted {
        flow: String,
        step: Step,
    },
    /// A value changed after it was given (at the confirmation, or named
    /// in passing).
    ConfirmationCorrected {
        flow: String,
        step: Step,
    },
    Digression {
        from: String,
        to: String,
    },
    FlowCompleted {
        flow: String,
    },
    FlowAbandoned {
        flow: String,
        step: Option<Step>,
        how: Abandon,
    },
    ActionDone {
        action: String,
        ok: bool,
    },
    Handoff {
        reason: String,
        /// The flow the citizen was in (the service), if any.
        flow: Option<String>,
    },
    LanguageSwitched {
        from: Lang,
        to: Lang,
    },
    /// A message the bot did not understand: nothing matched, or two flows
    /// matched nearly as well (`ambiguous`). `closest` is the flow it came
    /// closest to, with the matcher's score.
    Unmatched {
        closest: Option<String>,
        score: f32,
        ambiguous: bool,
    },
}

impl Record {
    /// The record's kind, as stored: `flow_started`, `slot_asked`...
    pub fn kind(&self) -> &'static str {
        match self {
            Record::FlowStarted { .. } => "flow_started",
            Record::SlotAsked { .. } => "slot_asked",
            Record::SlotFilled { .. } => "slot_filled",
            Record::SlotRefused { .. } => "slot_refused",
            Record::Reprompt { .. } => "reprompt",
            Record::AttemptsExhausted { .. } => "attempts_exhausted",
            Record::ConfirmationCorrected { .. } => "confirmation_corrected",
            Record::Digression { .. } => "digression",
            Record::FlowCompleted { .. } => "flow_completed",
            Record::FlowAbandoned { .. } => "flow_abandoned",
            Record::ActionDone { .. } => "action",
            Record::Handoff { .. } => "handoff",
            Record::LanguageSwitched { .. } => "language_switch",
            Record::Unmatched { .. } => "unmatched",
        }
    }
}

/// The step of a form: `slot` (`None`: the confirmation) of the flow's
/// form number `form`.
pub fn step_of(flow: &Flow, form: usize, slot: Option<usize>) -> Step {
    let before: usize = flow
        .forms
        .iter()
        .take(form)
        .map(|f| f.slots.len() + 1)
        .sum();
    let spec = flow.forms.get(form);
    match slot.and_then(|i| Some((i, spec?.slots.get(i)?))) {
        Some((i, s)) => Step {
            name: s.name.clone(),
            index: (before + i) as u32,
        },
        None => Step {
            name: CONFIRMATION.to_string(),
            index: (before + spec.map_or(0, |f| f.slots.len())) as u32,
        },
    }
}

/// Where a frame is: the step its form is at, or the wait for an action.
pub fn frame_step(flow: &Flow, frame: &Frame) -> Option<Step> {
    if frame.pending.is_some() {
        let index = flow.forms.iter().map(|f| f.slots.len() + 1).sum::<usize>() as u32;
        return Some(Step {
            name: WAITING_FOR_ACTION.to_string(),
            index,
        });
    }
    let fs = frame.form.as_ref()?;
    match fs.phase {
        Phase::Filling => fs.slot.map(|s| step_of(flow, fs.form, Some(s))),
        Phase::Confirming | Phase::Correcting => Some(step_of(flow, fs.form, None)),
    }
}

/// The flows of a saved session that a changed bot cannot continue (the
/// conversation starts over), abandoned. Their steps are not named: the
/// session's places belong to the bot it was saved with.
pub fn dropped_by_change(stack: &[Frame]) -> Vec<Record> {
    stack
        .iter()
        .rev()
        .map(|frame| Record::FlowAbandoned {
            flow: frame.flow.to_string(),
            step: None,
            how: Abandon::BotChanged,
        })
        .collect()
}

/// The flows in progress in a saved session, abandoned: what the server
/// records when a citizen stops answering.
pub fn abandoned_in(
    program: &crate::compile::Program,
    stack: &[Frame],
    how: Abandon,
) -> Vec<Record> {
    stack
        .iter()
        .rev()
        .filter_map(|frame| {
            let flow = program.flow(&frame.flow)?;
            Some(Record::FlowAbandoned {
                flow: flow.name.clone(),
                step: frame_step(flow, frame),
                how,
            })
        })
        .collect()
}
