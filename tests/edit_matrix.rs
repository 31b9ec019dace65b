//! Every kind of edit, applied under every conversation of the sample
//! commune: the conversation tests of `flows/tests/` are played, the
//! session is kept after each of their inputs, each flow in such a session
//! is edited every way `support::edits_of_flow` knows (statements
//! inserted, removed, swapped; slots added, removed, retyped, renamed; the
//! flow removed; its actions' signatures changed), and each session is
//! restored into each edited bot that loads, then continued by a stand-in
//! citizen and host. No turn may panic or request an action without a
//! required argument; a session whose place changed must say so (never a
//! silent jump); a confirmation whose "yes" filed a request still does, or
//! the citizen is told why not.
//!
//! `GUICHET_EDIT_SESSIONS=N` restores at most N sessions per edit (all by
//! default).

mod support;

use guichet::load::{self, SourceFile};
use guichet::runtime::{Expecting, Turn};
use guichet::syntax::ast::Item;
use guichet::testing::{self, Snapshot};
use guichet::{Bot, Event, Input};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use support::{
    check_actions, continue_conversation, edits_of_flow, now, plausible_answer, turn_end, Edit,
};

fn sample_files() -> Vec<SourceFile> {
    load::read_path(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/flows"))).unwrap()
}

/// The sessions of every sample conversation, after each input, with a
/// flow in progress; one per distinct state.
fn sessions(bot: &Bot) -> Vec<(String, Snapshot)> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/flows/tests"));
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "test"))
        .collect();
    paths.sort();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for test in testing::parse_for(bot, &text, &file).unwrap() {
            for snap in testing::snapshots(bot, &test) {
                if snap.session.stack.is_empty() {
                    continue;
                }
                let key = serde_json::to_string(&(&snap.session.stack, snap.session.lang)).unwrap();
                if seen.insert(key) {
                    out.push((format!("{file}: {}", test.name), snap));
                }
            }
        }
    }
    out
}

fn has_action(events: &[Event]) -> bool {
    events.iter().any(|e| matches!(e, Event::Action { .. }))
}

/// Restores one session into an edited bot and plays on.
fn replay(
    old: &Bot,
    new: &Bot,
    edit: &Edit,
    snap: &Snapshot,
    stats: &mut BTreeMap<String, usize>,
) -> Result<(), String> {
    let saved = serde_json::to_string(&snap.session).unwrap();
    let restored = new
        .restore(&saved)
        .map_err(|e| format!("not restored: {e}"))?;
    let mut session = restored.session;
    let change = session.changed;
    *stats.entry(format!("restored: {change:?}")).or_default() += 1;
    let before = turn_end(&snap.events).and_then(|(e, _)| e);
    if change.is_none() {
        let after = match Turn::new(new.program(), session.clone(), now()).turn_end() {
            guichet::Event::TurnEnd { expecting, .. } => expecting,
            _ => None,
        };
        if after != before {
            return Err(format!(
                "a silent jump: it expected {before:?}, now {after:?}"
            ));
        }
    }
    if before == Some(Expecting::Confirmation) && edit.keeps_actions {
        let base = old.turn(
            &mut snap.session.clone(),
            Input::Button("yes".into()),
            now(),
        );
        if has_action(&base) {
            let mut s = session.clone();
            let events = new.turn(&mut s, Input::Button("yes".into()), now());
            check_actions(new, &events)?;
            let told = turn_end(&events).and_then(|(_, c)| c).is_some();
            // Refused for a missing argument, the conversation stays at its
            // confirmation and the host hears of it: not lost.
            let refused = events
                .iter()
                .any(|e| matches!(e, Event::Error { code, .. } if code == "missing_argument"));
            if !has_action(&events) && !told && !refused {
                let kinds: Vec<String> = events
                    .iter()
                    .map(|e| serde_json::to_value(e).unwrap()["type"].to_string())
                    .collect();
                return Err(format!("a lost confirmation: yes gave {kinds:?}"));
            }
        }
    }
    let first = plausible_answer(new, &snap.events, session.lang);
    continue_conversation(new, &mut session, snap.events.clone(), first, 12, stats)
}

#[test]
fn sessions_at_every_step_of_every_sample_conversation_survive_every_kind_of_edit() {
    let files = sample_files();
    let old = Bot::from_files(&files).unwrap();
    let parsed = load::parse(&files);
    let sessions = sessions(&old);
    let limit: usize = std::env::var("GUICHET_EDIT_SESSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let mut by_flow: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (_, snap)) in sessions.iter().enumerate() {
        let mut flows: Vec<&str> = snap.session.stack.iter().map(|f| f.flow.as_str()).collect();
        flows.dedup();
        for f in flows {
            by_flow.entry(f).or_default().push(i);
        }
    }
    let mut stats: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut kinds = BTreeSet::new();
    for item in &parsed.items {
        let Item::Flow(flow) = item else { continue };
        let Some(indices) = by_flow.get(flow.name.name.as_str()) else {
            continue;
        };
        for edit in edits_of_flow(&files, &parsed, flow) {
            let Ok(new) = Bot::from_files(&edit.files) else {
                *stats
                    .entry("edits that do not load (skipped)".into())
                    .or_default() += 1;
                continue;
            };
            *stats.entry("edits".into()).or_default() += 1;
            kinds.insert(edit.name.clone());
            for &i in indices.iter().take(limit) {
                let (test, snap) = &sessions[i];
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let mut local = BTreeMap::new();
                    let r = replay(&old, &new, &edit, snap, &mut local);
                    (r, local)
                }));
                *stats.entry("replays".into()).or_default() += 1;
                match result {
                    Ok((Ok(()), local)) => {
                        if std::env::var_os("GUICHET_EDIT_DEBUG").is_some()
                            && local.contains_key("error missing_argument")
                        {
                            eprintln!("missing_argument after: {}", edit.name);
                        }
                        for (k, v) in local {
                            *stats.entry(k).or_default() += v;
                        }
                    }
                    Ok((Err(e), _)) => failures.push(format!("{} / {test}: {e}", edit.name)),
                    Err(_) => failures.push(format!("{} / {test}: panicked", edit.name)),
                }
            }
        }
    }
    eprintln!("{} sessions; {stats:#?}", sessions.len());
    assert!(
        failures.is_empty(),
        "{} failures, the first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(15)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Each kind of edit was tried at least once.
    for kind in [
        "insert a say",
        "remove statement",
        "swap statements",
        "add a required slot",
        "remove slot",
        "retype slot",
        "rename slot",
        "remove the flow",
        "a new optional argument",
        "becomes optional",
        "a new result field",
    ] {
        assert!(
            kinds.iter().any(|k| k.contains(kind)),
            "no `{kind}` edit loaded"
        );
    }
    assert!(stats.get("restored: Some(Moved)").is_some_and(|n| *n > 0));
    assert!(stats
        .get("restored: Some(Restarted)")
        .is_some_and(|n| *n > 0));
}
