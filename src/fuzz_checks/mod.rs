//! What the fuzz targets check, as plain functions: the cargo-fuzz targets
//! in `fuzz/fuzz_targets/` call them on libFuzzer's inputs (nightly), and
//! `tests/fuzz_corpus.rs` calls them on the committed seed corpus and
//! seeded mutations of it (stable, in every `cargo test`).
//!
//! Each check takes arbitrary bytes (read as lossy UTF-8) and returns the
//! first broken invariant as an error; a panic inside guichet is a failure
//! too. Not part of the embedding API.

pub mod edits;

use crate::bot::Bot;
use crate::load::SourceFile;
use crate::runtime::{ActionResult, Event, Input as TurnInput, Session, Turn};
use crate::syntax::ast::Item;
use crate::understand::extract::{
    self, ChoiceOption, ChoiceSpec, Context, DateOrder, DatePolicy, Extraction,
};
use crate::understand::normalize::Input;
use crate::understand::shape;
use crate::values::{checkdigits, Lang, PatternType, SlotType, Value};
use chrono::NaiveDateTime;
use std::collections::HashMap;
use std::sync::Mutex;

/// The clock every check runs with: Friday 14 March 2025, 10:00.
pub fn fixed_now() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2025, 3, 14)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default()
}

/// A choice like the sample bot's, for the `choice` slot type.
fn choice_spec() -> ChoiceSpec {
    let option = |key: &str, fr: &[&str], nl: &[&str], en: &[&str]| {
        ChoiceOption::new(
            key,
            [(Lang::Fr, fr), (Lang::Nl, nl), (Lang::En, en)]
                .iter()
                .flat_map(|(lang, phrases)| phrases.iter().map(|p| (*lang, p.to_string())))
                .collect(),
        )
    };
    ChoiceSpec {
        options: vec![
            option(
                "first",
                &["premier véhicule", "première", "1", "1re"],
                &["eerste voertuig", "eerste", "1", "1ste"],
                &["first vehicle", "first", "1", "1st"],
            ),
            option(
                "second",
                &["deuxième véhicule", "deuxième", "2", "2e"],
                &["tweede voertuig", "tweede", "2", "2de"],
                &["second vehicle", "second", "2", "2nd"],
            ),
        ],
    }
}

/// Every slot type: the built-in ones, a choice and a pattern.
pub fn slot_types() -> Vec<SlotType> {
    SlotType::BUILTIN
        .iter()
        .map(|(_, t)| t.clone())
        .chain([
            SlotType::Choice("card_rank".to_string()),
            SlotType::Pattern(std::sync::Arc::new(PatternType {
                name: "request_reference".into(),
                shapes: vec!["CR-dddd-dddd".into(), "aa x/dd".into()],
            })),
        ])
        .collect()
}

/// Runs every slot type's extractor in each language over `data` and checks
/// what each found. The first byte also picks the date policy and order, so
/// a fuzzer reaches every reading.
pub fn check_extractors(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    let input = Input::new(&text);
    let spec = choice_spec();
    let first = data.first().copied().unwrap_or(0);
    let policy = if first & 1 == 0 {
        DatePolicy::Future
    } else {
        DatePolicy::Past
    };
    let order = if first & 2 == 0 {
        DateOrder::DayFirst
    } else {
        DateOrder::MonthFirst
    };
    for ty in slot_types() {
        for lang in Lang::ALL {
            let ctx = Context {
                lang,
                now: fixed_now(),
                policy,
                order,
                choice: matches!(ty, SlotType::Choice(_)).then_some(&spec),
            };
            let found = extract::extract(&ty, &input, &ctx);
            check_extraction(&ty, &text, &found)
                .map_err(|e| format!("{ty} ({}): {e}", lang.code()))?;
        }
    }
    Ok(())
}

fn check_span(text: &str, span: &std::ops::Range<usize>) -> Result<(), String> {
    if span.start > span.end || span.end > text.len() {
        return Err(format!(
            "span {span:?} is not inside the message ({} bytes)",
            text.len()
        ));
    }
    if !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
        return Err(format!("span {span:?} cuts a character"));
    }
    if span.is_empty() {
        return Err(format!("span {span:?} is empty"));
    }
    Ok(())
}

