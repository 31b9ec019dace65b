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
//! not < je n'ai pas compris         `not` before `<`, `button` or `handoff`: nothing of the kind happened
//! ```
//!
//! A test runs in several languages from one file when a `@lang` line
//! lists them: one run per language, each reported as its own outcome
//! (`crèche happy path [nl]`), each a fresh conversation in its language.
//! A line that starts with a language code is read only in that
//! language's run; a line without one is read in every run:
//!
//! ```text
//! @test crèche happy path
//! @lang fr nl en
//! fr> Je voudrais inscrire mon fils à la crèche
//! nl> Ik wil mijn zoon inschrijven in de kinderopvang
//! en> I would like to enrol my son in daycare
//! en< first name
//! ? slot child_first_name
//! fr button Oui, envoyer
//! ```
//!
//! A `@lang` line before the first `@test` applies to every test of the
//! file; a test's own `@lang` replaces it. Inside a test run in several
//! languages, another `@lang` line with the same languages starts a new
//! conversation in the run's language. A prefix the bot does not speak, a
//! line for a language the test never talks, and an unknown code are
//! errors with their line and a hint.
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
    /// The languages the test runs in, one run each, when a `@lang` line
    /// lists several; empty for a test that runs once.
    pub langs: Vec<Lang>,
    steps: Vec<Step>,
}

/// A line of a test: where it is, the one language it is for (a `fr>`
/// line), and the step without that prefix.
#[derive(Debug, Clone)]
struct Step {
    line: usize,
    only: Option<Lang>,
    text: String,
}

/// Why a test failed: the line of the failing step and what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub line: usize,
    pub message: String,
    /// How to fix a malformed test file.
    pub help: Option<String>,
    /// The bot's last turn, to compare with what was expected.
    pub last_turn: Vec<Event>,
}

impl Failure {
    fn malformed(line: usize, message: String, help: impl Into<String>) -> Failure {
        Failure {
            line,
            message,
            help: Some(help.into()),
            last_turn: vec![],
        }
    }
}

#[derive(Debug, Clone)]
pub struct Outcome {
    /// The test's name, with the language of the run for a test run in
    /// several (`crèche happy path [nl]`).
    pub name: String,
    pub line: usize,
    pub failure: Option<Failure>,
    /// The places of the bot the test exercised, for coverage.
    pub covered: Vec<Span>,
}

const DIRECTIVES: &[&str] = &[
    "@now", "@lang", "start", ">", "+", "ok", "fail", "<", "button", "?", "=", "!", "handoff",
    "lang", "error", "not",
];

/// Steps that cannot be for one language only: they set up the test.
const SETUP: &[&str] = &["@now", "@lang"];

const PREFIX_HELP: &str = "a line for one language starts with its code: `fr> Bonjour`, `nl< Welkom`, `en button Yes`; a line without a code is for every language";

fn not_a_step(n: usize, head: &str) -> Failure {
    Failure::malformed(
        n,
        format!("`{head}` is not a test step"),
        format!(
            "a line starts with one of: @test, {}; {PREFIX_HELP}",
            DIRECTIVES.join(", ")
        ),
    )
}

/// Reads a line's language prefix: `fr> text` and `fr button Oui` are for
/// French only. Returns the language and the step that follows it.
fn split_prefix(n: usize, line: &str) -> Result<(Option<Lang>, String), Failure> {
    let head = line.split_whitespace().next().unwrap_or("");
    if DIRECTIVES.contains(&head) {
        return Ok((None, line.to_string()));
    }
    let code_len = head
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(head.len());
    let (code, after) = line.split_at(code_len);
    let step = after.trim_start();
    let step_head = step.split_whitespace().next().unwrap_or("");
    if code.is_empty() || !DIRECTIVES.contains(&step_head) {
        let known = !code.is_empty() && code.parse::<Lang>().is_ok() && !step_head.is_empty();
        return Err(not_a_step(n, if known { step_head } else { head }));
    }
    let lang = code.parse::<Lang>().map_err(|_| {
        Failure::malformed(
            n,
            format!("`{code}` is not a language prefix"),
            format!("guichet speaks fr, nl and en; {PREFIX_HELP}"),
        )
    })?;
    if SETUP.contains(&step_head) {
        return Err(Failure::malformed(
            n,
            format!("`{step_head}` cannot be for one language only"),
            "write it without the language code: it applies to every run of the test",
        ));
    }
    Ok((Some(lang), step.to_string()))
}

