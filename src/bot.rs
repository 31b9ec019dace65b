//! The embedding API: load a bot once, then run any number of sessions
//! against it from any thread.

use crate::compile::{self, Program};
use crate::diagnostics::{Diagnostic, Located, Sources};
use crate::load::{self, SourceFile};
use crate::runtime::{
    offered_payloads, ActionResult, Event, Input, Reply, Session, Turn, REPLIES_KEPT,
    SESSION_FORMAT,
};
use crate::understand::matcher::BuiltIndex;
use crate::values::Lang;
use chrono::NaiveDateTime;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// A loaded, checked and compiled bot. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Bot {
    program: Arc<Program>,
    sources: Arc<Sources>,
    warnings: Arc<Vec<Diagnostic>>,
}

/// Why a bot did not load: its diagnostics (every error and warning), with
/// the sources they point into.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.diagnostics.iter().filter(|d| d.is_error()) {
            let l = Located::new(d, &self.sources);
            writeln!(
                f,
                "{}:{}:{}: {} [{}]",
                l.file, l.line, l.column, l.message, l.code
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// Why a saved session could not be used.
#[derive(Debug, Clone, PartialEq)]
pub struct RestoreError(pub String);

impl fmt::Display for RestoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RestoreError {}

/// A restored session, and whether it had to start over because the bot
/// changed too much for it to continue.
#[derive(Debug, Clone)]
pub struct Restored {
    pub session: Session,
    pub restarted: bool,
}

/// The result of one turn, with the trace the REPL shows.
#[derive(Debug, Clone, Default)]
pub struct TurnOutcome {
    pub events: Vec<Event>,
    pub trace: Vec<String>,
    /// The places of the bot the turn exercised, for test coverage.
    pub covered: Vec<crate::diagnostics::Span>,
    /// What happened, for statistics (`turn_recorded`); none after a
    /// runtime error, as the session did not change.
    pub records: Vec<crate::runtime::Record>,
}

/// Parses and checks a bot: every diagnostic, errors and warnings.
pub fn check_files(files: &[SourceFile]) -> (load::ParsedBot, Vec<Diagnostic>) {
    let (parsed, diagnostics, _) = check_and_index_files(files);
    (parsed, diagnostics)
}

fn check_and_index_files(
    files: &[SourceFile],
) -> (load::ParsedBot, Vec<Diagnostic>, Option<BuiltIndex>) {
    let parsed = load::parse(files);
    let mut diagnostics = parsed.diagnostics.clone();
    let (found, index) = crate::check::check_and_index(&parsed);
    diagnostics.extend(found);
    crate::check::quiet_after_syntax_errors(&parsed.sources, &mut diagnostics);
    crate::diagnostics::sort(&mut diagnostics);
    diagnostics.dedup();
    (parsed, diagnostics, index)
}

impl Bot {
    /// Loads a bot from a `.flow` file or a folder of them.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Bot, LoadError> {
        let files = load::read_path(path.as_ref()).map_err(|message| {
            let mut sources = Sources::default();
            let id = sources.add(path.as_ref().display().to_string(), "");
            LoadError {
                diagnostics: vec![Diagnostic::error(
                    "unreadable",
                    load::file_start(id),
                    message,
                )],
                sources,
            }
        })?;
        Bot::from_files(&files)
    }

    /// Loads a bot from `(file name, text)` pairs; CSV tables are given the
    /// same way, by the file name the `table` declaration uses.
    pub fn from_sources(files: &[(&str, &str)]) -> Result<Bot, LoadError> {
        let files: Vec<SourceFile> = files
            .iter()
            .map(|(name, text)| SourceFile {
                name: name.to_string(),
                text: text.to_string(),
            })
            .collect();
        Bot::from_files(&files)
    }

    pub fn from_files(files: &[SourceFile]) -> Result<Bot, LoadError> {
        let (parsed, diagnostics, index) = check_and_index_files(files);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(LoadError {
                diagnostics,
                sources: parsed.sources,
            });
        }
        let program = compile::compile_reusing(&parsed, index).map_err(|errors| LoadError {
            diagnostics: errors,
            sources: parsed.sources.clone(),
        })?;
        Ok(Bot {
            program: Arc::new(program),
            sources: Arc::new(parsed.sources),
            warnings: Arc::new(diagnostics),
        })
    }

    pub fn program(&self) -> &Arc<Program> {
        &self.program
    }

    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    /// The checker's warnings (a bot with errors does not load).
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The languages the bot speaks, its default first.
    pub fn languages(&self) -> &[Lang] {
        &self.program.languages
    }

    /// A new conversation. Without a language, the citizen's first message
    /// decides; `seed` fixes the choice among message variants.
    pub fn new_session(&self, lang: Option<Lang>, seed: u64) -> Session {
        Session {
            format: SESSION_FORMAT,
            bot: self.program.fingerprint.clone(),
            lang: lang
                .filter(|l| self.program.languages.contains(l))
                .unwrap_or(self.program.default_lang),
            lang_settled: lang.is_some(),
            stack: Vec::new(),
            next_action: 0,
            turns: 0,
            seed,
            last_answer: None,
            offered: Vec::new(),
            replies: Vec::new(),
            changed: None,
        }
    }

    /// Runs one turn. The events end with exactly one `turn_end`. A runtime
    /// problem gives an `error` event and leaves the session unchanged.
    pub fn turn(&self, session: &mut Session, input: Input, now: NaiveDateTime) -> Vec<Event> {
        self.run_turn(session, input, now, false, false).events
    }

    /// `turn`, also telling what happened for statistics: flows started,
    /// completed and abandoned, slots asked, filled and refused, hand-overs,
    /// messages not understood (`runtime::records`). No slot value is in a
    /// record.
    pub fn turn_recorded(
        &self,
        session: &mut Session,
        input: Input,
        now: NaiveDateTime,
    ) -> TurnOutcome {
        self.run_turn(session, input, now, false, true)
    }

    /// `turn` for an input the host named with its own `id` (a JSON line's
    /// `"id"`): an id this session already answered gets the same events
    /// again, its `turn_end` marked `replayed`, and nothing is applied a
    /// second time. The session keeps the last [`REPLIES_KEPT`] answers; a
    /// turn that ended in an `error` applied nothing and is not kept.
    pub fn turn_with_id(
        &self,
        session: &mut Session,
        id: &str,
        input: Input,
        now: NaiveDateTime,
    ) -> Vec<Event> {
        if let Some(reply) = session.replies.iter().find(|r| r.id == id) {
            let mut events = reply.events.clone();
            if let Some(Event::TurnEnd { replayed, .. }) = events.last_mut() {
                *replayed = true;
            }
            return events;
        }
        let before = session.turns;
        let events = self.turn(session, input, now);
        if session.turns != before {
            if session.replies.len() >= REPLIES_KEPT {
                session.replies.remove(0);
            }
            session.replies.push(Reply {
                id: id.to_string(),
                events: events.clone(),
            });
        }
        events
    }

    /// `turn`, also telling why things happened (the trace) and which
    /// places of the bot the turn went through (for test coverage).
    pub fn turn_traced(
        &self,
        session: &mut Session,
        input: Input,
        now: NaiveDateTime,
    ) -> TurnOutcome {
        self.run_turn(session, input, now, true, false)
    }

    fn run_turn(
        &self,
        session: &mut Session,
        input: Input,
        now: NaiveDateTime,
        tracing: bool,
        recording: bool,
    ) -> TurnOutcome {
        let mut turn = Turn::new(&self.program, session.clone(), now);
        if tracing {
            turn = turn.traced();
        }
        if recording {
            turn = turn.recorded();
        }
        match turn.handle(input) {
            Ok(()) => {
                turn.session.turns = turn.session.turns.saturating_add(1);
                if turn.session.bot != self.program.fingerprint {
                    turn.session.bot = self.program.fingerprint.clone();
                }
                let mut events = std::mem::take(&mut turn.events);
                turn.session.offered = offered_payloads(&events);
                crate::runtime::migrate::anchor(&self.program, &mut turn.session);
                events.push(turn.turn_end());
                *session = turn.session;
                TurnOutcome {
                    events,
                    trace: turn.trace,
                    covered: turn.covered,
                    records: turn.records,
                }
            }
            Err(e) => {
                let code = if e.code == "no_route" {
                    "runtime".to_string()
                } else {
                    e.code
                };
                let untouched = Turn::new(&self.program, session.clone(), now);
                TurnOutcome {
                    events: vec![
                        Event::Error {
                            code,
                            message: e.message,
                        },
                        untouched.turn_end(),
                    ],
                    trace: turn.trace,
                    covered: Vec::new(),
                    records: Vec::new(),
                }
            }
        }
    }

    /// Runs a turn and performs the actions it requests with `actions`,
    /// feeding their results back, until the bot waits for the citizen or
    /// for an action no handler performs. One `turn_end`, at the end.
    pub fn turn_with(
        &self,
        session: &mut Session,
        input: Input,
        now: NaiveDateTime,
        actions: &Actions,
    ) -> Vec<Event> {
        let mut all = Vec::new();
        let mut next = Some(input);
        let mut rounds = 0;
        while let Some(input) = next.take() {
            let mut events = self.turn(session, input, now);
            let end = events.pop();
            let request = events.iter().rev().find_map(|e| match e {
                Event::Action { id, name, args } => Some((id.clone(), name.clone(), args.clone())),
                _ => None,
            });
            all.extend(events);
            rounds += 1;
            if let Some((id, name, args)) = request {
                if rounds < 16 {
                    if let Some(handler) = actions.handlers.get(&name) {
                        next = match handler(&args) {
                            ActionOutcome::Done(value) => Some(Input::ActionResult(ActionResult {
                                id,
                                ok: true,
                                value: Some(value),
                                error: None,
                            })),
                            ActionOutcome::Failed(error) => {
                                Some(Input::ActionResult(ActionResult {
                                    id,
                                    ok: false,
                                    value: None,
                                    error: Some(error),
                                }))
                            }
                            ActionOutcome::Later => None,
                        };
                    }
                }
            }
            if next.is_none() {
                all.extend(end);
            }
        }
        // The citizen sees the buttons of every round.
        session.offered = offered_payloads(&all);
        all
    }

    /// Reads a saved session. It is validated against this bot, never
    /// trusted: its flows, positions, form states, pending actions and slot
    /// values must fit (a session edited by hand cannot confirm an
    /// incomplete form). One saved with another version of the bot is
    /// carried over (see [`crate::runtime::migrate`]): answers whose slot
    /// still exists with the same type are kept, a conversation whose step
    /// is gone goes back to its form, and the next turn tells the citizen
    /// (`Session::changed`, `turn_end.bot_changed`). A session that cannot
    /// go on safely starts over (`restarted`), keeping its language; a
    /// format-1 session from another version of the bot, which has no
    /// anchors to find its place with, starts over too.
    pub fn restore(&self, json: &str) -> Result<Restored, RestoreError> {
        let session: Session = serde_json::from_str(json)
            .map_err(|e| RestoreError(format!("the saved session is not readable: {e}")))?;
        if session.format > SESSION_FORMAT {
            return Err(RestoreError(format!(
                "the saved session has format {}, this guichet reads formats 1 to {SESSION_FORMAT}",
                session.format
            )));
        }
        let carried = crate::runtime::migrate::carry_over(&self.program, session);
        Ok(Restored {
            session: carried.session,
            restarted: carried.restarted,
        })
    }

    /// What deploying this bot over `old` does to the conversations open
    /// with `old`: each change that moves or restarts them, or asks
    /// citizens again (see [`crate::compat`]).
    pub fn compatibility(&self, old: &Bot) -> Vec<crate::compat::Change> {
        crate::compat::changes(old, self)
    }
}

/// What an action handler answers.
pub enum ActionOutcome {
    /// Done, with the result value (an object whose fields the flow reads).
    Done(Json),
    Failed(String),
    /// The host will answer later with an `action_result` input.
    Later,
}

type Handler = Box<dyn Fn(&Map<String, Json>) -> ActionOutcome + Send + Sync>;

/// How the host performs actions, by name.
#[derive(Default)]
pub struct Actions {
    handlers: HashMap<String, Handler>,
}

impl Actions {
    pub fn new() -> Actions {
        Actions::default()
    }

    pub fn on(
        mut self,
        name: &str,
        handler: impl Fn(&Map<String, Json>) -> ActionOutcome + Send + Sync + 'static,
    ) -> Actions {
        self.handlers.insert(name.to_string(), Box::new(handler));
        self
    }
}