/// The invariants of one extraction from `text`: spans inside the message
/// and on character boundaries, confidences in 0..=1 and best first, values
/// of the slot type's kind and in their normal form, and refusals with a
/// reason the flow can say in every language.
pub fn check_extraction(ty: &SlotType, text: &str, found: &Extraction) -> Result<(), String> {
    for c in &found.candidates {
        check_span(text, &c.span)?;
        if !(0.0..=1.0).contains(&c.confidence) {
            return Err(format!("confidence {} is outside 0..=1", c.confidence));
        }
        if c.rule.is_empty() {
            return Err(format!("candidate {:?} has no rule", c.value));
        }
        check_value(ty, &c.value)?;
    }
    for pair in found.candidates.windows(2) {
        if pair[0].confidence < pair[1].confidence {
            return Err(format!(
                "candidates are not best first: {} before {}",
                pair[0].confidence, pair[1].confidence
            ));
        }
    }
    // Alternatives read the best candidate's very words, each a value of
    // the slot type's kind and none the best's own.
    for a in &found.ambiguous {
        let Some(best) = found.best() else {
            return Err("alternatives without a best candidate".to_string());
        };
        if a.span != best.span || a.value == best.value {
            return Err(format!(
                "alternative {:?} is no other reading of the best",
                a.value
            ));
        }
        check_value(ty, &a.value)?;
    }
    for r in &found.rejected {
        check_span(text, &r.span)?;
        if r.reason.code().is_empty() || Lang::ALL.iter().any(|&l| r.reason.message(l).is_empty()) {
            return Err(format!("refusal {:?} has no reason to show", r.reason));
        }
    }
    Ok(())
}

/// A candidate's value has the slot type's kind, and the identifiers with
/// check digits pass their own check in their normal form.
fn check_value(ty: &SlotType, value: &Value) -> Result<(), String> {
    let bad = |why: &str| Err(format!("value {value:?}: {why}"));
    match (ty, value) {
        (SlotType::Date, Value::Date(_))
        | (SlotType::Time, Value::Time(_))
        | (SlotType::Number, Value::Number(_))
        | (SlotType::Money, Value::Money(_))
        | (SlotType::YesNo, Value::Bool(_)) => Ok(()),
        (SlotType::Iban, Value::Text(t)) if !checkdigits::iban_valid(t) => bad("not a valid IBAN"),
        (SlotType::Iban, Value::Text(t))
            if t.chars()
                .any(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit())) =>
        {
            bad("not in normal form (upper case, no spaces)")
        }
        (SlotType::NationalNumber, Value::Text(t)) if !checkdigits::national_number_valid(t) => {
            bad("not a valid national register or BIS number")
        }
        (SlotType::StructuredCommunication, Value::Text(t)) => {
            let digits: String = t.chars().filter(char::is_ascii_digit).collect();
            if checkdigits::structured_communication_valid(&digits)
                && t.starts_with("+++")
                && t.ends_with("+++")
            {
                Ok(())
            } else {
                bad("not a valid structured communication in paper form")
            }
        }
        // E.164, or the digits of a number whose country is unknown.
        (SlotType::Phone, Value::Text(t))
            if !(t.len() > 1
                && t.strip_prefix('+')
                    .unwrap_or(t)
                    .bytes()
                    .all(|b| b.is_ascii_digit())) =>
        {
            bad("neither an E.164 number nor digits")
        }
        (SlotType::Email, Value::Text(t)) if t.matches('@').count() != 1 => {
            bad("not one @ in an e-mail address")
        }
        (SlotType::Url, Value::Text(t))
            if !["https://", "http://", "ftp://"]
                .iter()
                .any(|s| t.starts_with(s)) =>
        {
            bad("not a web address with its scheme")
        }
        (SlotType::Pattern(p), Value::Text(t))
            if !p.shapes.iter().any(|shape| {
                shape::extract(p, &Input::new(t))
                    .candidates
                    .first()
                    .is_some_and(|c| c.span == (0..t.len()) && c.value == *value)
                    && t.len() == shape.len()
            }) =>
        {
            bad("not in one of the pattern's shapes, in normal form")
        }
        (SlotType::Choice(_), Value::Text(t))
            if !choice_spec().options.iter().any(|o| &o.key == t) =>
        {
            bad("not one of the choice's options")
        }
        (
            SlotType::Date | SlotType::Time | SlotType::Number | SlotType::Money | SlotType::YesNo,
            _,
        ) => bad("not of the slot type's kind"),
        (_, Value::Text(_)) => Ok(()),
        _ => bad("not a text"),
    }
}

/// At most this many messages of one input are played, one a turn.
pub const MAX_TURNS: usize = 12;

/// A bot with its source files, so that a conversation can be carried over
/// to edited versions of it (the edits of [`edits`], loaded once each).
pub struct Subject {
    pub files: Vec<SourceFile>,
    pub bot: Bot,
    edited: Mutex<HashMap<(String, usize), Option<Edited>>>,
}

