//! Conversation transcripts against the sample commune's bot (`flows/`).
//!
//! A transcript is a plain-text file in `tests/transcripts/`:
//!
//! ```text
//! # a comment
//! @now 2025-04-14T10:00:00+02:00   the clock for what follows
//! @lang fr                         start a new conversation in this language (or `@lang auto`)
//! > Je voudrais inscrire mon fils  the citizen types
//! + yes                            the citizen presses the button with this payload
//! < prénom                         one of the bot's messages contains this (case and accents folded)
//! ? slot child_first_name          what the bot expects: `slot NAME`, `confirmation`, `action`, `nothing`
//! = child_birth_date 2024-05-03    a slot's value in turn_end
//! ! create_request kind=creche_enrolment start_date=2025-09-01   an action requested, with some arguments
//! ok {"reference": "CR-1"}         the host answers the pending action
//! fail service unavailable         the host reports a failure
//! handoff too_many_attempts        a hand-over with this reason happened
//! lang nl                          the session's language after the turn
//! button Oui                       one of the buttons has this label
//! ```
//!
//! Every transcript runs twice: once with a live session, once saving the
//! session to JSON and restoring it before every input. Both runs must pass
//! and produce the same events.

use chrono::NaiveDateTime;
use guichet::runtime::{ActionResult, Expecting};
use guichet::understand::normalize::fold;
use guichet::{Bot, Event, Input, Lang, Session};
use std::path::Path;

struct Runner<'b> {
    bot: &'b Bot,
    file: String,
    restore_every_turn: bool,
    session: Session,
    now: NaiveDateTime,
    last: Vec<Event>,
    pending: Option<String>,
    log: Vec<Event>,
}

