//! The hand-over in the conversation service: a `handoff` event opens a
//! case in the turn's own commit; a conversation in `staff` mode logs the
//! citizen's inputs without running the bot; events of conversations
//! whose channel pushes (Messenger) and hand-over news for a ticketing
//! system become outbox rows in the same commit.

use super::notices::HandoverNotice;
use super::round::{Handoff, Round};
use super::{ConversationService, ServiceError};
use crate::serve::clock::random_text;
use crate::serve::staff::summary::case_summary;
use crate::serve::staff::StaffConfig;
use crate::serve::store::{
    Case, CaseState, CaseWrite, ConversationInfo, Mode, NewOutbox, StoredEvent,
};
use crate::values::Lang;
use serde_json::{json, Value as Json};
use std::sync::Arc;
use tokio::sync::{broadcast, Notify};

/// The outbox channel of the ticketing hook.
pub const TICKETING: &str = "ticketing";

/// What the service needs to know of the hand-over's settings.
#[derive(Debug, Clone, Default)]
pub struct HandoverSettings {
    pub staff: Arc<StaffConfig>,
    /// Channels whose conversations' messages are pushed through the
    /// outbox (`messenger`).
    pub push_channels: Vec<String>,
    /// Hand-over news are forwarded to a ticketing hook.
    pub ticketing: bool,
    /// Where a transcript is read, for the ticketing hook.
    pub public_url: String,
}

/// Something changed in a conversation that staff may be looking at.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxSignal {
    pub conversation_id: String,
    /// The conversation's newest seq.
    pub seq: i64,
}

/// Signals to this process's workers and live pages.
pub struct Signals {
    /// Rows were added to the outbox.
    pub outbox: Notify,
    /// A conversation with a case changed.
    pub inbox: broadcast::Sender<InboxSignal>,
}

impl Default for Signals {
    fn default() -> Signals {
        Signals {
            outbox: Notify::new(),
            inbox: broadcast::channel(256).0,
        }
    }
}

/// The hand-over's part of a commit.
#[derive(Debug, Default)]
pub(super) struct Extras {
    pub mode: Option<Mode>,
    pub case: Option<CaseWrite>,
    pub outbox: Vec<NewOutbox>,
    /// Staff should look (a case opened or changed, a message in one).
    pub inbox: bool,
}

fn event_type(body: &str) -> Option<String> {
    let v: Json = serde_json::from_str(body).ok()?;
    v.get("type").and_then(Json::as_str).map(str::to_string)
}

impl ConversationService {
    pub(super) fn pushes(&self, channel: &str) -> bool {
        self.settings
            .handover
            .push_channels
            .iter()
            .any(|c| c == channel)
    }

    pub fn staff_config(&self) -> &Arc<StaffConfig> {
        &self.settings.handover.staff
    }

    pub fn signals(&self) -> &Arc<Signals> {
        &self.signals
    }

    /// The language staff read summaries in.
    pub fn staff_lang(&self) -> Lang {
        let bot = self.bots.get();
        self.settings
            .handover
            .staff
            .lang
            .as_deref()
            .and_then(|l| l.parse::<Lang>().ok())
            .filter(|l| bot.languages().contains(l))
            .unwrap_or(bot.languages()[0])
    }

    /// Outbox rows for the events a pushing channel shows: the bot's and
    /// staff's messages and the server's notices. A message a person wrote
    /// from the Page's own inbox is already there.
    pub(super) fn push_rows(
        &self,
        info: &ConversationInfo,
        events: &[StoredEvent],
    ) -> Vec<NewOutbox> {
        if !self.pushes(&info.channel) {
            return Vec::new();
        }
        events
            .iter()
            .filter(|e| {
                matches!(event_type(&e.body).as_deref(), Some("say" | "notice"))
                    && !e.body.contains("\"via\":\"page_inbox\"")
            })
            .map(|e| NewOutbox {
                channel: info.channel.clone(),
                seq: Some(e.seq),
                body: e.body.clone(),
            })
            .collect()
    }