/// An edited bot and the edit's name.
type Edited = (String, Bot);

impl Subject {
    pub fn new(files: Vec<SourceFile>) -> Result<Subject, String> {
        let bot = Bot::from_files(&files).map_err(|e| e.to_string())?;
        Ok(Subject {
            files,
            bot,
            edited: Mutex::new(HashMap::new()),
        })
    }

    pub fn from_path(path: &std::path::Path) -> Result<Subject, String> {
        Subject::new(crate::load::read_path(path)?)
    }

    /// Edit `n` (modulo their number) of the flow, as a loaded bot with the
    /// edit's name; `None` when the edited bot does not load.
    fn edited(&self, flow: &str, n: usize) -> Option<Edited> {
        let key = (flow.to_string(), n);
        if let Some(found) = self.edited.lock().ok()?.get(&key) {
            return found.clone();
        }
        let parsed = crate::load::parse(&self.files);
        let decl = parsed.items.iter().find_map(|i| match i {
            Item::Flow(f) if f.name.name == flow => Some(f),
            _ => None,
        })?;
        let all = edits::edits_of_flow(&self.files, &parsed, decl);
        let edit = all.get(n % all.len().max(1))?;
        let loaded = Bot::from_files(&edit.files)
            .ok()
            .map(|bot| (edit.name.clone(), bot));
        if let Ok(mut cache) = self.edited.lock() {
            cache.insert(key, loaded.clone());
        }
        loaded
    }
}

/// Plays `data` as a conversation with the subject's bot: a start, then one
/// turn per line. A line starting with `@` presses the button of that
/// payload (offered or forged); `!ok JSON` and `!fail TEXT` answer the last
/// action the bot asked for; `%N` deploys edit N of the flow in progress
/// (see [`edits`]) under the conversation, which is saved and restored
/// into the edited bot and goes on there; any other line is typed. The
/// first byte picks the session's language (or none). Every turn is checked
/// ([`check_turn`], [`check_actions`]); a restore into an edited bot never
/// changes what the conversation waits for without saying so; and the
/// session must come back unchanged from being saved and restored.
pub fn check_turns(subject: &Subject, data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    let lang = match data.first().copied().unwrap_or(0) % 4 {
        0 => None,
        n => Lang::ALL.get(usize::from(n) - 1).copied(),
    };
    let mut bot = subject.bot.clone();
    let mut session = bot.new_session(lang, data.len() as u64);
    let mut last_action: Option<String> = None;
    play(&bot, &mut session, TurnInput::Start, &mut last_action)?;
    for line in text.split('\n').take(MAX_TURNS) {
        if let Some(n) = line.strip_prefix('%') {
            let n: usize = n.trim().parse().unwrap_or(n.len());
            let flow = match session.stack.last() {
                Some(f) => f.flow.to_string(),
                None => {
                    let flows = &subject.bot.program().flows;
                    flows[n % flows.len().max(1)].name.clone()
                }
            };
            if let Some((name, edited)) = subject.edited(&flow, n) {
                session =
                    carry_over(&bot, &edited, &session).map_err(|e| format!("{name}: {e}"))?;
                bot = edited;
            }
            continue;
        }
        let input = if let Some(payload) = line.strip_prefix('@') {
            TurnInput::Button(payload.to_string())
        } else if let Some(json) = line.strip_prefix("!ok") {
            TurnInput::ActionResult(ActionResult {
                id: last_action.clone().unwrap_or_default(),
                ok: true,
                value: serde_json::from_str(json.trim()).ok(),
                error: None,
            })
        } else if let Some(error) = line.strip_prefix("!fail") {
            TurnInput::ActionResult(ActionResult {
                id: last_action.clone().unwrap_or_default(),
                ok: false,
                value: None,
                error: Some(error.trim().to_string()),
            })
        } else {
            TurnInput::Text(line.to_string())
        };
        play(&bot, &mut session, input, &mut last_action)?;
    }
    let saved = serde_json::to_string(&session).map_err(|e| format!("session not saved: {e}"))?;
    let restored = bot
        .restore(&saved)
        .map_err(|e| format!("session not restored: {e}"))?;
    if restored.restarted || restored.session != session {
        return Err(format!(
            "the session did not come back as saved (restarted: {})",
            restored.restarted
        ));
    }
    Ok(())
}

