//! Conversation tests: plain-text files that say what the citizen types
//! and what the bot must answer, run against a bot. `guichet test` and the
//! crate's own tests use them.
//!
//! ```text
//! # a comment
//! @now 2025-04-14T10:00:00+02:00   the clock (the default; before the first @test: for every test)
//! @test crèche, happy path         a new test, with a fresh conversation
//! @lang fr                         a new conversation in this language (or `@lang auto`)
//! start                            a new visitor opens the chat (the bot greets)
//! > Je voudrais inscrire mon fils  the citizen types
//! + yes                            the citizen presses the button with this payload
//! < prénom                         one of the bot's messages contains this (case and accents folded)
//! ? slot child_first_name          what the bot expects: `slot NAME`, `confirmation`, `action`, `nothing`
//! = child_birth_date 2024-05-03    a slot's value in turn_end
//! ! create_request kind=creche_enrolment start_date=2025-09-01   an action requested, with some arguments
//! ok {"reference": "CR-1"}         the host answers the action of the last turn
//! fail service unavailable         the host reports a failure
//! handoff too_many_attempts        a hand-over with this reason happened
//! lang nl                          the session's language after the turn
//! button Oui                       one of the buttons has this label
//! error unknown_action             an error event with this code
//! ```
//!
//! Each test runs twice: once with a live session, once saving the session
//! to JSON and restoring it before every input. Both must pass and give the
//! same events, so a test also proves the conversation survives a restart
//! at any point.

use crate::compile::Coverable;
use crate::diagnostics::Span;
use crate::runtime::{ActionResult, Event, Expecting, Input, Session};
use crate::understand::normalize::fold;
use crate::values::Lang;
use crate::Bot;
use chrono::NaiveDateTime;

/// One test of a file: its name, where it starts, and its lines.
#[derive(Debug, Clone)]
pub struct TestCase {
    pub name: String,
    pub line: usize,
    steps: Vec<(usize, String)>,
}

/// Why a test failed: the line of the failing step and what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub line: usize,
    pub message: String,
    /// The bot's last turn, to compare with what was expected.
    pub last_turn: Vec<Event>,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub name: String,
    pub line: usize,
    pub failure: Option<Failure>,
    /// The places of the bot the test exercised, for coverage.
    pub covered: Vec<Span>,
}

const DIRECTIVES: &[&str] = &[
    "@now", "@lang", "start", ">", "+", "ok", "fail", "<", "button", "?", "=", "!", "handoff",
    "lang", "error",
];

/// Splits a test file into its tests. Lines before the first `@test` that
/// only set the clock or the language apply to every test; other steps
/// there form a test named `default_name`. An unknown line is an error
/// with its line number.
pub fn parse(text: &str, default_name: &str) -> Result<Vec<TestCase>, Failure> {
    let mut header: Vec<(usize, String)> = Vec::new();
    let mut tests: Vec<TestCase> = Vec::new();
    let mut loose: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let head = line.split_whitespace().next().unwrap_or("");
        if head == "@test" {
            let name = line.trim_start_matches("@test").trim();
            tests.push(TestCase {
                name: if name.is_empty() {
                    format!("test at line {n}")
                } else {
                    name.to_string()
                },
                line: n,
                steps: header.clone(),
            });
            continue;
        }
        if !DIRECTIVES.contains(&head) {
            return Err(Failure {
                line: n,
                message: format!(
                    "`{head}` is not a test step; a line starts with one of: @test, {}",
                    DIRECTIVES.join(", ")
                ),
                last_turn: vec![],
            });
        }
        match tests.last_mut() {
            Some(t) => t.steps.push((n, line.to_string())),
            None if loose.is_empty() && (head == "@now" || head == "@lang") => {
                header.push((n, line.to_string()))
            }
            None => loose.push((n, line.to_string())),
        }
    }
    if !loose.is_empty() {
        let first = loose.first().map_or(1, |(n, _)| *n);
        let mut steps = header;
        steps.extend(loose);
        tests.insert(
            0,
            TestCase {
                name: default_name.to_string(),
                line: first,
                steps,
            },
        );
    }
    Ok(tests)
}

