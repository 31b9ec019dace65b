//! What staff do to a case, each a commit under the conversation's lock
//! (so that two members of staff, or staff and the citizen, never write
//! over each other): claim, answer, hand back to the bot, close. And what
//! happens without them: a case nobody claims in time, a person answering
//! from the Messenger Page's own inbox.

use super::notices::HandoverNotice;
use super::round::Round;
use super::{ConversationService, ServiceError};
use crate::serve::clock::random_text;
use crate::serve::store::{
    Case, CaseState, CaseWrite, ConversationState, LockedConversation, Mode, NewOutbox, StoreError,
    StoredEvent, TurnWrite,
};
use serde_json::json;
use std::time::Duration;

/// A member of staff acting on a case: the login is theirs, the name is
/// what citizens see.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffMember {
    pub login: String,
    pub name: String,
}

/// The login cases answered from the Messenger Page's own inbox are held by.
pub const PAGE_INBOX: &str = "page_inbox";

/// How long after a person's last message the Page may still write to
/// them, with the `HUMAN_AGENT` tag (Messenger's rule).
pub const HUMAN_AGENT_WINDOW_MS: i64 = 7 * 24 * 3600 * 1000;

/// The longest message a member of staff may send, in characters.
pub const STAFF_TEXT_CHARS: usize = 4000;

impl ConversationService {
    /// Locks the case's conversation and reads the case again under the lock.
    async fn lock_case(
        &self,
        case_id: &str,
    ) -> Result<(Box<dyn LockedConversation>, ConversationState, Case), ServiceError> {
        let case = self
            .store
            .case(case_id)
            .await?
            .ok_or(ServiceError::UnknownCase)?;
        let locked = self
            .store
            .lock(&case.conversation_id, self.settings.turn_wait)
            .await?;
        let case = self
            .store
            .case(case_id)
            .await?
            .ok_or(ServiceError::UnknownCase)?;
        let state = locked.state().clone();
        Ok((locked, state, case))
    }

    /// Commits events written by staff (or about them) with the case's change.
    async fn commit_staff(
        &self,
        locked: Box<dyn LockedConversation>,
        state: &ConversationState,
        bodies: Vec<String>,
        mode: Option<Mode>,
        case: Option<CaseWrite>,
        tickets: Option<NewOutbox>,
    ) -> Result<Vec<StoredEvent>, ServiceError> {
        let mut round = Round::new(state.info.last_seq);
        for b in bodies {
            round.push(b);
        }
        let mut outbox = self.push_rows(&state.info, &round.events);
        outbox.extend(tickets);
        let pushed = !outbox.is_empty();
        let write = TurnWrite {
            session: state.session.clone(),
            events: round.events.clone(),
            now_ms: self.clock.now_ms(),
            mode,
            case,
            outbox,
            ..TurnWrite::default()
        };
        locked.commit(write).await.map_err(|e| match e {
            StoreError::Conflict => ServiceError::CaseConflict("case_changed"),
            other => other.into(),
        })?;
        self.committed(&state.info.id, &round.events, pushed, true);
        Ok(round.events)
    }

    async fn reread(&self, case_id: &str) -> Result<Case, ServiceError> {
        self.store
            .case(case_id)
            .await?
            .ok_or(ServiceError::UnknownCase)
    }

    /// Takes a waiting case: the citizen is told who took over, and the
    /// bot stops answering. Of two claims, the second gets `case_taken`.
    pub async fn claim(&self, case_id: &str, who: &StaffMember) -> Result<Case, ServiceError> {
        let (locked, state, case) = self.lock_case(case_id).await?;
        match case.state {
            CaseState::Waiting => {}
            CaseState::Claimed => return Err(ServiceError::CaseConflict("case_taken")),
            CaseState::Closed => return Err(ServiceError::CaseConflict("case_closed")),
        }
        let lang = self.lang_of(&state.info);
        let notice = HandoverNotice::TakenOver {
            name: who.name.clone(),
        };
        let ticket = self.ticket_row(
            "case_claimed",
            &case,
            json!({"staff": {"login": who.login, "name": who.name}}),
        );
        self.commit_staff(
            locked,
            &state,
            vec![notice.body(&lang)],
            Some(Mode::Staff),
            Some(CaseWrite::Claim {
                case_id: case.id.clone(),
                login: who.login.clone(),
                name: who.name.clone(),
            }),
            ticket,
        )
        .await?;
        metrics::counter!("guichet_cases_claimed_total").increment(1);
        self.reread(case_id).await
    }

    fn held_by(case: &Case, who: &StaffMember) -> Result<(), ServiceError> {
        match case.state {
            CaseState::Closed => Err(ServiceError::CaseConflict("case_closed")),
            CaseState::Claimed if case.staff_login.as_deref() == Some(who.login.as_str()) => Ok(()),
            _ => Err(ServiceError::CaseConflict("not_your_case")),
        }
    }

