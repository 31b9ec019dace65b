//! Which button presses a turn accepts: a payload offered in the last
//! turn, one of the global intents, or an answer the question being asked
//! takes (yes, no, skip, an option, a slot to correct). Anything else is a
//! forged or stale press: refused, and the session stays as it was.

use super::Turn;
use crate::runtime::events::Event;
use crate::runtime::session::Phase;
use crate::runtime::RuntimeError;
use crate::values::SlotType;
use compact_str::CompactString;

/// The stdlib's global intents, which a citizen can reach from anywhere by
/// typing: their buttons are accepted at any time (a bot that replaces one
/// of these flows keeps it global).
pub const GLOBAL_FLOWS: &[&str] = &[
    "help",
    "start_over",
    "cancel_all",
    "talk_to_agent",
    "language_fr",
    "language_nl",
    "language_en",
];

/// The chat API's global `restart` press: it starts the stdlib's
/// `start_over` (unless the bot has a flow named `restart` of its own).
const RESTART: &str = "restart";

impl<'p> Turn<'p> {
    /// The payload a press stands for: `restart` is `start_over`.
    pub(super) fn global_alias(&self, payload: String) -> String {
        if payload == RESTART
            && self.program.flow(RESTART).is_none()
            && self.program.flow("start_over").is_some()
        {
            "start_over".into()
        } else {
            payload
        }
    }

    /// Refuses a press of a button that was not offered (`button_not_offered`),
    /// and any button that would start a flow without the arguments it needs.
    pub(super) fn check_button(&self, payload: &str) -> Result<(), RuntimeError> {
        if let Some(flow) = self.program.flow(payload) {
            if flow.required_params().next().is_some() {
                return Err(not_offered(payload));
            }
        }
        if self.session.offered.iter().any(|p| p.as_str() == payload)
            || GLOBAL_FLOWS.contains(&payload) && self.program.flow(payload).is_some()
            || self.answers_the_question(payload)
        {
            return Ok(());
        }
        Err(not_offered(payload))
    }

    /// Whether the payload answers what the top flow asks, as the buttons
    /// the runtime adds to a question do.
    fn answers_the_question(&self, payload: &str) -> bool {
        let Some(frame) = self.session.stack.last() else {
            return false;
        };
        if frame.pending.is_some() {
            return false;
        }
        let Some(fs) = &frame.form else {
            return false;
        };
        let Some(form) = self
            .program
            .flow(&frame.flow)
            .and_then(|f| f.forms.get(fs.form))
        else {
            return false;
        };
        match fs.phase {
            Phase::Filling => {
                let Some(slot) = fs.slot.and_then(|i| form.slots.get(i)) else {
                    return false;
                };
                match &slot.ty {
                    _ if payload == "skip" && slot.optional => true,
                    SlotType::YesNo => matches!(payload, "yes" | "no"),
                    SlotType::Choice(name) => self
                        .program
                        .choices
                        .get(name)
                        .is_some_and(|c| c.options.iter().any(|o| o.key == payload)),
                    _ => false,
                }
            }
            Phase::Confirming => matches!(payload, "yes" | "no"),
            Phase::Correcting => {
                payload == "yes"
                    || form.slots.iter().any(|s| {
                        s.name == payload && frame.vars.get(&s.name).is_some_and(|v| !v.is_null())
                    })
            }
        }
    }
}

fn not_offered(payload: &str) -> RuntimeError {
    let shown: String = payload.chars().take(60).collect();
    RuntimeError::new(
        "button_not_offered",
        format!("no button `{shown}` was offered in the last turn"),
    )
}

/// The payloads of the buttons a turn showed: the presses the next turn accepts.
pub fn offered_payloads(events: &[Event]) -> Vec<CompactString> {
    let mut out: Vec<CompactString> = Vec::new();
    for e in events {
        if let Event::Say { buttons, .. } = e {
            for b in buttons {
                if !out.iter().any(|p| p.as_str() == b.payload) {
                    out.push(CompactString::from(b.payload.as_str()));
                }
            }
        }
    }
    out
}