/// Runs one test, live and with the session restored before every input.
pub fn run(bot: &Bot, test: &TestCase) -> Outcome {
    let mut covered = Vec::new();
    let live = Runner::new(bot, false).run(test, &mut covered);
    let failure = match live {
        Err(f) => Some(f),
        Ok(live_events) => match Runner::new(bot, true).run(test, &mut Vec::new()) {
            Err(mut f) => {
                f.message = format!(
                    "{} (with the session restored from JSON before each input)",
                    f.message
                );
                Some(f)
            }
            Ok(restored) if restored != live_events => Some(Failure {
                line: test.line,
                message:
                    "restoring the session from JSON before each input changed the conversation"
                        .into(),
                last_turn: vec![],
            }),
            Ok(_) => None,
        },
    };
    covered.sort_by_key(|s| (s.source, s.start, s.end));
    covered.dedup();
    Outcome {
        name: test.name.clone(),
        line: test.line,
        failure,
        covered,
    }
}

/// The language, what the bot expects, and the slots, of a `turn_end`.
type TurnEnd<'a> = (
    &'a Lang,
    &'a Option<Expecting>,
    &'a serde_json::Map<String, serde_json::Value>,
);

struct Runner<'b> {
    bot: &'b Bot,
    restore_every_turn: bool,
    session: Session,
    now: NaiveDateTime,
    last: Vec<Event>,
    pending: Option<String>,
    log: Vec<Event>,
}

fn parse_now(s: &str) -> Result<NaiveDateTime, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|d| d.naive_local())
        .map_err(|e| format!("`{s}` is not a date and time like 2025-04-14T10:00:00+02:00: {e}"))
}

