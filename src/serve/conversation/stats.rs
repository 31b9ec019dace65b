//! The statistics a turn writes with itself: the runtime's records as the
//! store keeps them (names and codes), the conversation's figures, the
//! messages not understood (masked); and the jobs that record the flows a
//! citizen left idle and purge what is older than the retention period.

use super::log::CitizenInput;
use super::ConversationService;
use crate::privacy::mask_text;
use crate::runtime::records::{abandoned_in, Abandon, Record};
use crate::runtime::{Event, Input, Session};
use crate::serve::store::{CaseWrite, ConversationInfo, StatEvent, StatsWrite, UnmatchedWrite};
use crate::Bot;
use chrono::{NaiveDateTime, Timelike};
use std::time::Duration;

/// What the statistics need from the settings.
#[derive(Debug, Clone)]
pub struct StatsSettings {
    /// Write the records (the event record of every turn).
    pub record: bool,
    /// A conversation untouched this long has its flows in progress
    /// recorded abandoned (undone if the citizen comes back).
    pub abandon_after: Duration,
    /// Conversations, transcripts and records older than this are purged;
    /// the statistics keep their daily counts.
    pub retention: Duration,
}

impl Default for StatsSettings {
    fn default() -> StatsSettings {
        StatsSettings {
            record: true,
            abandon_after: Duration::from_secs(30 * 60),
            retention: Duration::from_secs(90 * 24 * 3600),
        }
    }
}

/// A record as the store keeps it. A hand-over's service is filled in by
/// the caller (the case's, as the staff inbox shows it).
pub fn stat_event(r: &Record) -> StatEvent {
    let mut e = StatEvent {
        kind: r.kind().to_string(),
        ..StatEvent::default()
    };
    let step = |e: &mut StatEvent, s: &crate::runtime::records::Step| {
        e.step = Some(s.name.clone());
        e.step_index = Some(i64::from(s.index));
    };
    match r {
        Record::FlowStarted { flow, by } => {
            e.flow = Some(flow.clone());
            e.detail = Some(by.as_str().into());
        }
        Record::SlotAsked { flow, step: s }
        | Record::SlotFilled { flow, step: s }
        | Record::AttemptsExhausted { flow, step: s }
        | Record::ConfirmationCorrected { flow, step: s } => {
            e.flow = Some(flow.clone());
            step(&mut e, s);
        }
        Record::SlotRefused {
            flow,
            step: s,
            why,
            code,
        } => {
            e.flow = Some(flow.clone());
            step(&mut e, s);
            e.detail = Some(code.clone());
            e.extra = Some(why.as_str().into());
        }
        Record::Reprompt {
            flow,
            step: s,
            attempt,
        } => {
            e.flow = Some(flow.clone());
            step(&mut e, s);
            e.value = Some(i64::from(*attempt));
        }
        Record::Digression { from, to } => {
            e.flow = Some(to.clone());
            e.detail = Some(from.clone());
        }
        Record::FlowCompleted { flow } => e.flow = Some(flow.clone()),
        Record::FlowAbandoned { flow, step: s, how } => {
            e.flow = Some(flow.clone());
            if let Some(s) = s {
                step(&mut e, s);
            }
            e.detail = Some(how.as_str().into());
        }
        Record::ActionDone { action, ok } => {
            e.detail = Some(action.clone());
            e.extra = Some(if *ok { "ok" } else { "failed" }.into());
        }
        Record::Handoff { reason, flow } => {
            e.flow = flow.clone();
            e.detail = Some(reason.clone());
        }
        Record::LanguageSwitched { from, .. } => e.detail = Some(from.to_string()),
        Record::Unmatched {
            closest,
            score,
            ambiguous,
        } => {
            e.flow = closest.clone();
            e.value = Some((score * 1000.0).round() as i64);
            e.extra = ambiguous.then(|| "ambiguous".to_string());
        }
    }
    e
}

/// What the statistics need to know of a turn.
#[derive(Default)]
pub(super) struct TurnFacts<'a> {
    /// The conversation's language after the turn ('' when unknown).
    pub lang: &'a str,
    /// The citizen's input, when the turn answers one.
    pub input: Option<&'a CitizenInput>,
    pub records: &'a [Record],
    /// The conversation's first turn, which starts its figures.
    pub first: bool,
    /// What the turn does to a case of the staff inbox.
    pub case: Option<&'a CaseWrite>,
}

fn day_and_hour(local: NaiveDateTime) -> (String, i64) {
    (
        local.format("%Y-%m-%d").to_string(),
        i64::from(local.hour()),
    )
}

impl ConversationService {
    /// Runs one bot turn, with its statistics records when they are kept.
    pub(super) fn run_bot(
        &self,
        bot: &Bot,
        session: &mut Session,
        input: Input,
    ) -> (Vec<Event>, Vec<Record>) {
        let now = self.clock.local();
        if self.settings.stats.record {
            let out = bot.turn_recorded(session, input, now);
            (out.events, out.records)
        } else {
            (bot.turn(session, input, now), Vec::new())
        }
    }

