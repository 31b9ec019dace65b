//! The trial chat: a conversation with the edited bot, kept in memory for
//! the member of staff who started it (never in the conversation store,
//! never with the bot citizens talk to), each turn with its trace. Actions
//! are not performed: the page answers them by hand.

use crate::runtime::{ActionResult, Event, Input, Session};
use crate::values::Lang;
use crate::Bot;
use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many trial conversations are kept at once; the least recently
/// used goes first.
const KEPT: usize = 256;
/// A trial conversation untouched this long is forgotten.
const IDLE: Duration = Duration::from_secs(4 * 3600);

struct Trial {
    owner: String,
    session: Session,
    /// The action the last turn asked for, which `ok` and `fail` answer.
    pending: Option<String>,
    used: Instant,
}

/// What the page sends as the citizen's input.
#[derive(Debug, Clone)]
pub enum TrialInput {
    Start,
    Text(String),
    Button(String),
    /// The page's answer to the pending action: a value, or a failure.
    Answer(Result<Value, String>),
}

impl TrialInput {
    /// Reads `{"start": true}`, `{"text": ...}`, `{"button": ...}`,
    /// `{"ok": {...}}` or `{"fail": "..."}`.
    pub fn from_json(v: &Value) -> Result<TrialInput, String> {
        let o = v
            .as_object()
            .ok_or("`input` must be an object: {\"text\": \"...\"}")?;
        if o.get("start").and_then(Value::as_bool) == Some(true) {
            return Ok(TrialInput::Start);
        }
        if let Some(t) = o.get("text") {
            return t
                .as_str()
                .map(|t| TrialInput::Text(t.to_string()))
                .ok_or_else(|| "`text` must be a string".into());
        }
        if let Some(b) = o.get("button") {
            return b
                .as_str()
                .map(|b| TrialInput::Button(b.to_string()))
                .ok_or_else(|| "`button` must be a string".into());
        }
        if let Some(v) = o.get("ok") {
            if !v.is_object() {
                return Err("`ok` must be the action's result, a JSON object".into());
            }
            return Ok(TrialInput::Answer(Ok(v.clone())));
        }
        if let Some(e) = o.get("fail") {
            return e
                .as_str()
                .map(|e| TrialInput::Answer(Err(e.to_string())))
                .ok_or_else(|| "`fail` must be a string".into());
        }
        Err("`input` needs one of `start`, `text`, `button`, `ok`, `fail`".into())
    }
}

/// One turn of a trial conversation.
#[derive(Debug, Serialize)]
pub struct TrialTurn {
    pub trial: String,
    pub events: Vec<Event>,
    /// Why things happened: the REPL's `/why`.
    pub trace: Vec<String>,
    /// The bot changed too much for the conversation to go on: it started
    /// over.
    pub restarted: bool,
    /// The action the bot waits for, with the fields of its result.
    pub pending_action: Option<Value>,
    /// The time the bot saw.
    pub now: String,
}

/// Why a trial turn was refused.
#[derive(Debug, PartialEq)]
pub enum TrialError {
    Unknown,
    NoPendingAction,
}

#[derive(Default)]
pub struct Trials {
    kept: Mutex<HashMap<String, Trial>>,
}

