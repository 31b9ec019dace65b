//! One round of a conversation's log: the events a commit appends,
//! numbered from the conversation's last seq, and what they ask for (an
//! action, a hand-over).

use super::log;
use crate::runtime::{Button, Event};
use crate::serve::store::StoredEvent;
use serde_json::{Map, Value as Json};

/// A hand-over a bot turn asked for.
#[derive(Debug, Clone)]
pub(super) struct Handoff {
    pub reason: String,
    /// The runtime's summary: `{"flow", "slots", "lang", "text"}`.
    pub summary: Json,
    /// The seq of the `handoff` event.
    pub seq: i64,
}

/// The log events of one bot turn, numbered, and what it asks for.
pub(super) struct Round {
    pub events: Vec<StoredEvent>,
    pub next_seq: i64,
    pub offered: Option<Vec<Button>>,
    pub request: Option<(String, String, Map<String, Json>)>,
    pub held_end: Option<Event>,
    pub lang: String,
    pub outcome: &'static str,
    pub handoff: Option<Handoff>,
}

impl Round {
    pub fn new(last_seq: i64) -> Round {
        Round {
            events: Vec::new(),
            next_seq: last_seq + 1,
            offered: None,
            request: None,
            held_end: None,
            lang: String::new(),
            outcome: "answered",
            handoff: None,
        }
    }

    pub fn push(&mut self, body: String) {
        self.events.push(StoredEvent {
            seq: self.next_seq,
            body,
        });
        self.next_seq += 1;
    }

    /// Logs a bot turn's events. When it asks for an action, its
    /// `turn_end` is held back: the action's result continues the turn.
    pub fn take(&mut self, mut events: Vec<Event>, carried: Option<Event>) {
        if let Some(o) = log::offered_by(&events) {
            self.offered = Some(o);
        }
        let mut end = match events.last() {
            Some(Event::TurnEnd { .. }) => events.pop(),
            _ => None,
        };
        // The first turn's intent survives the action rounds, for statistics.
        if let (
            Some(Event::TurnEnd {
                intent, unmatched, ..
            }),
            Some(Event::TurnEnd {
                intent: i0,
                unmatched: u0,
                ..
            }),
        ) = (&mut end, carried)
        {
            if intent.is_none() {
                *intent = i0;
            }
            *unmatched |= u0;
        }
        for e in &events {
            match e {
                Event::Action { id, name, args } => {
                    self.request = Some((id.clone(), name.clone(), args.clone()))
                }
                Event::Handoff { reason, summary } => {
                    self.handoff = Some(Handoff {
                        reason: reason.clone(),
                        summary: summary.clone(),
                        seq: self.next_seq,
                    })
                }
                Event::Error { .. } => self.outcome = "error",
                _ => {}
            }
            self.push(log::event_body(e));
        }
        if let Some(Event::TurnEnd {
            lang, unmatched, ..
        }) = &end
        {
            self.lang = lang.to_string();
            if *unmatched && self.outcome == "answered" {
                self.outcome = "unmatched";
            }
        }
        if self.request.is_some() {
            self.held_end = end;
        } else if let Some(end) = end {
            self.push(log::event_body(&end));
        }
    }

    /// Adds an event before the round's closing `turn_end` (after the
    /// last event when there is none).
    pub fn push_before_end(&mut self, body: String) {
        let ends = self
            .events
            .last()
            .is_some_and(|e| e.body.starts_with("{\"type\":\"turn_end\""));
        if ends {
            let end = self.events.pop().map(|e| e.body).unwrap_or_default();
            self.next_seq -= 1;
            self.push(body);
            self.push(end);
        } else {
            self.push(body);
        }
    }

    pub fn lines(&self) -> String {
        self.events
            .iter()
            .map(StoredEvent::to_json)
            .collect::<Vec<_>>()
            .join("\n")
    }
}