    /// What a turn adds to the statistics: its records, the citizen's
    /// message when the bot did not understand it (masked), and one more
    /// message to the conversation's count.
    pub(super) fn stats_write(
        &self,
        bot: &Bot,
        info: &ConversationInfo,
        turn: TurnFacts<'_>,
    ) -> Option<StatsWrite> {
        let TurnFacts {
            lang,
            input,
            records,
            first,
            case,
        } = turn;
        if !self.settings.stats.record {
            return None;
        }
        let local = self.clock.local();
        let (day, hour) = day_and_hour(local);
        let mut events = Vec::with_capacity(records.len() + 1);
        if first {
            events.push(StatEvent {
                kind: "conversation_started".into(),
                ..StatEvent::default()
            });
        }
        for r in records {
            let mut e = stat_event(r);
            if let Record::Handoff { reason, flow } = r {
                // The service of the case the hand-over opened, or the one
                // the staff settings give its flow and reason.
                e.extra = Some(match case {
                    Some(CaseWrite::Open(c)) => c.service.clone(),
                    _ => self.staff_config().service_for(flow.as_deref(), reason),
                });
            }
            events.push(e);
        }
        let mut unmatched = Vec::new();
        for r in records {
            if let (
                Record::Unmatched {
                    closest,
                    score,
                    ambiguous,
                },
                Some(CitizenInput::Text(text) | CitizenInput::ListReply(text)),
            ) = (r, input)
            {
                let triggers = &bot.program().triggers;
                unmatched.push(UnmatchedWrite {
                    text: mask_text(text, local, &|w| triggers.knows(w)),
                    closest: closest.clone(),
                    score: (score * 1000.0).round() as i64,
                    ambiguous: *ambiguous,
                });
            }
        }
        let messages = match input {
            Some(CitizenInput::Text(_) | CitizenInput::Button(_) | CitizenInput::ListReply(_)) => 1,
            _ => 0,
        };
        Some(StatsWrite {
            day,
            hour,
            channel: info.channel.clone(),
            lang: if lang.is_empty() {
                self.lang_of(info)
            } else {
                lang.to_string()
            },
            messages,
            events,
            unmatched,
            maybe_idle: self.clock.now_ms().saturating_sub(info.updated_ms)
                >= self.idle_mark_age_ms() / 2,
        })
    }

    /// How long a conversation stays quiet before its flows in progress are
    /// recorded abandoned. A conversation quiet for less than half of it
    /// (a margin for the clock) cannot have been marked.
    fn idle_mark_age_ms(&self) -> i64 {
        chrono::Duration::from_std(self.settings.stats.abandon_after)
            .unwrap_or(chrono::Duration::minutes(30))
            .num_milliseconds()
    }

    /// Records the flows of conversations left idle since `abandon_after`
    /// as abandoned at their step. Returns how many conversations.
    pub async fn record_idle_flows(&self) -> usize {
        if !self.settings.stats.record {
            return 0;
        }
        let now_ms = self.clock.now_ms();
        let before = now_ms - self.idle_mark_age_ms();
        let found = match self.store.idle_conversations(before, 100).await {
            Ok(f) => f,
            Err(e) => {
                tracing::error!(error = %e, "idle conversations could not be read");
                return 0;
            }
        };
        let bot = self.bots.get();
        // The commune's local time of each conversation's last activity.
        let offset = self.clock.local()
            - chrono::DateTime::from_timestamp_millis(now_ms)
                .map(|d| d.naive_utc())
                .unwrap_or_default();
        let mut n = 0;
        for c in found {
            let stack = bot
                .restore(&c.session)
                .map(|r| r.session.stack)
                .unwrap_or_default();
            let records = abandoned_in(bot.program(), &stack, Abandon::Idle);
            let last = chrono::DateTime::from_timestamp_millis(c.updated_ms)
                .map(|d| d.naive_utc() + offset)
                .unwrap_or_else(|| self.clock.local());
            let (day, hour) = day_and_hour(last);
            let write = StatsWrite {
                day,
                hour,
                channel: c.channel.clone(),
                lang: c.lang.clone(),
                messages: 0,
                events: records.iter().map(stat_event).collect(),
                unmatched: Vec::new(),
                maybe_idle: false,
            };
            match self.store.record_idle(&c, write).await {
                Ok(true) => n += 1,
                Ok(false) => {}
                Err(e) => tracing::error!(error = %e, "idle flows could not be recorded"),
            }
        }
        n
    }

    /// Deletes what is older than the retention period: conversations with
    /// their transcripts and everything derived from them; the statistics
    /// records become daily counts.
    pub async fn purge_expired(&self) -> Option<crate::serve::store::Purged> {
        let keep = chrono::Duration::from_std(self.settings.stats.retention)
            .unwrap_or(chrono::Duration::days(90));
        let before = self.clock.now_ms() - keep.num_milliseconds();
        match self.store.purge_before(before).await {
            Ok(p) => Some(p),
            Err(e) => {
                tracing::error!(error = %e, "the retention purge failed");
                None
            }
        }
    }
}