/// The languages of a `@lang` line; none for `@lang auto`.
fn lang_codes(n: usize, rest: &str) -> Result<Vec<Lang>, Failure> {
    let codes: Vec<&str> = rest.split_whitespace().collect();
    if codes == ["auto"] {
        return Ok(vec![]);
    }
    if codes.is_empty() {
        return Err(Failure::malformed(
            n,
            "`@lang` needs a language".into(),
            "write `@lang fr`, `@lang auto`, or `@lang fr nl en` to run the test in each",
        ));
    }
    let mut langs = Vec::new();
    for code in codes {
        let lang = code.parse::<Lang>().map_err(|e| {
            Failure::malformed(
                n,
                e,
                "write `@lang fr`, `@lang auto`, or `@lang fr nl en` to run the test in each",
            )
        })?;
        if langs.contains(&lang) {
            return Err(Failure::malformed(
                n,
                format!("{lang} is listed twice"),
                "list each language once",
            ));
        }
        langs.push(lang);
    }
    Ok(langs)
}

/// Works out the languages a test runs in and refuses lines that no run
/// would ever read: a `nl>` line in a test that never talks Dutch.
fn finish(mut test: TestCase) -> Result<TestCase, Failure> {
    let mut spoken: Vec<Lang> = Vec::new();
    let mut several: Option<(usize, Vec<Lang>)> = None;
    for step in &test.steps {
        let Some(rest) = step.text.strip_prefix("@lang") else {
            continue;
        };
        let langs = lang_codes(step.line, rest)?;
        if langs.len() > 1 {
            match &several {
                Some((first, seen)) if {
                    let (mut a, mut b) = (seen.clone(), langs.clone());
                    a.sort();
                    b.sort();
                    a != b
                } =>
                {
                    return Err(Failure::malformed(
                        step.line,
                        "this `@lang` lists other languages than the test's".into(),
                        format!(
                            "the test runs in the languages of line {first}; list the same ones to start a new conversation"
                        ),
                    ))
                }
                Some(_) => {}
                None => several = Some((step.line, langs.clone())),
            }
        }
        for l in langs {
            if !spoken.contains(&l) {
                spoken.push(l);
            }
        }
    }
    for step in &test.steps {
        if let Some(lang) = step.only {
            if !spoken.contains(&lang) {
                return Err(Failure::malformed(
                    step.line,
                    format!("this line is for {lang}, but the test never talks {lang}"),
                    format!("add {lang} to the test's `@lang` line, or remove the line"),
                ));
            }
        }
    }
    test.langs = several.map(|(_, l)| l).unwrap_or_default();
    Ok(test)
}