/// Saves a session of `old` and restores it into `new`: it must read, and
/// when it says nothing changed, it must wait for what it waited for.
pub fn carry_over(old: &Bot, new: &Bot, session: &Session) -> Result<Session, String> {
    let saved = serde_json::to_string(session).map_err(|e| format!("session not saved: {e}"))?;
    let restored = new
        .restore(&saved)
        .map_err(|e| format!("session not restored into the edited bot: {e}"))?;
    if restored.session.changed.is_none() {
        let expecting =
            |bot: &Bot, s: &Session| match Turn::new(bot.program(), s.clone(), fixed_now())
                .turn_end()
            {
                Event::TurnEnd { expecting, .. } => expecting,
                _ => None,
            };
        let (before, after) = (expecting(old, session), expecting(new, &restored.session));
        if before != after {
            return Err(format!(
                "a silent jump: the conversation waited for {before:?}, now for {after:?}"
            ));
        }
    }
    Ok(restored.session)
}

/// Runs one turn and checks it; remembers the last action the bot asked for.
fn play(
    bot: &Bot,
    session: &mut Session,
    input: TurnInput,
    last_action: &mut Option<String>,
) -> Result<(), String> {
    let before = session.clone();
    let events = bot.turn(session, input.clone(), fixed_now());
    check_turn(&before, session, &events).map_err(|e| format!("{input:?}: {e}"))?;
    check_actions(bot, &events).map_err(|e| format!("{input:?}: {e}"))?;
    if let Some(id) = events.iter().rev().find_map(|e| match e {
        Event::Action { id, .. } => Some(id.clone()),
        _ => None,
    }) {
        *last_action = Some(id);
    }
    Ok(())
}

/// Every action a turn requests names a declared action and gives each of
/// its required arguments a value.
pub fn check_actions(bot: &Bot, events: &[Event]) -> Result<(), String> {
    for e in events {
        if let Event::Action { name, args, .. } = e {
            let Some(spec) = bot.program().actions.get(name) else {
                return Err(format!("an undeclared action `{name}`"));
            };
            for (p, optional) in &spec.params {
                if !optional && args.get(p).is_none_or(|v| v.is_null()) {
                    return Err(format!("`{name}` requested without `{p}`: {args:?}"));
                }
            }
        }
    }
    Ok(())
}

/// The invariants of one turn: its events end with exactly one `turn_end`;
/// a turn with an `error` leaves the session as it was, and any other turn
/// counts one more turn.
pub fn check_turn(before: &Session, after: &Session, events: &[Event]) -> Result<(), String> {
    let ends = events
        .iter()
        .filter(|e| matches!(e, Event::TurnEnd { .. }))
        .count();
    if ends != 1 {
        return Err(format!("{ends} turn_end events"));
    }
    if !matches!(events.last(), Some(Event::TurnEnd { .. })) {
        return Err("turn_end is not the last event".to_string());
    }
    if let Some(Event::Error { code, .. }) =
        events.iter().find(|e| matches!(e, Event::Error { .. }))
    {
        if after != before {
            return Err(format!("an error ({code}) changed the session"));
        }
    } else if after.turns != before.turns + 1 {
        return Err(format!(
            "turns went from {} to {} without an error",
            before.turns, after.turns
        ));
    }
    Ok(())
}

/// A flow file of arbitrary bytes, checked, formatted and asked every
/// editor question at a few places, on a thread with a 2 MiB stack (a
/// server's worker): nothing panics or overflows, every diagnostic points
/// inside the file on character boundaries, and formatting is idempotent.
pub fn check_flow(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data).into_owned();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || check_flow_text(&text))
        .map_err(|e| format!("no thread: {e}"))?
        .join()
        .map_err(|_| "panic while checking the flow".to_string())?
}

