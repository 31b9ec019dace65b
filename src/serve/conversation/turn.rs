//! One turn: lock the conversation, check the client's message id,
//! restore the session, run the bot, commit the session, the numbered
//! events and the message id together, then perform the actions the turn
//! asked for and feed their results back, each in a turn of its own.

use super::log::{self, CitizenInput, Notice, GLOBAL_BUTTONS};
use super::round::Round;
use super::stats::TurnFacts;
use super::{hash_token, ConversationService, ServiceError};
use crate::runtime::records::{dropped_by_change, Record};
use crate::runtime::{Button, Event, Input, Session, Turn};
use crate::serve::actions::{ActionCall, ActionReply, ActionResult};
use crate::serve::clock::random_text;
use crate::serve::store::{
    ActionRecord, ActionState, AnswerWrite, ConversationState, LockedConversation, Mode, NewAction,
    StoredEvent, TurnWrite,
};
use crate::Bot;
use serde_json::{Map, Value as Json};
use std::time::Instant;

/// The answer to an input: its events as JSON objects (`{"seq": ...}`).
#[derive(Debug, Clone)]
pub struct Answer {
    pub events: Vec<String>,
    /// The same client message id was seen before: this is the first
    /// answer, and nothing was applied.
    pub replayed: bool,
}

impl Answer {
    /// `{"events": [...]}`
    pub fn to_json(&self) -> String {
        let mut out =
            String::with_capacity(16 + self.events.iter().map(String::len).sum::<usize>());
        out.push_str("{\"events\":[");
        for (i, e) in self.events.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(e);
        }
        out.push_str("]}");
        out
    }
}

/// What a callback did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    Applied,
    /// The action's result was already fed back.
    AlreadyDone,
}

/// An action a committed turn asked for, to perform now.
struct Job {
    conversation: String,
    channel: String,
    lang: String,
    action_id: String,
    name: String,
    args: Map<String, Json>,
    token: String,
    client_id: Option<String>,
    /// The `turn_end` of the turn that asked, held back until the bot
    /// waits for the citizen again.
    held_end: Option<Event>,
}

fn restore(bot: &Bot, saved: &str, random: u64) -> Session {
    restore_recording(bot, saved, random).0
}

/// `restore`, with the records of the flows a changed bot could not carry
/// over (the conversation starts over without them).
fn restore_recording(bot: &Bot, saved: &str, random: u64) -> (Session, Vec<Record>) {
    match bot.restore(saved) {
        Ok(r) => {
            let dropped = if r.restarted {
                serde_json::from_str::<Session>(saved)
                    .map(|old| dropped_by_change(&old.stack))
                    .unwrap_or_default()
            } else {
                Vec::new()
            };
            (r.session, dropped)
        }
        Err(e) => {
            // The reason may quote the session: masked.
            let reason = crate::privacy::mask_text(
                &e.to_string(),
                chrono::NaiveDateTime::default(),
                &|_| false,
            );
            tracing::warn!(error = %reason, "a saved session could not be read; the conversation starts over");
            (bot.new_session(None, random), Vec::new())
        }
    }
}

fn session_json(s: &Session) -> Result<String, ServiceError> {
    serde_json::to_string(s).map_err(|e| ServiceError::Internal(e.to_string()))
}

impl ConversationService {
    /// Applies one citizen input, or returns the first answer to the same
    /// `client_id`, for a channel that identified the conversation itself.
    pub async fn input(
        &self,
        id: &str,
        client_id: &str,
        input: CitizenInput,
    ) -> Result<Answer, ServiceError> {
        self.apply(id, None, client_id, input).await
    }

    /// `input` for a client that holds the conversation's token (the web
    /// API): the token is checked on the state the turn reads.
    pub async fn input_with_token(
        &self,
        id: &str,
        token: &str,
        client_id: &str,
        input: CitizenInput,
    ) -> Result<Answer, ServiceError> {
        self.apply(id, Some(token), client_id, input).await
    }