/// Splits a test file into its tests. Lines before the first `@test` that
/// only set the clock or the language apply to every test (a test's own
/// `@lang` replaces the file's); other steps there form a test named
/// `default_name`. A malformed line is an error with its line number.
pub fn parse(text: &str, default_name: &str) -> Result<Vec<TestCase>, Failure> {
    let mut header: Vec<Step> = Vec::new();
    let mut tests: Vec<TestCase> = Vec::new();
    let mut loose: Vec<Step> = Vec::new();
    // How many lines of the last test are its own, not the header's.
    let mut own = 0;
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
                langs: vec![],
                steps: header.clone(),
            });
            own = 0;
            continue;
        }
        let (only, text) = split_prefix(n, line)?;
        let head = text.split_whitespace().next().unwrap_or("");
        if let Some(rest) = text.strip_prefix("@lang") {
            lang_codes(n, rest)?;
        }
        let step = Step {
            line: n,
            only,
            text: text.clone(),
        };
        match tests.last_mut() {
            Some(t) => {
                if own == 0 && head == "@lang" {
                    t.steps.retain(|s| !s.text.starts_with("@lang"));
                }
                t.steps.push(step);
                own += 1;
            }
            None if loose.is_empty() && SETUP.contains(&head) => header.push(step),
            None => loose.push(step),
        }
    }
    if !loose.is_empty() {
        let first = loose.first().map_or(1, |s| s.line);
        let mut steps = header;
        steps.extend(loose);
        tests.insert(
            0,
            TestCase {
                name: default_name.to_string(),
                line: first,
                langs: vec![],
                steps,
            },
        );
    }
    tests.into_iter().map(finish).collect()
}

/// Like [`parse`], and also refuses a language the bot does not speak.
pub fn parse_for(bot: &Bot, text: &str, default_name: &str) -> Result<Vec<TestCase>, Failure> {
    let tests = parse(text, default_name)?;
    let speaks = bot.languages();
    for test in &tests {
        for step in &test.steps {
            let mut langs: Vec<Lang> = step.only.into_iter().collect();
            if let Some(rest) = step.text.strip_prefix("@lang") {
                langs.extend(lang_codes(step.line, rest)?);
            }
            if let Some(lang) = langs.into_iter().find(|l| !speaks.contains(l)) {
                let names: Vec<&str> = speaks.iter().map(|l| l.code()).collect();
                return Err(Failure::malformed(
                    step.line,
                    format!(
                        "the bot does not speak {lang} (it speaks {})",
                        names.join(", ")
                    ),
                    format!("add {lang} to the bot's `languages`, or remove it from this line"),
                ));
            }
        }
    }
    Ok(tests)
}

/// Runs one test, live and with the session restored before every input:
/// once, or once per language for a test that lists several.
pub fn run(bot: &Bot, test: &TestCase) -> Vec<Outcome> {
    if test.langs.is_empty() {
        return vec![run_in(bot, test, None, test.name.clone())];
    }
    test.langs
        .iter()
        .map(|&lang| run_in(bot, test, Some(lang), format!("{} [{lang}]", test.name)))
        .collect()
}

fn run_in(bot: &Bot, test: &TestCase, lang: Option<Lang>, name: String) -> Outcome {
    let mut covered = Vec::new();
    let live = Runner::new(bot, false, lang).run(test, &mut covered);
    let failure = match live {
        Err(f) => Some(f),
        Ok(live_events) => match Runner::new(bot, true, lang).run(test, &mut Vec::new()) {
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
                help: None,
                last_turn: vec![],
            }),
            Ok(_) => None,
        },
    };
    covered.sort_by_key(|s| (s.source, s.start, s.end));
    covered.dedup();
    Outcome {
        name,
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
    /// The language of the run, for a test run in several.
    run_lang: Option<Lang>,
    /// The language the conversation was opened in: `fr>` lines are read
    /// only in a French conversation.
    conversation_lang: Option<Lang>,
    /// The session after each input, when kept (see [`snapshots`]).
    snapshots: Option<Vec<Snapshot>>,
}

/// A conversation of a test at one point: the session after an input, and
/// the events that input gave.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub session: Session,
    pub events: Vec<Event>,
}