    /// A message from the member of staff holding the case: logged as a
    /// `say` from staff, with their name; pushed to Messenger through the
    /// outbox. Refused when Messenger no longer lets the Page write.
    pub async fn staff_reply(
        &self,
        case_id: &str,
        who: &StaffMember,
        text: &str,
    ) -> Result<StoredEvent, ServiceError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ServiceError::BadInput("the message is empty".into()));
        }
        let chars = text.chars().count();
        if chars > STAFF_TEXT_CHARS {
            return Err(ServiceError::TextTooLong {
                chars,
                limit: STAFF_TEXT_CHARS,
            });
        }
        let (locked, state, case) = self.lock_case(case_id).await?;
        Self::held_by(&case, who)?;
        if self.pushes(&case.channel) {
            let last = self.store.last_message(&case.conversation_id).await?;
            let now = self.clock.now_ms();
            if last.is_none_or(|at| now - at > HUMAN_AGENT_WINDOW_MS) {
                return Err(ServiceError::OutsideWindow);
            }
        }
        let body = json!({"type": "say", "from": "staff", "name": who.name, "text": text});
        let events = self
            .commit_staff(
                locked,
                &state,
                vec![body.to_string()],
                None,
                Some(CaseWrite::Touch {
                    case_id: case.id.clone(),
                }),
                None,
            )
            .await?;
        metrics::counter!("guichet_staff_messages_total", "channel" => case.channel.clone())
            .increment(1);
        events
            .into_iter()
            .next()
            .ok_or_else(|| ServiceError::Internal("no event was written".into()))
    }

    /// The member of staff holding the case gives the conversation back
    /// to the bot; the citizen is told.
    pub async fn hand_back(&self, case_id: &str, who: &StaffMember) -> Result<Case, ServiceError> {
        self.finish_case(case_id, who, Finish::Returned).await
    }

    /// Closes a case: one waiting (answered elsewhere, by e-mail) or one
    /// the member of staff holds. The bot answers the conversation again.
    pub async fn close_case(&self, case_id: &str, who: &StaffMember) -> Result<Case, ServiceError> {
        self.finish_case(case_id, who, Finish::Closed).await
    }

    /// Ends a case (handed back or closed): the citizen is told, the bot
    /// answers again, and the ticketing hook hears of it.
    async fn finish_case(
        &self,
        case_id: &str,
        who: &StaffMember,
        how: Finish,
    ) -> Result<Case, ServiceError> {
        let (locked, state, case) = self.lock_case(case_id).await?;
        // A waiting case can be closed by anyone who sees it; anything else
        // needs the member of staff who holds it.
        if matches!(how, Finish::Returned) || case.state != CaseState::Waiting {
            Self::held_by(&case, who)?;
        }
        let lang = self.lang_of(&state.info);
        let (notice, kind, outcome) = match how {
            Finish::Returned => (
                HandoverNotice::BotBack {
                    name: Some(who.name.clone()),
                },
                "case_returned",
                "returned",
            ),
            Finish::Closed => (
                HandoverNotice::Closed {
                    name: who.name.clone(),
                },
                "case_closed",
                "closed",
            ),
        };
        let ticket = self.ticket_row(
            kind,
            &case,
            json!({"staff": {"login": who.login, "name": who.name}}),
        );
        self.commit_staff(
            locked,
            &state,
            vec![notice.body(&lang)],
            Some(Mode::Bot),
            Some(CaseWrite::Finish {
                case_id: case.id.clone(),
                outcome: outcome.into(),
            }),
            ticket,
        )
        .await?;
        self.reread(case_id).await
    }

    /// A person answered the citizen from the Messenger Page's own inbox:
    /// their message is logged (not sent again), and the bot pauses on the
    /// conversation, which the Page's inbox now holds.
    pub async fn external_reply(
        &self,
        conversation_id: &str,
        text: &str,
        name: &str,
    ) -> Result<(), ServiceError> {
        let locked = self
            .store
            .lock(conversation_id, self.settings.turn_wait)
            .await?;
        let state = locked.state().clone();
        let open = self.store.open_case_of(conversation_id).await?;
        let body = json!({"type": "say", "from": "staff", "name": name, "text": text, "via": "page_inbox"});
        let seq = state.info.last_seq + 1;
        let now = self.clock.now_ms();
        let (case, ticket) = match open {
            None => {
                let reason = PAGE_INBOX.to_string();
                let case = Case {
                    id: format!("h_{}", random_text(self.random.as_ref(), 12)),
                    conversation_id: conversation_id.to_string(),
                    state: CaseState::Claimed,
                    service: self.staff_config().service_for(None, &reason),
                    reason,
                    flow: None,
                    lang: self.lang_of(&state.info),
                    channel: state.info.channel.clone(),
                    summary:
                        json!({"slots": {}, "text": "", "text_lang": self.staff_lang().to_string()})
                            .to_string(),
                    handoff_seq: seq,
                    staff_login: Some(PAGE_INBOX.into()),
                    staff_name: Some(name.to_string()),
                    outcome: None,
                    filed_ms: None,
                    created_ms: now,
                    claimed_ms: Some(now),
                    closed_ms: None,
                    updated_ms: now,
                };
                let ticket = self.ticket_row("case_opened", &case, json!({}));
                (CaseWrite::Open(Box::new(case)), ticket)
            }
            Some(c) if c.state == CaseState::Waiting => (
                CaseWrite::Claim {
                    case_id: c.id.clone(),
                    login: PAGE_INBOX.into(),
                    name: name.to_string(),
                },
                self.ticket_row(
                    "case_claimed",
                    &c,
                    json!({"staff": {"login": PAGE_INBOX, "name": name}}),
                ),
            ),
            Some(c) => (CaseWrite::Touch { case_id: c.id }, None),
        };
        self.commit_staff(
            locked,
            &state,
            vec![body.to_string()],
            Some(Mode::Staff),
            Some(case),
            ticket,
        )
        .await?;
        Ok(())
    }

    /// The periodic pass: waiting cases nobody claimed within the claim
    /// timeout are told so and filed; conversations the Page's inbox held
    /// go back to the bot `echo_pause` after that person's last message.
    /// Returns how many cases changed.
    pub async fn handover_tick(&self, echo_pause: Option<Duration>) -> usize {
        let mut changed = 0;
        let now = self.clock.now_ms();
        let timeout = self.staff_config().claim_timeout.as_millis() as i64;
        match self.store.unattended_cases(now - timeout, 32).await {
            Ok(cases) => {
                for case in cases {
                    match self.file_unattended(&case.id).await {
                        Ok(true) => changed += 1,
                        Ok(false) => {}
                        Err(e) => {
                            tracing::warn!(case = %case.id, error = ?e, "an unattended case could not be filed")
                        }
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "unattended cases could not be read"),
        }
        if let Some(pause) = echo_pause {
            let before = now - pause.as_millis() as i64;
            match self.store.idle_claims(PAGE_INBOX, before, 32).await {
                Ok(cases) => {
                    for case in cases {
                        match self.release_page_inbox(&case.id, before).await {
                            Ok(true) => changed += 1,
                            Ok(false) => {}
                            Err(e) => {
                                tracing::warn!(case = %case.id, error = ?e, "a conversation could not go back to the bot")
                            }
                        }
                    }
                }
                Err(e) => tracing::error!(error = %e, "idle conversations could not be read"),
            }
        }
        changed
    }

    async fn file_unattended(&self, case_id: &str) -> Result<bool, ServiceError> {
        let (locked, state, case) = self.lock_case(case_id).await?;
        if case.state != CaseState::Waiting || case.filed_ms.is_some() {
            return Ok(false);
        }
        let (open, next_opening) = self.staff_available();
        let notice = HandoverNotice::Unavailable {
            next_opening: if open { None } else { next_opening },
        };
        let lang = self.lang_of(&state.info);
        let ticket = self.ticket_row("case_filed", &case, json!({"why": "claim_timeout"}));
        self.commit_staff(
            locked,
            &state,
            vec![notice.body(&lang)],
            None,
            Some(CaseWrite::Filed {
                case_id: case.id.clone(),
            }),
            ticket,
        )
        .await?;
        metrics::counter!("guichet_cases_unattended_total").increment(1);
        Ok(true)
    }

    async fn release_page_inbox(&self, case_id: &str, before: i64) -> Result<bool, ServiceError> {
        let (locked, state, case) = self.lock_case(case_id).await?;
        if case.state != CaseState::Claimed
            || case.staff_login.as_deref() != Some(PAGE_INBOX)
            || case.updated_ms >= before
        {
            return Ok(false);
        }
        let lang = self.lang_of(&state.info);
        let notice = HandoverNotice::BotBack { name: None };
        let ticket = self.ticket_row("case_returned", &case, json!({}));
        self.commit_staff(
            locked,
            &state,
            vec![notice.body(&lang)],
            Some(Mode::Bot),
            Some(CaseWrite::Finish {
                case_id: case.id.clone(),
                outcome: "returned".into(),
            }),
            ticket,
        )
        .await?;
        Ok(true)
    }
}

/// How a member of staff ends a case.
#[derive(Clone, Copy)]
enum Finish {
    /// Handed back to the bot.
    Returned,
    /// Closed (answered, or answered elsewhere).
    Closed,
}