    async fn apply(
        &self,
        id: &str,
        token: Option<&str>,
        client_id: &str,
        input: CitizenInput,
    ) -> Result<Answer, ServiceError> {
        if client_id.is_empty() || client_id.chars().count() > 64 {
            return Err(ServiceError::BadInput(
                "`client_id` must have 1 to 64 characters".into(),
            ));
        }
        if let CitizenInput::Text(t) | CitizenInput::ListReply(t) = &input {
            let chars = t.chars().count();
            if chars > self.settings.text_chars {
                return Err(ServiceError::TextTooLong {
                    chars,
                    limit: self.settings.text_chars,
                });
            }
        }
        let started = Instant::now();
        let store_started = Instant::now();
        let (locked, answer) = self
            .store
            .lock_for_input(id, client_id, self.settings.turn_wait)
            .await?;
        if let Some(token) = token {
            if !super::same(&locked.state().info.token_hash, &hash_token(token)) {
                return Err(ServiceError::UnknownConversation);
            }
        }
        if let Err(retry_after_secs) = self.settings.per_conversation.check(id) {
            return Err(ServiceError::RateLimited { retry_after_secs });
        }
        if let Some(answer) = answer {
            return Ok(Answer {
                events: answer
                    .split('\n')
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
                replayed: true,
            });
        }
        let store_time = store_started.elapsed();
        let state = locked.state().clone();
        let offered: Vec<Button> = serde_json::from_str(&state.offered).unwrap_or_default();
        let input = match input {
            CitizenInput::ListReply(t) => match log::numbered_choice(&t, &offered) {
                Some(payload) => CitizenInput::Button(payload),
                None => CitizenInput::Text(t),
            },
            other => other,
        };
        if let CitizenInput::Button(p) = &input {
            if !offered.iter().any(|b| &b.payload == p) && !GLOBAL_BUTTONS.contains(&p.as_str()) {
                return Err(ServiceError::ButtonNotOffered);
            }
        }
        let mode = Mode::parse(&state.info.mode);
        let quiet = mode == Mode::Staff
            || (mode == Mode::Waiting && !self.settings.handover.staff.bot_answers_while_waiting);
        if quiet {
            return self
                .log_only(locked, &state, client_id, &input, &offered, started)
                .await;
        }
        let bot = self.bots.get();
        let (mut session, dropped) =
            restore_recording(&bot, &state.session, self.random.next_u64());
        let mut round = Round::new(state.info.last_seq);
        round.push(log::user_body(&input, &offered));
        let runtime_input = match &input {
            CitizenInput::Text(t) | CitizenInput::ListReply(t) => Input::Text(t.clone()),
            CitizenInput::Button(p) => Input::Button(p.clone()),
            CitizenInput::Start => Input::Start,
        };
        let (events, turn_records) = self.run_bot(&bot, &mut session, runtime_input);
        let records = [dropped, turn_records].concat();
        round.take(events, None);
        let extras = self.hand_over(&state.info, mode, &mut round).await?;
        let first = state.info.last_seq == 0;
        let stats = self.stats_write(
            &bot,
            &state.info,
            TurnFacts {
                lang: &round.lang,
                input: Some(&input),
                records: &records,
                first,
                case: extras.case.as_ref(),
            },
        );
        let job = self.job_for(&state.info.id, &state.info.channel, &round, Some(client_id));
        let answer_lines = round.lines();
        let pushed = !extras.outbox.is_empty();
        let write = TurnWrite {
            session: session_json(&session)?,
            lang: Some(round.lang.clone()).filter(|l| !l.is_empty()),
            offered: round
                .offered
                .as_ref()
                .map(|o| serde_json::to_string(o).unwrap_or_else(|_| "[]".into())),
            events: round.events.clone(),
            answer: Some(AnswerWrite {
                client_id: client_id.to_string(),
                events: answer_lines,
                append: false,
            }),
            new_actions: job.iter().map(new_action).collect(),
            action_states: Vec::new(),
            now_ms: self.clock.now_ms(),
            mode: extras.mode,
            case: extras.case,
            outbox: extras.outbox,
            stats,
        };
        let commit_started = Instant::now();
        locked.commit(write).await?;
        let store_time = store_time + commit_started.elapsed();
        metrics::histogram!("guichet_store_seconds", "op" => "turn")
            .record(store_time.as_secs_f64());
        self.committed(id, &round.events, pushed, extras.inbox || mode != Mode::Bot);
        self.count(&state.info.channel, &round, started);
        let mut out: Vec<String> = round.events.iter().map(StoredEvent::to_json).collect();
        if let Some(job) = job {
            out.extend(self.perform(job).await.iter().map(StoredEvent::to_json));
        }
        Ok(Answer {
            events: out,
            replayed: false,
        })
    }

