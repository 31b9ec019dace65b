//! Properties of saved sessions: whatever conversation was saved, whatever
//! edit the bot then got (generated), and whatever a hand or a bug did to
//! the saved JSON (arbitrary mutations), restoring never panics, never
//! jumps silently, and no later turn requests an action without a
//! required argument.

mod support;

use guichet::load::{self, SourceFile};
use guichet::runtime::{ActionResult, Turn};
use guichet::syntax::ast::Item;
use guichet::{Bot, Event, Input};
use proptest::prelude::*;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use support::{check_actions, continue_conversation, edits_of_flow, now, turn_end};

const BOT: &str = r#"
bot "Props"
  languages fr, nl, en
  default fr
end

action create_request(kind: text, what: text, day: date, amount?: money) -> (reference: text)
action pay(amount: money) -> (status: text)

choice size
  option small
    fr: "petit" nl: "klein" en: "small"
  option large
    fr: "grand" nl: "groot" en: "large"
end

faq hours
  triggers fr: "horaires" nl: "openingsuren" en: "opening hours"
  answer fr: "8h-16h" nl: "8u-16u" en: "8am-4pm"
end

flow order
  triggers fr: "commander" nl: "bestellen" en: "order"
  say fr: "Commande." nl: "Bestelling." en: "Order."
  form
    slot what: size
      ask fr: "Taille ?" nl: "Grootte?" en: "Size?"
    slot day: date
      ask fr: "Quand ?" nl: "Wanneer?" en: "When?"
      require day >= today() else fr: "Futur." nl: "Toekomst." en: "Future."
      attempts 2
    slot amount: money
      optional
      ask fr: "Montant ?" nl: "Bedrag?" en: "Amount?"
    slot agreed: yesno
      ask fr: "D'accord ?" nl: "Akkoord?" en: "Agreed?"
    confirm fr: "{what} {day} ?" nl: "{what} {day}?" en: "{what} {day}?"
  end
  if agreed
    call payment(amount: amount)
  end
  do create_request(kind: "order", what, day, amount) as r
    ok
      say fr: "{r.reference}" nl: "{r.reference}" en: "{r.reference}"
    failed
      handoff order_failed
  end
end

flow payment(amount: money)
  do pay(amount) as paid
    ok
      if paid.status != "paid"
        form
          slot again: yesno
            ask fr: "Réessayer ?" nl: "Opnieuw?" en: "Again?"
        end
        if again
          restart
        end
      end
  end
end
"#;

fn files() -> Vec<SourceFile> {
    vec![SourceFile {
        name: "bot.flow".into(),
        text: BOT.into(),
    }]
}

fn inputs() -> impl Strategy<Value = Input> {
    prop_oneof![
        4 => prop_oneof![
            Just("commander"),
            Just("bestellen"),
            Just("order"),
            Just("grand"),
            Just("demain"),
            Just("le 3 mai 2030"),
            Just("12,50 €"),
            Just("oui"),
            Just("non"),
            Just("non, la date c'est demain"),
            Just("horaires"),
            Just("passer"),
            Just("annuler"),
        ]
        .prop_map(Input::text),
        1 => prop_oneof![Just("yes"), Just("no"), Just("small"), Just("skip"), Just("day")]
            .prop_map(|b| Input::Button(b.to_string())),
        2 => (1u32..5, any::<bool>(), prop_oneof![Just("paid"), Just("failed")]).prop_map(
            |(n, ok, status)| Input::ActionResult(ActionResult {
                id: format!("a{n}"),
                ok,
                value: Some(serde_json::json!({"reference": "R-1", "status": status})),
                error: None,
            })
        ),
    ]
}

/// Plays a conversation and returns the session and the last turn.
fn play(bot: &Bot, seq: Vec<Input>) -> (guichet::Session, Vec<Event>) {
    let mut session = bot.new_session(Some(guichet::Lang::Fr), 1);
    let mut last = Vec::new();
    for input in seq {
        last = bot.turn(&mut session, input, now());
    }
    (session, last)
}

/// Arbitrary changes to a JSON tree: a node chosen by index gets another value or goes.
#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, Json),
    Remove(usize),
}