impl Runner<'_> {
    fn fail(&self, line: usize, message: String) -> ! {
        let said: Vec<String> = self
            .last
            .iter()
            .map(|e| serde_json::to_string(e).unwrap_or_default())
            .collect();
        panic!(
            "{}:{line}: {message}\n  last turn{}:\n    {}",
            self.file,
            if self.restore_every_turn {
                " (restored from JSON before it)"
            } else {
                ""
            },
            said.join("\n    ")
        );
    }

    fn send(&mut self, input: Input) {
        if self.restore_every_turn {
            let json = serde_json::to_string(&self.session).expect("sessions serialise");
            self.session = self.bot.restore(&json).expect("sessions restore").session;
        }
        self.last = self.bot.turn(&mut self.session, input, self.now);
        self.pending = self.last.iter().find_map(|e| match e {
            Event::Action { id, .. } => Some(id.clone()),
            _ => None,
        });
        self.log.extend(self.last.iter().cloned());
    }

    fn turn_end(
        &self,
    ) -> Option<(
        &Lang,
        &Option<Expecting>,
        &serde_json::Map<String, serde_json::Value>,
    )> {
        self.last.iter().rev().find_map(|e| match e {
            Event::TurnEnd {
                lang,
                expecting,
                slots,
                ..
            } => Some((lang, expecting, slots)),
            _ => None,
        })
    }

    fn step(&mut self, n: usize, line: &str) {
        let (head, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim();
        match head {
            "@now" => {
                self.now = guichet_now(rest).unwrap_or_else(|e| self.fail(n, e));
            }
            "@lang" => {
                let lang = if rest == "auto" {
                    None
                } else {
                    rest.parse().ok()
                };
                self.session = self.bot.new_session(lang, 0);
                self.last.clear();
            }
            ">" => self.send(Input::text(rest)),
            "+" => self.send(Input::Button(rest.to_string())),
            "ok" | "fail" => {
                let Some(id) = self.pending.clone() else {
                    self.fail(n, "no action is pending".into())
                };
                let result = if head == "ok" {
                    let value = serde_json::from_str(if rest.is_empty() { "{}" } else { rest })
                        .unwrap_or_else(|e| self.fail(n, format!("bad JSON: {e}")));
                    ActionResult {
                        id,
                        ok: true,
                        value: Some(value),
                        error: None,
                    }
                } else {
                    ActionResult {
                        id,
                        ok: false,
                        value: None,
                        error: Some(rest.to_string()),
                    }
                };
                self.send(Input::ActionResult(result));
            }
            "<" => {
                let want = fold(rest);
                let found = self
                    .last
                    .iter()
                    .any(|e| matches!(e, Event::Say { text, .. } if fold(text).contains(&want)));
                if !found {
                    self.fail(n, format!("no message contains {rest:?}"));
                }
            }
            "button" => {
                let found = self.last.iter().any(|e| matches!(e, Event::Say { buttons, .. } if buttons.iter().any(|b| b.label == rest)));
                if !found {
                    self.fail(n, format!("no button labelled {rest:?}"));
                }
            }
            "?" => {
                let Some((_, expecting, _)) = self.turn_end() else {
                    self.fail(n, "no turn_end".into())
                };
                let ok = match (rest.split_once(' '), expecting) {
                    (Some(("slot", name)), Some(Expecting::Slot { name: got, .. })) => got == name,
                    (None, Some(Expecting::Confirmation)) => rest == "confirmation",
                    (None, Some(Expecting::ActionResult { .. })) => rest == "action",
                    (None, None) => rest == "nothing",
                    _ => false,
                };
                if !ok {
                    self.fail(
                        n,
                        format!("expected `{rest}`, the bot expects {expecting:?}"),
                    );
                }
            }
            "=" => {
                let (name, want) = rest.split_once(' ').unwrap_or((rest, ""));
                let Some((_, _, slots)) = self.turn_end() else {
                    self.fail(n, "no turn_end".into())
                };
                let got = slots.get(name).map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                });
                if got.as_deref() != Some(want) {
                    self.fail(n, format!("slot {name} is {got:?}, expected {want:?}"));
                }
            }
            "!" => {
                let mut words = rest.split_whitespace();
                let name = words.next().unwrap_or("");
                let Some(args) = self.last.iter().find_map(|e| match e {
                    Event::Action {
                        name: got, args, ..
                    } if got == name => Some(args.clone()),
                    _ => None,
                }) else {
                    self.fail(n, format!("no action {name} was requested"))
                };
                for pair in words {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    let got = args.get(k).map(|v| {
                        v.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| v.to_string())
                    });
                    if got.as_deref() != Some(v) {
                        self.fail(n, format!("argument {k} is {got:?}, expected {v:?}"));
                    }
                }
            }
            "handoff" => {
                let found = self
                    .last
                    .iter()
                    .any(|e| matches!(e, Event::Handoff { reason, .. } if reason == rest));
                if !found {
                    self.fail(n, format!("no hand-over with reason {rest:?}"));
                }
            }
            "lang" => {
                let Some((lang, _, _)) = self.turn_end() else {
                    self.fail(n, "no turn_end".into())
                };
                if lang.code() != rest {
                    self.fail(n, format!("the language is {lang}, expected {rest}"));
                }
            }
            "error" => {
                let found = self
                    .last
                    .iter()
                    .any(|e| matches!(e, Event::Error { code, .. } if code == rest));
                if !found {
                    self.fail(n, format!("no error event with code {rest:?}"));
                }
            }
            _ => self.fail(n, format!("unknown transcript line `{head}`")),
        }
    }
}

fn guichet_now(s: &str) -> Result<NaiveDateTime, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.naive_local())
        .map_err(|e| format!("bad @now {s:?}: {e}"))
}

fn run(bot: &Bot, path: &Path, restore_every_turn: bool) -> Vec<Event> {
    let text = std::fs::read_to_string(path).expect("readable transcript");
    let mut runner = Runner {
        bot,
        file: path.display().to_string(),
        restore_every_turn,
        session: bot.new_session(None, 0),
        now: guichet_now("2025-04-14T10:00:00+02:00").expect("a valid default clock"),
        last: vec![],
        pending: None,
        log: vec![],
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        runner.step(i + 1, line);
    }
    runner.log
}

#[test]
fn transcripts_of_the_sample_commune() {
    let bot = Bot::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/flows"))
        .unwrap_or_else(|e| panic!("{e}"));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/transcripts exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "there are transcripts");
    for path in paths {
        let live = run(&bot, &path, false);
        let restored = run(&bot, &path, true);
        assert_eq!(
            live,
            restored,
            "{}: restoring the session at every turn changed the conversation",
            path.display()
        );
    }
}
