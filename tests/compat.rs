//! What a new version of a bot does to the conversations open with the old
//! one: `Bot::compatibility` and `guichet check --against OLD`.

use guichet::compat::Effect;
use guichet::load::{self, SourceFile};
use guichet::Bot;
use std::path::Path;

fn files() -> Vec<SourceFile> {
    load::read_path(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/flows"))).unwrap()
}

fn with(edits: &[(&str, &str, &str)]) -> Vec<SourceFile> {
    let mut files = files();
    for (file, from, to) in edits {
        let f = files.iter_mut().find(|f| f.name.ends_with(file)).unwrap();
        assert!(f.text.contains(from), "{file} contains {from:?}");
        f.text = f.text.replacen(from, to, 1);
    }
    files
}

fn changes(edits: &[(&str, &str, &str)]) -> Vec<(&'static str, Effect)> {
    let old = Bot::from_files(&files()).unwrap();
    let new = Bot::from_files(&with(edits)).unwrap_or_else(|e| panic!("{e}"));
    new.compatibility(&old)
        .into_iter()
        .map(|c| (c.diagnostic.code, c.effect))
        .collect()
}

#[test]
fn layout_comments_and_texts_change_nothing_for_conversations() {
    assert_eq!(changes(&[]), vec![]);
    assert_eq!(
        changes(&[
            (
                "creche.flow",
                "flow creche_enrolment\n",
                "# the crèche\nflow creche_enrolment  # enrolment\n"
            ),
            (
                "creche.flow",
                "Avec plaisir, je vais",
                "Avec grand plaisir, je vais"
            ),
        ]),
        vec![]
    );
}

#[test]
fn each_kind_of_change_that_touches_conversations_is_listed() {
    assert_eq!(
        changes(&[(
            "creche.flow",
            "slot child_last_name: name",
            "slot child_last_name: text"
        )]),
        [("slot-retyped", Effect::AsksAgain)]
    );
    assert_eq!(
        changes(&[(
            "creche.flow",
            "    slot parent_phone like phone_number\n",
            "    slot parent_address: text\n      ask\n        fr: \"Adresse ?\"\n        nl: \"Adres?\"\n        en: \"Address?\"\n    slot parent_phone like phone_number\n"
        )]),
        [("slot-added", Effect::AsksAgain)]
    );
    let removed = changes(&[(
        "bot.flow",
        "get_request_status(reference: request_reference)",
        "get_request_status(reference: request_reference, channel?: text)",
    )]);
    assert_eq!(removed, [("action-changed", Effect::Continues)]);
    let removed_flow = {
        let old = Bot::from_files(&files()).unwrap();
        let mut files = files();
        let f = files
            .iter_mut()
            .find(|f| f.name.ends_with("status.flow"))
            .unwrap();
        f.text = String::new();
        // The help names the flow with a button: take that away too.
        let h = files
            .iter_mut()
            .find(|f| f.name.ends_with("smalltalk.flow"))
            .unwrap();
        h.text = h
            .text
            .lines()
            .filter(|l| !l.contains("button request_status"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut b = files
            .iter_mut()
            .find(|f| f.name.ends_with("bot.flow"))
            .unwrap()
            .text
            .clone();
        b = b.replace(
            "action get_request_status(reference: request_reference) -> (status: text, updated: date)",
            "",
        );
        files
            .iter_mut()
            .find(|f| f.name.ends_with("bot.flow"))
            .unwrap()
            .text = b;
        files.retain(|f| !f.name.ends_with("status.test"));
        let new = Bot::from_files(&files).unwrap_or_else(|e| panic!("{e}"));
        new.compatibility(&old)
            .into_iter()
            .map(|c| (c.diagnostic.code, c.effect))
            .collect::<Vec<_>>()
    };
    assert!(
        removed_flow.contains(&("flow-removed", Effect::Restarts)),
        "{removed_flow:?}"
    );
    assert!(
        removed_flow.contains(&("action-removed", Effect::Continues)),
        "{removed_flow:?}"
    );
}

#[test]
fn removing_a_step_and_a_slot_is_listed_where_the_old_bot_had_them() {
    let old = Bot::from_files(&files()).unwrap();
    let new = Bot::from_files(&with(&[(
        "parking.flow",
        "  call resident_card_payment(plate: plate, price: price)\n",
        "  say\n    fr: \"Payez au guichet.\"\n    nl: \"Betaal aan het loket.\"\n    en: \"Pay at the counter.\"\n",
    )]))
    .unwrap_or_else(|e| panic!("{e}"));
    let found = new.compatibility(&old);
    let step = found
        .iter()
        .find(|c| c.diagnostic.code == "step-removed")
        .expect("the removed call is listed");
    assert!(step.in_old);
    assert_eq!(step.effect, Effect::Moves);
    let located = step.located(&old, &new);
    assert!(located["file"].as_str().unwrap().ends_with("parking.flow"));
    assert!(located["message"]
        .as_str()
        .unwrap()
        .contains("call resident_card_payment"));
    assert_eq!(located["effect"], "moves");
}

#[test]
fn check_against_an_older_version_lists_the_changes_in_both_formats() {
    let dir = std::env::temp_dir().join(format!("guichet-against-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (old, new) = (dir.join("old"), dir.join("new"));
    for d in [&old, &new] {
        std::fs::create_dir_all(d).unwrap();
    }
    for f in files() {
        let name = Path::new(&f.name).file_name().unwrap().to_owned();
        std::fs::write(old.join(&name), &f.text).unwrap();
        let text = if f.name.ends_with("creche.flow") {
            f.text.replacen(
                "slot child_last_name: name",
                "slot child_last_name: text",
                1,
            )
        } else {
            f.text.clone()
        };
        std::fs::write(new.join(&name), text).unwrap();
    }
    let run = |format: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_guichet"))
            .args([
                "check",
                new.to_str().unwrap(),
                "--against",
                old.to_str().unwrap(),
                "--format",
                format,
            ])
            .output()
            .unwrap()
    };
    let human = run("human");
    assert_eq!(human.status.code(), Some(0));
    let err = String::from_utf8_lossy(&human.stderr);
    assert!(err.contains("slot-retyped"), "{err}");
    assert!(err.contains("creche.flow"), "{err}");
    assert!(
        err.contains("1 change for conversations in progress"),
        "{err}"
    );
    let json = run("json");
    assert_eq!(json.status.code(), Some(0));
    // One document: the check's report, and the changes beside it.
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["errors"], 0, "{doc}");
    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["code"], "slot-retyped");
    assert_eq!(changes[0]["effect"], "asks_again");
    assert_eq!(changes[0]["severity"], "warning");
    assert!(changes[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("creche.flow"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn slots_confirmations_and_arguments_that_change_are_listed() {
    let base = r#"
bot "T"
  languages en
end

action book(day: date, reason?: text) -> (number: text)

flow appointment
  triggers en: "appointment"
  form
    slot day: date
      ask en: "Which day?"
    slot reason: text
      ask en: "Why?"
    confirm en: "{day}. Book it?"
  end
  call book_it(day: day)
end

flow book_it(day: date)
  do book(day) as booked
  say en: "Booked: {booked.number}."
end
"#;
    let old = Bot::from_sources(&[("bot.flow", base)]).unwrap();
    let edited = base
        .replace("    slot reason: text\n      ask en: \"Why?\"\n", "")
        .replace("    confirm en: \"{day}. Book it?\"\n", "")
        .replace(
            "call book_it(day: day)",
            "call book_it(day: day, urgent: no)",
        )
        .replace(
            "flow book_it(day: date)",
            "flow book_it(day: date, urgent: yesno)",
        );
    let new = Bot::from_sources(&[("bot.flow", &edited)]).unwrap_or_else(|e| panic!("{e}"));
    let mut codes: Vec<&str> = new
        .compatibility(&old)
        .iter()
        .map(|c| c.diagnostic.code)
        .collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        ["confirm-removed", "flow-arguments-changed", "slot-removed"]
    );
}