    /// A ticketing hook row about a case.
    pub(super) fn ticket_row(&self, event: &str, case: &Case, extra: Json) -> Option<NewOutbox> {
        if !self.settings.handover.ticketing {
            return None;
        }
        let summary: Json = serde_json::from_str(&case.summary).unwrap_or(Json::Null);
        let mut body = json!({
            "event": event,
            "case": {
                "id": case.id,
                "conversation": case.conversation_id,
                "service": case.service,
                "reason": case.reason,
                "flow": case.flow,
                "lang": case.lang,
                "channel": case.channel,
                "created_ms": case.created_ms,
                "summary": summary,
            },
            "transcript_url": format!(
                "{}/staff/#case={}",
                self.settings.handover.public_url.trim_end_matches('/'),
                case.id
            ),
            "at_ms": self.clock.now_ms(),
        });
        if let (Some(obj), Json::Object(more)) = (body.as_object_mut(), extra) {
            obj.extend(more);
        }
        Some(NewOutbox {
            channel: TICKETING.into(),
            seq: None,
            body: body.to_string(),
        })
    }

    /// Whether staff are there now, and if not when they come back.
    pub(super) fn staff_available(&self) -> (bool, Option<chrono::NaiveDateTime>) {
        let Some(hours) = &self.settings.handover.staff.hours else {
            return (true, None);
        };
        let now = self.clock.local();
        let country = self.bots.get().program().country;
        if hours.is_open(now, country) {
            (true, None)
        } else {
            (false, hours.next_opening(now, country))
        }
    }

    /// What a bot round does to the hand-over: a `handoff` in `bot` mode
    /// opens a case (with a notice saying what happens next); events of a
    /// pushing channel become outbox rows.
    pub(super) async fn hand_over(
        &self,
        info: &ConversationInfo,
        mode: Mode,
        round: &mut Round,
    ) -> Result<Extras, ServiceError> {
        let mut extras = Extras::default();
        if let Some(handoff) = round.handoff.clone() {
            if mode == Mode::Bot && self.store.open_case_of(&info.id).await?.is_none() {
                self.open_case(info, &handoff, round, &mut extras);
            }
        }
        extras
            .outbox
            .splice(0..0, self.push_rows(info, &round.events));
        Ok(extras)
    }

    fn open_case(
        &self,
        info: &ConversationInfo,
        h: &Handoff,
        round: &mut Round,
        extras: &mut Extras,
    ) {
        let bot = self.bots.get();
        let lang = Some(round.lang.clone())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| self.lang_of(info));
        let flow = h
            .summary
            .get("flow")
            .and_then(Json::as_str)
            .map(str::to_string);
        let staff = &self.settings.handover.staff;
        let summary = case_summary(&bot, &h.summary, self.staff_lang());
        let now = self.clock.now_ms();
        let (open, next_opening) = self.staff_available();
        let case = Case {
            id: format!("h_{}", random_text(self.random.as_ref(), 12)),
            conversation_id: info.id.clone(),
            state: CaseState::Waiting,
            service: staff.service_for(flow.as_deref(), &h.reason),
            reason: h.reason.clone(),
            flow,
            lang: lang.clone(),
            channel: info.channel.clone(),
            summary: summary.to_string(),
            handoff_seq: h.seq,
            staff_login: None,
            staff_name: None,
            outcome: None,
            filed_ms: (!open).then_some(now),
            created_ms: now,
            claimed_ms: None,
            closed_ms: None,
            updated_ms: now,
        };
        let notice = if open {
            HandoverNotice::Queued
        } else {
            HandoverNotice::Unavailable { next_opening }
        };
        round.push_before_end(notice.body(&lang));
        extras
            .outbox
            .extend(self.ticket_row("case_opened", &case, json!({})));
        if !open {
            extras.outbox.extend(self.ticket_row(
                "case_filed",
                &case,
                json!({"why": "outside_opening_hours"}),
            ));
        }
        metrics::counter!("guichet_cases_opened_total", "service" => case.service.clone())
            .increment(1);
        extras.mode = Some(Mode::Waiting);
        extras.case = Some(CaseWrite::Open(Box::new(case)));
        extras.inbox = true;
    }

    /// After a commit: live streams, the outbox worker and staff pages hear of it.
    pub(super) fn committed(
        &self,
        id: &str,
        events: &[StoredEvent],
        extras_outbox: bool,
        inbox: bool,
    ) {
        self.hub.publish(id, events);
        if extras_outbox {
            self.signals.outbox.notify_one();
        }
        if inbox {
            if let Some(last) = events.last() {
                let _ = self.signals.inbox.send(InboxSignal {
                    conversation_id: id.to_string(),
                    seq: last.seq,
                });
            }
        }
    }
}