fn check_flow_text(text: &str) -> Result<(), String> {
    use crate::analysis::{self, Workspace};
    let files = [crate::load::SourceFile {
        name: "/fuzz/bot.flow".into(),
        text: text.to_string(),
    }];
    let (parsed, diagnostics) = crate::bot::check_files(&files);
    for d in &diagnostics {
        for span in std::iter::once(d.span).chain(d.related.iter().map(|r| r.span)) {
            let Some(source) = parsed.sources.get(span.source) else {
                return Err(format!("{}: a span in no source", d.code));
            };
            let t = &source.text;
            if span.start > span.end
                || span.end > t.len()
                || !t.is_char_boundary(span.start)
                || !t.is_char_boundary(span.end)
            {
                return Err(format!(
                    "{}: span {}..{} out of its text",
                    d.code, span.start, span.end
                ));
            }
        }
    }
    if let Ok(formatted) = crate::syntax::format_source(text) {
        if crate::syntax::format_source(&formatted).as_deref() != Ok(formatted.as_str()) {
            return Err("formatting twice changes the file".into());
        }
    }
    let mut ws = Workspace::from_files(
        std::path::Path::new("/fuzz"),
        [("/fuzz/bot.flow".to_string(), text.to_string())].into(),
    );
    for list in ws.diagnostics().values() {
        for d in list {
            if d.range.start > d.range.end {
                return Err(format!("{}: a range that ends before it starts", d.code));
            }
        }
    }
    let file = "/fuzz/bot.flow";
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let step = (boundaries.len() / 6).max(1);
    for &at in boundaries.iter().step_by(step) {
        let pos = analysis::position(text, at);
        ws.completion(file, pos);
        ws.hover(file, pos);
        ws.definition(file, pos);
        ws.references(file, pos, true);
        let _ = ws.rename(file, pos, "renamed_name");
        ws.code_actions(file, analysis::range(text, 0, text.len()));
    }
    ws.outline(file);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::extract::{Candidate, Reason, Rejected};

    fn candidate(value: Value, span: std::ops::Range<usize>, confidence: f32) -> Candidate {
        Candidate {
            value,
            span,
            confidence,
            rule: "test".to_string(),
        }
    }

    fn one(c: Candidate) -> Extraction {
        Extraction {
            candidates: vec![c],
            ..Extraction::default()
        }
    }

    #[test]
    fn extraction_checks_catch_what_they_claim_to() {
        let text = "le 3 mai à 10h €";
        let date = || Value::Date(fixed_now().date());
        assert!(
            check_extraction(&SlotType::Date, text, &one(candidate(date(), 3..8, 0.9))).is_ok()
        );
        for (c, why) in [
            (candidate(date(), 3..99, 0.9), "not inside"),
            (candidate(date(), 10..13, 0.9), "cuts a character"),
            (candidate(date(), 3..3, 0.9), "empty"),
            (candidate(date(), 3..8, 1.5), "outside 0..=1"),
            (candidate(date(), 3..8, f32::NAN), "outside 0..=1"),
            (candidate(Value::text("x"), 3..8, 0.9), "kind"),
        ] {
            let err = check_extraction(&SlotType::Date, text, &one(c)).unwrap_err();
            assert!(err.contains(why), "{err}");
        }
        let iban = |t: &str| one(candidate(Value::text(t), 0..2, 1.0));
        assert!(check_extraction(&SlotType::Iban, text, &iban("BE68539007547034")).is_ok());
        assert!(check_extraction(&SlotType::Iban, text, &iban("BE68539007547035")).is_err());
        assert!(check_extraction(&SlotType::Iban, text, &iban("be68539007547034")).is_err());
        let refused = Extraction {
            candidates: Vec::new(),
            rejected: vec![Rejected {
                span: 0..100,
                reason: Reason::BadChecksum,
            }],
            ..Extraction::default()
        };
        assert!(check_extraction(&SlotType::Iban, text, &refused).is_err());
    }

    #[test]
    fn turn_checks_catch_what_they_claim_to() {
        let bot = Bot::from_sources(&[(
            "bot.flow",
            "bot \"T\"\n  languages en\nend\nflow hi\n  triggers\n    en: \"hello\"\n  say en: \"Hi\"\nend\n",
        )])
        .expect("the test bot loads");
        let before = bot.new_session(None, 0);
        let mut after = before.clone();
        let events = bot.turn(&mut after, TurnInput::text("hello"), fixed_now());
        assert!(check_turn(&before, &after, &events).is_ok());
        let end = events.last().cloned().expect("a turn_end");
        let twice: Vec<Event> = events.iter().cloned().chain([end.clone()]).collect();
        assert!(check_turn(&before, &after, &twice).is_err());
        assert!(check_turn(&before, &after, &events[..events.len() - 1]).is_err());
        let error = vec![Event::error("runtime", "boom"), end];
        assert!(check_turn(&before, &before, &error).is_ok());
        assert!(check_turn(&before, &after, &error).is_err());
        let subject = Subject::new(vec![SourceFile {
            name: "bot.flow".into(),
            text: "bot \"T\"\n  languages en\nend\nflow hi\n  triggers\n    en: \"hello\"\n  say en: \"Hi\"\nend\n".into(),
        }])
        .expect("the test bot loads");
        assert!(check_turns(&subject, b"hello\n@x\n!ok {}\n!fail no\n%3\nhello").is_ok());
        let incomplete = vec![Event::Action {
            id: "a1".into(),
            name: "nothing".into(),
            args: serde_json::Map::new(),
        }];
        assert!(check_actions(&bot, &incomplete).is_err());
    }
}
