//! Inputs: the start of a conversation, an action's result, a button,
//! a typed message; routing a message outside any question (triggers,
//! suggestions, fallback) and detecting its language.

use super::{Turn, MAX_MESSAGE_BYTES};
use crate::compile::{Flow, Instr, Program};
use crate::runtime::events::{Button, Event};
use crate::runtime::phrases::{phrase, Phrase};
use crate::runtime::records::{Record, StartedBy};
use crate::runtime::session::Phase;
use crate::runtime::RuntimeError;
use crate::understand::cues;
use crate::understand::langdetect;
use crate::understand::matcher::{Match, MATCH_THRESHOLD, SUGGEST_THRESHOLD};
use crate::understand::Input as Message_;
use crate::values::{SlotType, Value};

impl<'p> Turn<'p> {
    pub(super) fn on_start(&mut self) -> Result<(), RuntimeError> {
        if let Some(idx) = self.top() {
            // A visitor coming back to a conversation in progress: ask again.
            return self.reask(idx);
        }
        if let Some(start) = self.program.start {
            let name = self.program.flows[start].name.clone();
            self.push(&name, None, false)?;
            self.started(StartedBy::Start);
            self.run()?;
        }
        Ok(())
    }

    pub(super) fn on_button(&mut self, payload: &str) -> Result<(), RuntimeError> {
        let Some(idx) = self.top() else {
            if let Some((name, _)) = self.program.flow_ids.get_key_value(payload) {
                self.intent = Some(name);
                self.push(payload, None, false)?;
                self.started(StartedBy::Button);
                return self.run();
            }
            return self.on_message(payload.to_string(), false);
        };
        if self.session.stack[idx].pending.is_some() {
            self.say_phrase(Phrase::StillWaiting);
            return Ok(());
        }
        let state = self.session.stack[idx].form.clone();
        match state {
            Some(fs) if fs.phase == Phase::Filling && fs.slot.is_some() => {
                let slot = self.slot_spec(idx, &fs)?;
                if payload == "skip" && slot.optional {
                    return self.skip_slot(idx);
                }
                let direct = match &slot.ty {
                    SlotType::Choice(name) => self
                        .program
                        .choices
                        .get(name)
                        .and_then(|c| c.options.iter().find(|o| o.key == payload))
                        .map(|o| Value::text(o.key.clone())),
                    SlotType::YesNo => match payload {
                        "yes" => Some(Value::Bool(true)),
                        "no" => Some(Value::Bool(false)),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(value) = direct {
                    return self.offer_value(idx, value, Vec::new());
                }
            }
            Some(fs) if fs.phase == Phase::Confirming => match payload {
                "yes" => return self.confirmed(idx),
                "no" => return self.ask_which_to_change(idx),
                _ => {}
            },
            Some(fs) if fs.phase == Phase::Correcting => {
                let form = self.form_spec(idx, &fs)?;
                if let Some(i) = form.slots.iter().position(|s| s.name == payload) {
                    return self.reopen_slot(idx, i);
                }
                if payload == "yes" {
                    return self.confirmed(idx);
                }
            }
            _ => {}
        }
        if let Some((name, _)) = self.program.flow_ids.get_key_value(payload) {
            self.intent = Some(name);
            self.push(payload, None, true)?;
            self.started(StartedBy::Button);
            return self.run();
        }
        self.on_message(payload.to_string(), false)
    }

    pub(super) fn on_text(&mut self, text: String) -> Result<(), RuntimeError> {
        self.on_message(text, true)
    }

    /// A typed message, or a button payload read as one (a payload says
    /// nothing about the citizen's language).
    fn on_message(&mut self, text: String, typed: bool) -> Result<(), RuntimeError> {
        if text.len() > MAX_MESSAGE_BYTES {
            return Err(RuntimeError::new(
                "too_long",
                format!(
                    "the message is {} bytes long; at most {MAX_MESSAGE_BYTES} are read",
                    text.len()
                ),
            ));
        }
        if text.trim().is_empty() {
            return Err(RuntimeError::new("empty", "the message is empty"));
        }
        let mut input = Message_::from_string(text);
        if typed {
            input = self.set_aside_refused_language(input);
            let chosen = self.session.lang;
            self.detect_language(&input);
            if Some(self.session.lang) == self.refused_language {
                // What is left reads like the refused language: keep the other.
                self.session.lang = chosen;
            }
        }
        let lang = self.lang();
        let says_more = |t: &crate::understand::normalize::Token| {
            t.text.chars().count() >= 3 && !cues::is(&t.text, cues::Cue::Filler, lang)
        };
        if self.refused_language.is_some() && !input.tokens.iter().any(says_more) {
            // Nothing else to read: carry on in the citizen's language.
            match self.top() {
                Some(idx) => {
                    self.say_phrase(Phrase::ContinueIn);
                    self.reask(idx)?;
                }
                None => self.say_phrase(Phrase::ContinueInWhat),
            }
            return Ok(());
        }

        let Some(idx) = self.top() else {
            return self.route(&input, false);
        };
        if self.session.stack[idx].pending.is_some() {
            self.say_phrase(Phrase::StillWaiting);
            return Ok(());
        }
        match self.session.stack[idx].form.clone() {
            Some(fs) if fs.phase == Phase::Filling && fs.slot.is_some() => {
                self.fill_from_text(idx, &fs, &input)
            }
            Some(fs) if fs.phase == Phase::Confirming => self.confirm_from_text(idx, &fs, &input),
            Some(fs) if fs.phase == Phase::Correcting => self.correct_from_text(idx, &fs, &input),
            _ => self.route(&input, true),
        }
    }

    /// "Hi, sorry I don't speak French. I need to renew my parking card":
    /// the session leaves French, and the saying is set aside so that the
    /// rest of the message is read (and "French" offers no French).
    fn set_aside_refused_language(&mut self, input: Message_) -> Message_ {
        let Some((refused, written, folded)) = cues::not_spoken(&input.tokens) else {
            return input;
        };
        let span = input.folded.original_span(folded);
        let rest = input.without(&[span]);
        let current = self.session.lang;
        let languages = &self.program.languages;
        // The language the saying is written in; when that is the refused
        // one, any other.
        let next = if written != refused && languages.contains(&written) {
            Some(written)
        } else if current == refused || !self.session.lang_settled {
            languages.iter().copied().find(|&l| l != refused)
        } else {
            None
        };
        if let Some(next) = next {
            trace!(
                self,
                "language: the citizen does not speak {refused}; now {next}"
            );
            self.session.lang = next;
        }
        self.session.lang_settled = true;
        self.refused_language = Some(refused);
        rest
    }

    fn detect_language(&mut self, input: &Message_) {
        if self.program.languages.len() < 2 {
            return;
        }
        let current = self.session.lang_settled.then_some(self.session.lang);
        if let Some((lang, confidence)) =
            langdetect::detect(input, &self.program.languages, current)
        {
            if lang != self.session.lang {
                record!(
                    self,
                    Record::LanguageSwitched {
                        from: self.session.lang,
                        to: lang
                    }
                );
                trace!(
                    self,
                    "language: switched from {} to {lang} (confidence {confidence:.2})",
                    self.session.lang
                );
                self.session.lang = lang;
            }
            self.session.lang_settled = true;
        }
    }

    /// A message outside any question: start the flow it asks for, offer
    /// choices when it is ambiguous, or fall back.
    pub(super) fn route(&mut self, input: &Message_, digression: bool) -> Result<(), RuntimeError> {
        let lang = Some(self.lang());
        let matches =
            self.program
                .triggers
                .find_match_or_suggestions(input, lang, 5, self.explain());
        for m in matches.iter().take(3) {
            trace!(self, "trigger: {}", m.explanation);
        }
        // One match per target, and a target is a flow.
        let best: &[Match] = &matches;
        match best {
            [first, second, ..]
                if first.score >= MATCH_THRESHOLD
                    && second.score >= MATCH_THRESHOLD
                    && first.score - second.score < 0.05
                    && !self.overrides(first, second) =>
            {
                let ids = [
                    self.program.trigger_flows[first.spec],
                    self.program.trigger_flows[second.spec],
                ];
                record!(
                    self,
                    Record::Unmatched {
                        closest: Some(self.program.flows[ids[0]].name.clone()),
                        score: first.score,
                        ambiguous: true,
                    }
                );
                self.offer_flows(&ids, Phrase::DidYouMean);
                Ok(())
            }
            [first, ..] if first.score >= MATCH_THRESHOLD => {
                let flow: &'p Flow = &self.program.flows[self.program.trigger_flows[first.spec]];
                if self.not_about(flow, first, input)? {
                    return Ok(());
                }
                self.cover(self.program.trigger_spans.get(first.spec).copied());
                self.intent = Some(&flow.name);
                self.push(&flow.name, prefill_for(flow, input), digression)?;
                self.started(StartedBy::Trigger);
                self.run()
            }
            _ => {
                if !digression && (self.follow_up(input)? || self.shaped_value(input)?) {
                    return Ok(());
                }
                self.unmatched = true;
                let suggestions: Vec<usize> = best
                    .iter()
                    .filter(|m| m.score >= SUGGEST_THRESHOLD)
                    .take(3)
                    .map(|m| self.program.trigger_flows[m.spec])
                    .collect();
                if digression {
                    // Mid-question, an unknown message is a wrong answer: the caller re-asks.
                    return Err(RuntimeError::new("no_route", ""));
                }
                if self.recording {
                    let (closest, score) = self.closest_flow(input, best.first());
                    self.records.push(Record::Unmatched {
                        closest,
                        score,
                        ambiguous: false,
                    });
                }
                if !suggestions.is_empty() {
                    // One message: not "I did not understand" and then "did you
                    // mean", which contradict each other.
                    trace!(self, "fallback: the flows it half fits are offered");
                    let extra = self.fallback_buttons()?;
                    self.offer_flows_with(&suggestions, Phrase::NotSureDidYouMean, extra);
                    return Ok(());
                }
                match self.program.fallback {
                    Some(fallback) => {
                        let program: &'p Program = self.program;
                        self.push(&program.flows[fallback].name, None, false)?;
                        self.started(StartedBy::Fallback);
                        self.run()?;
                    }
                    None => self.say_phrase(Phrase::NotUnderstood),
                }
                Ok(())
            }
        }
    }

    /// A bot's own flow is not ambiguous with a stdlib flow it ties with:
    /// the bot's author meant it.
    fn overrides(&self, first: &Match, second: &Match) -> bool {
        let flow = |m: &Match| {
            self.program
                .trigger_flows
                .get(m.spec)
                .and_then(|&id| self.program.flows.get(id))
        };
        matches!((flow(first), flow(second)), (Some(a), Some(b)) if !a.stdlib && b.stdlib)
    }

    fn offer_flows(&mut self, ids: &[usize], intro: Phrase) {
        self.offer_flows_with(ids, intro, Vec::new());
    }

    /// Offers flows as buttons, then `extra` buttons (a flow already
    /// offered is not offered twice).
    pub(super) fn offer_flows_with(&mut self, ids: &[usize], intro: Phrase, extra: Vec<Button>) {
        let lang = self.lang();
        let mut buttons: Vec<Button> = ids
            .iter()
            .filter_map(|&id| self.program.flows.get(id))
            .map(|f| Button {
                label: f.label(lang),
                payload: f.name.clone(),
            })
            .collect();
        for b in extra {
            if !buttons.iter().any(|x| x.payload == b.payload) {
                buttons.push(b);
            }
        }
        self.events.push(Event::Say {
            text: phrase(intro, lang).to_string(),
            buttons,
            links: vec![],
        });
    }
}

impl<'p> Turn<'p> {
    /// The buttons the bot's fallback flow offers with its first message
    /// (usually "talk to a person"): kept when the runtime answers in its
    /// place, with suggestions.
    pub(super) fn fallback_buttons(&mut self) -> Result<Vec<Button>, RuntimeError> {
        let program: &'p Program = self.program;
        let Some(flow) = program.fallback.and_then(|f| program.flows.get(f)) else {
            return Ok(Vec::new());
        };
        match flow.code.iter().find_map(|i| match i {
            Instr::Say(p) => Some(p),
            _ => None,
        }) {
            Some(p) => self.prompt_buttons(p),
            None => Ok(Vec::new()),
        }
    }
}

/// The message that starts a flow, kept to pre-fill its first form; a
/// flow without a form has no use for it (and it would weigh on its
/// saved session).
pub(super) fn prefill_for(flow: &Flow, input: &Message_) -> Option<String> {
    (!flow.forms.is_empty()).then(|| input.original.clone())
}