    /// A conversation staff hold (or one waiting, when the bot is told to
    /// keep quiet then): the input is logged for staff to read, and the
    /// bot does not run.
    async fn log_only(
        &self,
        locked: Box<dyn LockedConversation>,
        state: &ConversationState,
        client_id: &str,
        input: &CitizenInput,
        offered: &[Button],
        started: Instant,
    ) -> Result<Answer, ServiceError> {
        let mut round = Round::new(state.info.last_seq);
        round.push(log::user_body(input, offered));
        // The citizen's message counts in the conversation's length.
        let bot = self.bots.get();
        let stats = self.stats_write(
            &bot,
            &state.info,
            TurnFacts {
                input: Some(input),
                ..TurnFacts::default()
            },
        );
        let write = TurnWrite {
            session: state.session.clone(),
            events: round.events.clone(),
            answer: Some(AnswerWrite {
                client_id: client_id.to_string(),
                events: round.lines(),
                append: false,
            }),
            now_ms: self.clock.now_ms(),
            stats,
            ..TurnWrite::default()
        };
        locked.commit(write).await?;
        self.committed(&state.info.id, &round.events, false, true);
        metrics::counter!("guichet_turns_total", "channel" => state.info.channel.clone(), "outcome" => "held_by_staff")
            .increment(1);
        metrics::histogram!("guichet_turn_seconds", "channel" => state.info.channel.clone())
            .record(started.elapsed().as_secs_f64());
        Ok(Answer {
            events: round.events.iter().map(StoredEvent::to_json).collect(),
            replayed: false,
        })
    }

    fn count(&self, channel: &str, round: &Round, started: Instant) {
        metrics::counter!("guichet_turns_total", "channel" => channel.to_string(), "outcome" => round.outcome)
            .increment(1);
        metrics::histogram!("guichet_turn_seconds", "channel" => channel.to_string())
            .record(started.elapsed().as_secs_f64());
        if round.handoff.is_some() {
            metrics::counter!("guichet_handoffs_total", "channel" => channel.to_string())
                .increment(1);
        }
    }

    fn job_for(
        &self,
        conversation: &str,
        channel: &str,
        round: &Round,
        client_id: Option<&str>,
    ) -> Option<Job> {
        let (action_id, name, args) = round.request.clone()?;
        Some(Job {
            conversation: conversation.to_string(),
            channel: channel.to_string(),
            lang: round.lang.clone(),
            action_id,
            name,
            args,
            token: random_text(self.random.as_ref(), 24),
            client_id: client_id.map(str::to_string),
            held_end: round.held_end.clone(),
        })
    }

    fn call(&self, job: &Job) -> ActionCall {
        ActionCall {
            conversation: job.conversation.clone(),
            action_id: job.action_id.clone(),
            name: job.name.clone(),
            args: job.args.clone(),
            lang: job.lang.clone(),
            channel: job.channel.clone(),
            callback_url: format!(
                "{}/api/actions/{}",
                self.settings.public_url.trim_end_matches('/'),
                job.token
            ),
            idempotency_key: format!("{}:{}", job.conversation, job.action_id),
        }
    }