fn json_values() -> impl Strategy<Value = Json> {
    prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        Just(Json::from(u64::MAX)),
        Just(Json::from(0)),
        Just(Json::from(1)),
        Just(Json::from(2)),
        prop_oneof![
            Just("order"),
            Just("payment"),
            Just("hours"),
            Just("confirming"),
            Just("correcting"),
            Just("filling"),
            Just("a1"),
            Just("a99"),
            Just("pay"),
            Just("create_request"),
            Just("large"),
            Just("2025-09-01"),
            Just("fr"),
            Just("0000000000000001"),
            Just(""),
        ]
        .prop_map(|s| Json::String(s.to_string())),
        "\\PC{0,12}".prop_map(Json::String),
        Just(serde_json::json!({})),
        Just(serde_json::json!([])),
        Just(serde_json::json!({"t": "date", "v": "2025-09-01"})),
        Just(serde_json::json!({"t": "text", "v": "large"})),
        Just(serde_json::json!({"flow": "payment", "pc": 0})),
    ]
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    proptest::collection::vec(
        prop_oneof![
            4 => (any::<usize>(), json_values()).prop_map(|(i, v)| Mutation::Set(i, v)),
            1 => any::<usize>().prop_map(Mutation::Remove),
        ],
        1..5,
    )
}

/// Every node of a JSON tree, as paths of keys and indices.
fn paths(json: &Json, at: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match json {
        Json::Object(map) => {
            for (k, v) in map {
                let mut p = at.clone();
                p.push(k.clone());
                paths(v, p, out);
            }
        }
        Json::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let mut p = at.clone();
                p.push(i.to_string());
                paths(v, p, out);
            }
        }
        _ => {}
    }
}