impl Trials {
    /// Runs one input in the trial `id` (a new conversation when `id` is
    /// `None`, named `new_id`) of `owner`, with `bot` at `now`.
    #[allow(clippy::too_many_arguments)]
    pub fn turn(
        &self,
        bot: &Bot,
        owner: &str,
        id: Option<&str>,
        new_id: String,
        lang: Option<Lang>,
        input: TrialInput,
        now: NaiveDateTime,
    ) -> Result<TrialTurn, TrialError> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|_, t| t.used.elapsed() < IDLE);
        let (id, mut trial, mut restarted) = match id {
            Some(id) => {
                if kept.get(id).is_none_or(|t| t.owner != owner) {
                    return Err(TrialError::Unknown);
                }
                let t = kept.remove(id).ok_or(TrialError::Unknown)?;
                (id.to_string(), t, false)
            }
            None => (
                new_id,
                Trial {
                    owner: owner.to_string(),
                    session: bot.new_session(lang, 0),
                    pending: None,
                    used: Instant::now(),
                },
                false,
            ),
        };
        // The bot was edited since the last turn: the conversation goes on
        // where it still fits, as after a reload.
        if trial.session.bot != bot.program().fingerprint {
            let saved = serde_json::to_string(&trial.session).unwrap_or_default();
            match bot.restore(&saved) {
                Ok(r) => {
                    restarted = r.restarted;
                    trial.session = r.session;
                }
                Err(_) => {
                    restarted = true;
                    trial.session = bot.new_session(Some(trial.session.lang), 0);
                }
            }
            if restarted {
                trial.pending = None;
            }
        }
        let input = match input {
            TrialInput::Start => Input::Start,
            TrialInput::Text(t) => Input::Text(t),
            TrialInput::Button(b) => Input::Button(b),
            TrialInput::Answer(answer) => {
                let Some(action) = trial.pending.clone() else {
                    let id_back = id.clone();
                    kept.insert(id_back, trial);
                    return Err(TrialError::NoPendingAction);
                };
                Input::ActionResult(match answer {
                    Ok(value) => ActionResult {
                        id: action,
                        ok: true,
                        value: Some(value),
                        error: None,
                    },
                    Err(error) => ActionResult {
                        id: action,
                        ok: false,
                        value: None,
                        error: Some(error),
                    },
                })
            }
        };
        let outcome = bot.turn_traced(&mut trial.session, input, now);
        let requested = outcome.events.iter().rev().find_map(|e| match e {
            Event::Action { id, name, .. } => Some((id.clone(), name.clone())),
            _ => None,
        });
        let waits = outcome.events.iter().any(|e| {
            matches!(
                e,
                Event::TurnEnd {
                    expecting: Some(crate::runtime::Expecting::ActionResult { .. }),
                    ..
                }
            )
        });
        let pending_action = match (&requested, waits) {
            (Some((action_id, name)), true) => {
                trial.pending = Some(action_id.clone());
                let results: Map<String, Value> = bot
                    .program()
                    .actions
                    .get(name.as_str())
                    .map(|spec| {
                        spec.results
                            .iter()
                            .map(|(field, ty)| (field.clone(), json!(ty.to_string())))
                            .collect()
                    })
                    .unwrap_or_default();
                Some(json!({"id": action_id, "name": name, "results": results}))
            }
            _ => {
                if !waits {
                    trial.pending = None;
                }
                None
            }
        };
        trial.used = Instant::now();
        kept.insert(id.clone(), trial);
        if kept.len() > KEPT {
            if let Some(oldest) = kept
                .iter()
                .min_by_key(|(_, t)| t.used)
                .map(|(k, _)| k.clone())
            {
                kept.remove(&oldest);
            }
        }
        Ok(TrialTurn {
            trial: id,
            events: outcome.events,
            trace: outcome.trace,
            restarted,
            pending_action,
            now: now.format("%Y-%m-%dT%H:%M").to_string(),
        })
    }

    /// Forgets a trial conversation (the page's "reset").
    pub fn forget(&self, owner: &str, id: &str) -> bool {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        match kept.get(id) {
            Some(t) if t.owner == owner => kept.remove(id).is_some(),
            _ => false,
        }
    }
}