    /// Performs the action and those its results ask for, feeding each
    /// result back; returns the events committed meanwhile.
    async fn perform(&self, mut job: Job) -> Vec<StoredEvent> {
        let mut out = Vec::new();
        for _ in 0..16 {
            let call = self.call(&job);
            let started = Instant::now();
            let reply = self.actions.perform(&call).await;
            let outcome = match &reply {
                ActionReply::Done(r) if r.ok => "ok",
                ActionReply::Done(_) => "failed",
                ActionReply::Pending(_) => "pending",
            };
            metrics::counter!("guichet_actions_total", "action" => job.name.clone(), "outcome" => outcome)
                .increment(1);
            metrics::histogram!("guichet_action_seconds", "action" => job.name.clone())
                .record(started.elapsed().as_secs_f64());
            if outcome == "failed" {
                tracing::warn!(conversation = %job.conversation, action = %job.name, "an action failed; the flow takes its failed branch");
            }
            let step = match reply {
                ActionReply::Done(result) => self.feed(&job, result).await,
                ActionReply::Pending(notice) => self.wait_for_callback(&job, notice).await,
            };
            match step {
                Ok((events, next)) => {
                    out.extend(events);
                    match next {
                        Some(n) => job = n,
                        None => break,
                    }
                }
                Err(e) => {
                    tracing::error!(conversation = %job.conversation, action = %job.name, error = ?e, "an action's result could not be applied; it will be tried again");
                    break;
                }
            }
        }
        out
    }

    /// Locks the conversation for an action's result; `None` when the
    /// result was already applied.
    async fn lock_for(
        &self,
        job: &Job,
    ) -> Result<Option<(Box<dyn LockedConversation>, ActionRecord)>, ServiceError> {
        let mut locked = self
            .store
            .lock(&job.conversation, self.settings.turn_wait)
            .await?;
        match locked.action(&job.action_id).await? {
            Some(a) if a.state != ActionState::Done => Ok(Some((locked, a))),
            _ => Ok(None),
        }
    }

    /// Feeds an action's result to the bot, in a turn of its own.
    async fn feed(
        &self,
        job: &Job,
        result: ActionResult,
    ) -> Result<(Vec<StoredEvent>, Option<Job>), ServiceError> {
        let started = Instant::now();
        let Some((locked, _)) = self.lock_for(job).await? else {
            return Ok((Vec::new(), None));
        };
        let state = locked.state().clone();
        let bot = self.bots.get();
        let mut session = restore(&bot, &state.session, self.random.next_u64());
        let input = Input::ActionResult(crate::runtime::ActionResult {
            id: job.action_id.clone(),
            ok: result.ok,
            value: result.value,
            error: result.error,
        });
        let (events, records) = self.run_bot(&bot, &mut session, input);
        let mut round = Round::new(state.info.last_seq);
        round.take(events, job.held_end.clone());
        if round.lang.is_empty() {
            round.lang = job.lang.clone();
        }
        let mode = Mode::parse(&state.info.mode);
        let extras = self.hand_over(&state.info, mode, &mut round).await?;
        let pushed = !extras.outbox.is_empty();
        let stats = self.stats_write(
            &bot,
            &state.info,
            TurnFacts {
                lang: &round.lang,
                records: &records,
                case: extras.case.as_ref(),
                ..TurnFacts::default()
            },
        );
        let next = self.job_for(
            &state.info.id,
            &state.info.channel,
            &round,
            job.client_id.as_deref(),
        );
        let write = TurnWrite {
            session: session_json(&session)?,
            lang: Some(round.lang.clone()),
            offered: round
                .offered
                .as_ref()
                .map(|o| serde_json::to_string(o).unwrap_or_else(|_| "[]".into())),
            events: round.events.clone(),
            answer: job.client_id.as_ref().map(|c| AnswerWrite {
                client_id: c.clone(),
                events: round.lines(),
                append: true,
            }),
            new_actions: next.iter().map(new_action).collect(),
            action_states: vec![(job.action_id.clone(), ActionState::Done)],
            now_ms: self.clock.now_ms(),
            mode: extras.mode,
            case: extras.case,
            outbox: extras.outbox,
            stats,
        };
        locked.commit(write).await?;
        self.committed(
            &job.conversation,
            &round.events,
            pushed,
            extras.inbox || mode != Mode::Bot,
        );
        self.count(&state.info.channel, &round, started);
        Ok((round.events, next))
    }