fn apply(json: &mut Json, m: &Mutation) {
    let mut all = Vec::new();
    paths(json, vec![], &mut all);
    let (index, value) = match m {
        Mutation::Set(i, v) => (*i, Some(v.clone())),
        Mutation::Remove(i) => (*i, None),
    };
    let path = &all[index % all.len()];
    let Some((last, parent)) = path.split_last() else {
        if let Some(v) = value {
            *json = v;
        }
        return;
    };
    let mut node = &mut *json;
    for key in parent {
        node = match node {
            Json::Object(map) => map.get_mut(key).unwrap(),
            Json::Array(items) => &mut items[key.parse::<usize>().unwrap()],
            _ => return,
        };
    }
    match (node, value) {
        (Json::Object(map), Some(v)) => {
            map.insert(last.clone(), v);
        }
        (Json::Object(map), None) => {
            map.remove(last);
        }
        (Json::Array(items), Some(v)) => items[last.parse::<usize>().unwrap()] = v,
        (Json::Array(items), None) => {
            items.remove(last.parse::<usize>().unwrap());
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn a_session_restored_into_an_edited_bot_keeps_every_invariant(
        seq in proptest::collection::vec(inputs(), 1..10),
        pick in proptest::collection::vec(any::<usize>(), 1..3),
        more in proptest::collection::vec(inputs(), 0..4),
    ) {
        let old = Bot::from_files(&files()).unwrap();
        let (session, last) = play(&old, seq);
        // One edit, or two in a row, of the flows in progress (or `order`).
        let mut edited = files();
        let mut name = String::new();
        for p in &pick {
            let parsed = load::parse(&edited);
            let target = session.stack.last().map_or("order", |f| f.flow.as_str());
            let Some(flow) = parsed.items.iter().find_map(|i| match i {
                Item::Flow(f) if f.name.name == target => Some(f.clone()),
                _ => None,
            }) else { break };
            let edits = edits_of_flow(&edited, &parsed, &flow);
            let edit = &edits[p % edits.len()];
            name.push_str(&edit.name);
            name.push_str("; ");
            edited = edit.files.clone();
        }
        let Ok(new) = Bot::from_files(&edited) else {
            return Ok(());
        };
        let restored = new.restore(&serde_json::to_string(&session).unwrap()).unwrap();
        let mut s = restored.session;
        let before = turn_end(&last).and_then(|(e, _)| e);
        if s.changed.is_none() && !s.stack.is_empty() {
            let after = match Turn::new(new.program(), s.clone(), now()).turn_end() {
                Event::TurnEnd { expecting, .. } => expecting,
                _ => None,
            };
            prop_assert_eq!(&after, &before, "a silent jump after {}", name);
        }
        let mut stats = BTreeMap::new();
        let r = continue_conversation(&new, &mut s, last.clone(), None, 10, &mut stats);
        prop_assert!(r.is_ok(), "{:?} after {}", r, name);
        for input in more {
            let events = new.turn(&mut s, input, now());
            prop_assert!(check_actions(&new, &events).is_ok(), "{:?}", events);
        }
    }

    #[test]
    fn arbitrary_changes_to_a_saved_session_never_panic_nor_request_incomplete_actions(
        seq in proptest::collection::vec(inputs(), 0..10),
        changes in mutations(),
        more in proptest::collection::vec(inputs(), 0..5),
    ) {
        let bot = Bot::from_files(&files()).unwrap();
        let (session, _) = play(&bot, seq);
        let mut json = serde_json::to_value(&session).unwrap();
        for m in &changes {
            apply(&mut json, m);
        }
        let Ok(restored) = bot.restore(&json.to_string()) else {
            return Ok(());
        };
        let mut s = restored.session;
        let start = bot.turn(&mut s, Input::Start, now());
        prop_assert!(check_actions(&bot, &start).is_ok(), "{:?}", start);
        let mut stats = BTreeMap::new();
        let r = continue_conversation(&bot, &mut s, start, None, 10, &mut stats);
        prop_assert!(r.is_ok(), "{:?} with {:?}", r, changes);
        for input in more {
            let events = bot.turn(&mut s, input, now());
            prop_assert!(check_actions(&bot, &events).is_ok(), "{:?}", events);
            prop_assert!(turn_end(&events).is_some());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A press of a button that was not offered (a flow's name, an internal
    /// flow that needs arguments, an action's name, junk) is refused and
    /// changes nothing, whatever the conversation.
    #[test]
    fn forged_button_presses_are_refused_and_change_nothing(
        seq in proptest::collection::vec(
            prop_oneof![
                3 => inputs(),
                2 => prop_oneof![
                    Just("order"), Just("payment"), Just("hours"), Just("create_request"),
                    Just("pay"), Just("talk_to_agent"), Just(""), Just("a1"),
                ].prop_map(|b| Input::Button(b.to_string())),
            ],
            1..14,
        ),
    ) {
        let bot = Bot::from_files(&files()).unwrap();
        let mut s = bot.new_session(Some(guichet::Lang::Fr), 1);
        for input in seq {
            let before = s.clone();
            let forged = match &input {
                Input::Button(p) => {
                    let answers = ["yes", "no", "skip", "small", "large", "what", "day", "amount", "agreed", "again"];
                    !before.offered.iter().any(|o| o.as_str() == p.as_str())
                        && !guichet::runtime::GLOBAL_FLOWS.contains(&p.as_str())
                        && !answers.contains(&p.as_str())
                }
                _ => false,
            };
            let events = bot.turn(&mut s, input.clone(), now());
            prop_assert!(check_actions(&bot, &events).is_ok(), "{:?}", events);
            if forged || matches!(&input, Input::Button(p) if p == "payment") {
                let refused = events.iter().any(|e| matches!(e, Event::Error { code, .. } if code == "button_not_offered"));
                prop_assert!(refused, "{:?} was accepted: {:?}", input, events);
                prop_assert_eq!(&s, &before);
            }
        }
    }
}

#[test]
fn a_session_edited_to_confirm_an_incomplete_form_starts_over() {
    let bot = Bot::from_files(&files()).unwrap();
    let (session, _) = play(&bot, vec![Input::text("commander"), Input::text("grand")]);
    let mut json = serde_json::to_value(&session).unwrap();
    json["stack"][0]["form"]["phase"] = "confirming".into();
    let restored = bot.restore(&json.to_string()).unwrap();
    assert!(restored.restarted);
    let mut s = restored.session;
    let events = bot.turn(&mut s, Input::Button("yes".into()), now());
    assert!(!events.iter().any(|e| matches!(e, Event::Action { .. })));
}