/// Reads the page's fixed clock: `2025-04-14T10:00` (seconds optional).
pub fn parse_clock(s: &str) -> Result<NaiveDateTime, String> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| format!("`{s}` is not a date and time like 2025-04-14T10:00"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOT: &str = r#"
bot "Essai"
  languages fr
  default fr
  start hello
end

action file_it(name: text) -> (reference: text)

flow hello
  say fr: "Bonjour"
end

flow ask_name
  triggers
    fr: "inscription"
  form
    slot who: name
      ask fr: "Votre nom ?"
  end
  do file_it(name: who) as filed
    ok
      say fr: "Référence {filed.reference}"
    failed
      say fr: "Échec"
  end
end
"#;

    fn at() -> NaiveDateTime {
        parse_clock("2025-04-14T10:00").unwrap()
    }

    fn says(t: &TrialTurn) -> Vec<String> {
        t.events
            .iter()
            .filter_map(|e| match e {
                Event::Say { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_trial_runs_traced_turns_and_answers_actions_by_hand() {
        let bot = Bot::from_sources(&[("essai.flow", BOT)]).unwrap();
        let trials = Trials::default();
        let t = trials
            .turn(
                &bot,
                "marie",
                None,
                "t1".into(),
                None,
                TrialInput::Start,
                at(),
            )
            .unwrap();
        assert_eq!(says(&t), ["Bonjour"]);
        let t = trials
            .turn(
                &bot,
                "marie",
                Some("t1"),
                "unused".into(),
                None,
                TrialInput::Text("inscription".into()),
                at(),
            )
            .unwrap();
        assert!(
            t.trace.iter().any(|l| l.contains("matched inscription")),
            "{:?}",
            t.trace
        );
        let t = trials
            .turn(
                &bot,
                "marie",
                Some("t1"),
                String::new(),
                None,
                TrialInput::Text("Léa Dubois".into()),
                at(),
            )
            .unwrap();
        let pending = t.pending_action.clone().expect("the action waits");
        assert_eq!(pending["name"], "file_it");
        assert_eq!(pending["results"]["reference"], "text");
        let t = trials
            .turn(
                &bot,
                "marie",
                Some("t1"),
                String::new(),
                None,
                TrialInput::Answer(Ok(json!({"reference": "R-1"}))),
                at(),
            )
            .unwrap();
        assert_eq!(says(&t), ["Référence R-1"]);
        // Another member of staff cannot use it; an answer needs an action.
        assert_eq!(
            trials
                .turn(
                    &bot,
                    "luc",
                    Some("t1"),
                    String::new(),
                    None,
                    TrialInput::Start,
                    at()
                )
                .unwrap_err(),
            TrialError::Unknown
        );
        assert_eq!(
            trials
                .turn(
                    &bot,
                    "marie",
                    Some("t1"),
                    String::new(),
                    None,
                    TrialInput::Answer(Err("down".into())),
                    at()
                )
                .unwrap_err(),
            TrialError::NoPendingAction
        );
        assert!(trials.forget("marie", "t1"));
        assert!(!trials.forget("marie", "t1"));
    }

    #[test]
    fn an_edited_bot_takes_the_conversation_over() {
        let bot = Bot::from_sources(&[("essai.flow", BOT)]).unwrap();
        let trials = Trials::default();
        trials
            .turn(
                &bot,
                "marie",
                None,
                "t1".into(),
                None,
                TrialInput::Text("inscription".into()),
                at(),
            )
            .unwrap();
        let edited = BOT.replace("Votre nom ?", "Quel est votre nom ?");
        let bot2 = Bot::from_sources(&[("essai.flow", &edited)]).unwrap();
        let t = trials
            .turn(
                &bot2,
                "marie",
                Some("t1"),
                String::new(),
                None,
                TrialInput::Text("Léa".into()),
                at(),
            )
            .unwrap();
        assert!(!t.restarted);
        assert!(t.pending_action.is_some(), "{:?}", t.events);
        assert!(TrialInput::from_json(&json!({"ok": 3})).is_err());
        assert!(matches!(
            TrialInput::from_json(&json!({"fail": "down"})),
            Ok(TrialInput::Answer(Err(_)))
        ));
        assert!(parse_clock("2025-04-14 10h").is_err());
    }
}