    /// The back office answers later: the citizen is told (a notice), and
    /// the held `turn_end` says the bot waits for the action.
    async fn wait_for_callback(
        &self,
        job: &Job,
        notice: Option<Notice>,
    ) -> Result<(Vec<StoredEvent>, Option<Job>), ServiceError> {
        let Some((locked, _)) = self.lock_for(job).await? else {
            return Ok((Vec::new(), None));
        };
        let state = locked.state().clone();
        let mut round = Round::new(state.info.last_seq);
        if let Some(n) = &notice {
            round.push(log::notice_body(n));
        }
        let end = match job.held_end.clone() {
            Some(e) => e,
            None => {
                let bot = self.bots.get();
                let session = restore(&bot, &state.session, self.random.next_u64());
                Turn::new(bot.program(), session, self.clock.local()).turn_end()
            }
        };
        round.push(log::event_body(&end));
        let outbox = self.push_rows(&state.info, &round.events);
        let pushed = !outbox.is_empty();
        let write = TurnWrite {
            session: state.session.clone(),
            lang: None,
            offered: None,
            events: round.events.clone(),
            answer: job.client_id.as_ref().map(|c| AnswerWrite {
                client_id: c.clone(),
                events: round.lines(),
                append: true,
            }),
            new_actions: Vec::new(),
            action_states: vec![(job.action_id.clone(), ActionState::Pending)],
            now_ms: self.clock.now_ms(),
            outbox,
            ..TurnWrite::default()
        };
        locked.commit(write).await?;
        self.committed(&job.conversation, &round.events, pushed, false);
        Ok((round.events, None))
    }

    /// A back office's late result (`POST /api/actions/TOKEN`): fed to the
    /// bot; its events go to the conversation's stream.
    pub async fn complete_action(
        &self,
        token: &str,
        result: ActionResult,
    ) -> Result<Completion, ServiceError> {
        let record = self
            .store
            .action_by_token(&hash_token(token))
            .await?
            .ok_or(ServiceError::UnknownAction)?;
        if record.state == ActionState::Done {
            return Ok(Completion::AlreadyDone);
        }
        let job = self
            .job_from_record(&record, token.to_string(), false)
            .await?;
        let (_, next) = self.feed(&job, result).await?;
        if let Some(next) = next {
            self.perform(next).await;
        }
        Ok(Completion::Applied)
    }

    async fn job_from_record(
        &self,
        record: &ActionRecord,
        token: String,
        keep_client: bool,
    ) -> Result<Job, ServiceError> {
        let info = self
            .store
            .conversation(&record.conversation_id)
            .await?
            .ok_or(ServiceError::UnknownConversation)?;
        let lang = self.lang_of(&info);
        Ok(Job {
            conversation: record.conversation_id.clone(),
            channel: info.channel,
            lang,
            action_id: record.action_id.clone(),
            name: record.name.clone(),
            args: serde_json::from_str(&record.args).unwrap_or_default(),
            token,
            client_id: if keep_client {
                record.client_id.clone()
            } else {
                None
            },
            held_end: None,
        })
    }

    /// Performs again the actions that a turn committed but whose result
    /// never came back (the process stopped in between): their
    /// `Idempotency-Key` is the same, so a back office that already did
    /// the work answers as before. Returns how many were tried.
    pub async fn recover_owed_actions(&self, stale: std::time::Duration) -> usize {
        let now = self.clock.now_ms();
        let before = now - stale.as_millis() as i64;
        let owed = match self.store.claim_owed_actions(before, now, 32).await {
            Ok(o) => o,
            Err(e) => {
                tracing::error!(error = %e, "owed actions could not be read");
                return 0;
            }
        };
        let n = owed.len();
        for record in owed {
            let token = random_text(self.random.as_ref(), 24);
            if let Err(e) = self
                .store
                .rekey_action(
                    &record.conversation_id,
                    &record.action_id,
                    &hash_token(&token),
                )
                .await
            {
                tracing::error!(error = %e, "an owed action could not be re-keyed");
                continue;
            }
            match self.job_from_record(&record, token, true).await {
                Ok(job) => {
                    tracing::info!(conversation = %job.conversation, action = %job.name, "performing an action owed since a restart");
                    self.perform(job).await;
                }
                Err(e) => tracing::warn!(error = ?e, "an owed action's conversation is gone"),
            }
        }
        n
    }
}

fn new_action(job: &Job) -> NewAction {
    NewAction {
        action_id: job.action_id.clone(),
        name: job.name.clone(),
        args: Json::Object(job.args.clone()).to_string(),
        client_id: job.client_id.clone(),
        token_hash: hash_token(&job.token),
    }
}