/// The session after every input of a test (each language of a test run
/// in several), for tests that replay a conversation from any point of it,
/// such as restoring it into an edited bot. Steps after a failing one are
/// still sent.
pub fn snapshots(bot: &Bot, test: &TestCase) -> Vec<Snapshot> {
    let langs: Vec<Option<Lang>> = if test.langs.is_empty() {
        vec![None]
    } else {
        test.langs.iter().copied().map(Some).collect()
    };
    let mut out = Vec::new();
    for lang in langs {
        let mut runner = Runner::new(bot, false, lang);
        runner.snapshots = Some(Vec::new());
        for step in &test.steps {
            if step.only.is_some() && step.only != runner.conversation_lang {
                continue;
            }
            let _ = runner.step(&step.text, &mut Vec::new());
        }
        out.extend(runner.snapshots.take().unwrap_or_default());
    }
    out
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
    fn new(bot: &'b Bot, restore_every_turn: bool, run_lang: Option<Lang>) -> Runner<'b> {
        Runner {
            bot,
            restore_every_turn,
            session: bot.new_session(run_lang, 0),
            now: chrono::NaiveDate::from_ymd_opt(2025, 4, 14)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .unwrap_or_default(),
            last: vec![],
            pending: None,
            log: vec![],
            run_lang,
            conversation_lang: run_lang,
            snapshots: None,
        }
    }

    fn run(mut self, test: &TestCase, covered: &mut Vec<Span>) -> Result<Vec<Event>, Failure> {
        for step in &test.steps {
            if step.only.is_some() && step.only != self.conversation_lang {
                continue;
            }
            self.step(&step.text, covered).map_err(|message| Failure {
                line: step.line,
                message,
                help: None,
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
        if let Some(kept) = &mut self.snapshots {
            kept.push(Snapshot {
                session: self.session.clone(),
                events: self.last.clone(),
            });
        }
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
                let lang = match rest.split_whitespace().collect::<Vec<_>>()[..] {
                    ["auto"] => None,
                    [code] => Some(code.parse::<Lang>()?),
                    _ => self.run_lang,
                };
                self.conversation_lang = lang;
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
            "not" => {
                let inner = rest.split_whitespace().next().unwrap_or("");
                if !["<", "button", "handoff"].contains(&inner) {
                    return Err(format!(
                        "`not` goes before `<`, `button` or `handoff`, not {inner:?}"
                    ));
                }
                if self.step(rest, covered).is_ok() {
                    return Err(match inner {
                        "<" => format!("a message of the bot contains {:?}", step_arg(rest)),
                        "button" => format!("a button is labelled {:?}", step_arg(rest)),
                        _ => format!("a hand-over with the reason {:?} happened", step_arg(rest)),
                    });
                }
            }
            other => return Err(format!("`{other}` is not a test step")),
        }
        Ok(())
    }
}

/// What follows a step's first word.
fn step_arg(step: &str) -> &str {
    step.split_once(' ').map_or("", |(_, rest)| rest.trim())
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
        assert!(tests
            .iter()
            .all(|t| run(&bot, t).iter().all(|o| o.failure.is_none())));
    }

    #[test]
    fn a_failing_step_names_its_line_and_an_unknown_step_is_refused() {
        let bot = Bot::from_sources(&[("b.flow", BOT)]).unwrap();
        let tests = parse("> hello there\n< goodbye\n", "file").unwrap();
        let failure = run(&bot, &tests[0])
            .remove(0)
            .failure
            .expect("the test fails");
        assert_eq!(failure.line, 2);
        assert!(failure.message.contains("goodbye"));
        assert_eq!(parse("> hi\nsay hello\n", "f").unwrap_err().line, 2);
    }

    const BILINGUAL: &str = "bot \"T\"\n languages fr en\nend\nflow hello\n triggers\n  fr: \"bonjour là\"\n  en: \"hello there\"\n say\n  fr: \"Salut !\"\n  en: \"Hi!\"\nend\n";

    #[test]
    fn a_test_runs_once_per_language_reading_only_its_own_lines() {
        let bot = Bot::from_sources(&[("b.flow", BILINGUAL)]).unwrap();
        let text = "@test greeting\n@lang fr en\nfr> bonjour là\nen> hello there\nfr< salut\nen< hi\n? nothing\n";
        let tests = parse_for(&bot, text, "f").unwrap();
        let outcomes = run(&bot, &tests[0]);
        let names: Vec<&str> = outcomes.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["greeting [fr]", "greeting [en]"]);
        assert!(outcomes.iter().all(|o| o.failure.is_none()), "{outcomes:?}");

        // A line without a prefix is for every run: a French expectation
        // written without `fr` fails the English run.
        let text = "@lang fr en\nfr> bonjour là\nen> hello there\n< salut\n";
        let outcomes = run(&bot, &parse(text, "f").unwrap()[0]);
        assert!(outcomes[0].failure.is_none());
        assert_eq!(outcomes[1].failure.as_ref().map(|f| f.line), Some(4));
    }

    #[test]
    fn the_files_languages_apply_to_each_test_unless_it_names_its_own() {
        let text = "@lang fr nl en\n@test all\n> x\n@test french\n@lang fr\n> x\n";
        let tests = parse(text, "f").unwrap();
        assert_eq!(tests[0].langs, [Lang::Fr, Lang::Nl, Lang::En]);
        assert!(tests[1].langs.is_empty());
        // A second `@lang` line in a test starts a new conversation in the
        // run's language.
        let bot = Bot::from_sources(&[("b.flow", BILINGUAL)]).unwrap();
        let text = "@lang fr en\n> x\n@lang fr en\nfr> bonjour là\nen> hello there\nlang fr\n";
        let outcomes = run(&bot, &parse(text, "f").unwrap()[0]);
        assert!(outcomes[0].failure.is_none(), "{outcomes:?}");
        assert_eq!(outcomes[1].failure.as_ref().map(|f| f.line), Some(6));
    }

    #[test]
    fn malformed_language_lines_are_refused_with_their_line_and_help() {
        let bot = Bot::from_sources(&[("b.flow", BILINGUAL)]).unwrap();
        let refused = |text: &str| {
            let f = parse_for(&bot, text, "f").expect_err(text);
            assert!(f.help.is_some(), "{text}: {f:?}");
            (f.line, f.message)
        };
        assert_eq!(refused("@lang fr en\nde> hallo\n").0, 2);
        assert!(refused("@lang fr en\nde> hallo\n").1.contains("`de`"));
        assert_eq!(refused("@lang fr en\n> a\nnl> hallo\n").0, 3);
        let (line, message) = refused("@lang fr nl\n> a\n");
        assert_eq!(line, 1);
        assert!(message.contains("does not speak nl"), "{message}");
        assert_eq!(refused("@lang fr\n> a\nen< hi\n").0, 3);
        assert_eq!(refused("@lang fr en\n> a\n@lang fr\n@lang en fr de\n").0, 4);
        assert_eq!(
            refused("@lang fr en\n> a\n@lang fr\n@lang en\n@lang fr fr\n").0,
            5
        );
        assert_eq!(
            refused("@lang fr en\nfr @now 2025-01-01T10:00:00+01:00\n").0,
            2
        );
        assert_eq!(refused("@lang fr en\nfr say bonjour\n").0, 2);
        assert_eq!(refused("@lang\n").0, 1);
        assert_eq!(refused("@lang fr en\n> a\n@lang fr nl\n").0, 3);
    }

    #[test]
    fn coverage_counts_what_the_tests_reached_and_lists_the_rest() {
        let bot = Bot::from_sources(&[(
            "b.flow",
            "bot \"T\"\n languages en\nend\nflow ask\n triggers en: \"ask me\", \"question please\"\n form\n  slot n: number\n   ask en: \"A number?\"\n   reprompt en: \"Digits, please.\"\n end\n say en: \"Thanks.\"\nend\n",
        )])
        .unwrap();
        let tests = parse("> ask me\n< A number\n> 12\n< Thanks\n", "t").unwrap();
        let outcome = run(&bot, &tests[0]).remove(0);
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