fn shown(v: &serde_json::Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

impl<'b> Runner<'b> {
    fn new(bot: &'b Bot, restore_every_turn: bool) -> Runner<'b> {
        Runner {
            bot,
            restore_every_turn,
            session: bot.new_session(None, 0),
            now: chrono::NaiveDate::from_ymd_opt(2025, 4, 14)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .unwrap_or_default(),
            last: vec![],
            pending: None,
            log: vec![],
        }
    }

    fn run(mut self, test: &TestCase, covered: &mut Vec<Span>) -> Result<Vec<Event>, Failure> {
        for (n, line) in &test.steps {
            self.step(line, covered).map_err(|message| Failure {
                line: *n,
                message,
                last_turn: self.last.clone(),
            })?;
        }
        Ok(self.log)
    }

    fn send(&mut self, input: Input, covered: &mut Vec<Span>) -> Result<(), String> {
        if self.restore_every_turn {
            let json = serde_json::to_string(&self.session).map_err(|e| e.to_string())?;
            self.session = self.bot.restore(&json).map_err(|e| e.to_string())?.session;
        }
        let outcome = self.bot.turn_traced(&mut self.session, input, self.now);
        covered.extend(outcome.covered);
        self.last = outcome.events;
        // `ok` and `fail` answer the action of the last turn.
        self.pending = self.last.iter().find_map(|e| match e {
            Event::Action { id, .. } => Some(id.clone()),
            _ => None,
        });
        self.log.extend(self.last.iter().cloned());
        Ok(())
    }

    fn turn_end(&self) -> Result<TurnEnd<'_>, String> {
        self.last
            .iter()
            .rev()
            .find_map(|e| match e {
                Event::TurnEnd {
                    lang,
                    expecting,
                    slots,
                    ..
                } => Some((lang, expecting, slots)),
                _ => None,
            })
            .ok_or_else(|| "nothing was said to the bot yet".to_string())
    }

    fn step(&mut self, line: &str, covered: &mut Vec<Span>) -> Result<(), String> {
        let (head, rest) = line.split_once(' ').unwrap_or((line, ""));
        let rest = rest.trim();
        match head {
            "@now" => self.now = parse_now(rest)?,
            "@lang" => {
                let lang = match rest {
                    "auto" => None,
                    code => Some(code.parse::<Lang>()?),
                };
                self.session = self.bot.new_session(lang, 0);
                self.last.clear();
            }
            "start" => self.send(Input::Start, covered)?,
            ">" => self.send(Input::text(rest), covered)?,
            "+" => self.send(Input::Button(rest.to_string()), covered)?,
            "ok" | "fail" => {
                let id = self.pending.clone().ok_or("no action was requested")?;
                let result = if head == "ok" {
                    let value = serde_json::from_str(if rest.is_empty() { "{}" } else { rest })
                        .map_err(|e| format!("the action's result is not JSON: {e}"))?;
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
                self.send(Input::ActionResult(result), covered)?;
            }
            "<" => {
                let want = fold(rest);
                let found = self
                    .last
                    .iter()
                    .any(|e| matches!(e, Event::Say { text, .. } if fold(text).contains(&want)));
                if !found {
                    return Err(format!("no message of the bot contains {rest:?}"));
                }
            }
            "button" => {
                let found = self.last.iter().any(
                    |e| matches!(e, Event::Say { buttons, .. } if buttons.iter().any(|b| b.label == rest)),
                );
                if !found {
                    return Err(format!("no button is labelled {rest:?}"));
                }
            }
            "?" => {
                let (_, expecting, _) = self.turn_end()?;
                let ok = match (rest.split_once(' '), expecting) {
                    (Some(("slot", name)), Some(Expecting::Slot { name: got, .. })) => got == name,
                    (None, Some(Expecting::Confirmation)) => rest == "confirmation",
                    (None, Some(Expecting::ActionResult { .. })) => rest == "action",
                    (None, None) => rest == "nothing",
                    _ => false,
                };
                if !ok {
                    let got = match expecting {
                        Some(Expecting::Slot { name, .. }) => format!("slot {name}"),
                        Some(Expecting::Confirmation) => "confirmation".into(),
                        Some(Expecting::ActionResult { .. }) => "action".into(),
                        None => "nothing".into(),
                    };
                    return Err(format!("expected `{rest}`, but the bot expects `{got}`"));
                }
            }
            "=" => {
                let (name, want) = rest.split_once(' ').unwrap_or((rest, ""));
                let (_, _, slots) = self.turn_end()?;
                let got = slots.get(name).map(shown);
                if got.as_deref() != Some(want) {
                    return Err(match got {
                        Some(g) => format!("slot {name} is {g:?}, expected {want:?}"),
                        None => format!("slot {name} has no value, expected {want:?}"),
                    });
                }
            }
            "!" => {
                let mut words = rest.split_whitespace();
                let name = words.next().unwrap_or("");
                let args = self
                    .last
                    .iter()
                    .find_map(|e| match e {
                        Event::Action {
                            name: got, args, ..
                        } if got == name => Some(args.clone()),
                        _ => None,
                    })
                    .ok_or_else(|| format!("the bot did not request the action {name}"))?;
                for pair in words {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    let got = args.get(k).map(shown);
                    if got.as_deref() != Some(v) {
                        return Err(format!("argument {k} of {name} is {got:?}, expected {v:?}"));
                    }
                }
            }
            "handoff" => {
                let found = self
                    .last
                    .iter()
                    .any(|e| matches!(e, Event::Handoff { reason, .. } if reason == rest));
                if !found {
                    return Err(format!("no hand-over with the reason {rest:?}"));
                }
            }
            "lang" => {
                let (lang, _, _) = self.turn_end()?;
                if lang.code() != rest {
                    return Err(format!("the language is {lang}, expected {rest}"));
                }
            }
            "error" => {
                let found = self
                    .last
                    .iter()
                    .any(|e| matches!(e, Event::Error { code, .. } if code == rest));
                if !found {
                    return Err(format!("no error event with the code {rest:?}"));
                }
            }
            other => return Err(format!("`{other}` is not a test step")),
        }
        Ok(())
    }
}

/// Coverage of one flow: per kind, how many places exist and how many the
/// tests exercised, and the places they did not.
#[derive(Debug, Clone)]
pub struct FlowCoverage {
    pub flow: String,
    pub counts: Vec<(Coverable, usize, usize)>,
    pub uncovered: Vec<(Coverable, Span)>,
}

/// Coverage of the bot's own flows (the stdlib's are left out) by the
/// places tests exercised.
pub fn coverage(bot: &Bot, covered: &[Span]) -> Vec<FlowCoverage> {
    let program = bot.program();
    let seen: std::collections::HashSet<&Span> = covered.iter().collect();
    let mut out: Vec<FlowCoverage> = Vec::new();
    for (flow_id, kind, span) in program.coverables() {
        let Some(flow) = program.flows.get(flow_id) else {
            continue;
        };
        if flow.stdlib {
            continue;
        }
        let at = match out.iter().position(|f| f.flow == flow.name) {
            Some(i) => i,
            None => {
                out.push(FlowCoverage {
                    flow: flow.name.clone(),
                    counts: Vec::new(),
                    uncovered: Vec::new(),
                });
                out.len() - 1
            }
        };
        let entry = &mut out[at];
        let hit = seen.contains(&span);
        match entry.counts.iter_mut().find(|(k, _, _)| *k == kind) {
            Some((_, total, done)) => {
                *total += 1;
                *done += usize::from(hit);
            }
            None => entry.counts.push((kind, 1, usize::from(hit))),
        }
        if !hit {
            entry.uncovered.push((kind, span));
        }
    }
    for f in &mut out {
        f.counts.sort();
        f.uncovered.sort_by_key(|(_, s)| (s.source, s.start));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOT: &str = "bot \"T\"\n languages en\nend\nflow hello\n triggers en: \"hello there\"\n say en: \"Hi!\"\nend\n";

    #[test]
    fn a_file_holds_several_tests_sharing_its_header() {
        let text = "@now 2025-04-14T10:00:00+02:00\n@test one\n> hello there\n< hi\n@test two\n> hello there\n? nothing\n";
        let tests = parse(text, "file").unwrap();
        assert_eq!(
            tests.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["one", "two"]
        );
        let bot = Bot::from_sources(&[("b.flow", BOT)]).unwrap();
        assert!(tests.iter().all(|t| run(&bot, t).failure.is_none()));
    }

    #[test]
    fn a_failing_step_names_its_line_and_an_unknown_step_is_refused() {
        let bot = Bot::from_sources(&[("b.flow", BOT)]).unwrap();
        let tests = parse("> hello there\n< goodbye\n", "file").unwrap();
        let failure = run(&bot, &tests[0]).failure.expect("the test fails");
        assert_eq!(failure.line, 2);
        assert!(failure.message.contains("goodbye"));
        assert_eq!(parse("> hi\nsay hello\n", "f").unwrap_err().line, 2);
    }

    #[test]
    fn coverage_counts_what_the_tests_reached_and_lists_the_rest() {
        let bot = Bot::from_sources(&[(
            "b.flow",
            "bot \"T\"\n languages en\nend\nflow ask\n triggers en: \"ask me\", \"question please\"\n form\n  slot n: number\n   ask en: \"A number?\"\n   reprompt en: \"Digits, please.\"\n end\n say en: \"Thanks.\"\nend\n",
        )])
        .unwrap();
        let tests = parse("> ask me\n< A number\n> 12\n< Thanks\n", "t").unwrap();
        let outcome = run(&bot, &tests[0]);
        assert!(outcome.failure.is_none(), "{:?}", outcome.failure);
        let flows = coverage(&bot, &outcome.covered);
        let ask = flows
            .iter()
            .find(|f| f.flow == "ask")
            .expect("the bot's flow is reported");
        let count = |k: Coverable| {
            ask.counts
                .iter()
                .find(|(kind, _, _)| *kind == k)
                .map(|(_, t, d)| (*t, *d))
        };
        assert_eq!(count(Coverable::Step), Some((2, 2)));
        assert_eq!(count(Coverable::Prompt), Some((1, 1)));
        assert_eq!(count(Coverable::Reprompt), Some((1, 0)));
        assert_eq!(count(Coverable::Trigger), Some((2, 1)));
        assert_eq!(ask.uncovered.len(), 2);
    }
}
