//! Editing a bot while citizens talk to it: a session saved with one
//! version of the sample commune, restored into an edited one, goes on
//! where it can, asks again what it must, and tells the citizen when its
//! place moved; a session that cannot go on starts over explicitly. Also
//! sessions edited by hand, and format-1 sessions.

use chrono::{NaiveDate, NaiveDateTime};
use guichet::load::{self, SourceFile};
use guichet::runtime::{ActionResult, BotChanged, Expecting};
use guichet::{Bot, Event, Input, Lang, Session};

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 4, 14)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

fn files() -> Vec<SourceFile> {
    load::read_path(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/flows"
    )))
    .unwrap()
}

fn sample() -> Bot {
    Bot::from_files(&files()).unwrap_or_else(|e| panic!("{e}"))
}

type Edit<'a> = &'a dyn Fn(&str) -> String;

/// The sample bot with one file's text changed.
fn edited(file: &str, edit: impl Fn(&str) -> String) -> Bot {
    edited_many(&[(file, &edit)])
}

fn edited_many(edits: &[(&str, Edit)]) -> Bot {
    let mut files = files();
    for (file, edit) in edits {
        let f = files
            .iter_mut()
            .find(|f| f.name.ends_with(file))
            .expect("the file exists");
        let before = f.text.clone();
        f.text = edit(&f.text);
        assert_ne!(before, f.text, "the edit changes {file}");
    }
    Bot::from_files(&files).unwrap_or_else(|e| panic!("the edited bot loads: {e}"))
}

fn say(bot: &Bot, s: &mut Session, text: &str) -> Vec<Event> {
    bot.turn(s, Input::text(text), now())
}

fn press(bot: &Bot, s: &mut Session, payload: &str) -> Vec<Event> {
    bot.turn(s, Input::Button(payload.into()), now())
}

fn texts(events: &[Event]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Say { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn end(events: &[Event]) -> (Option<Expecting>, Option<BotChanged>) {
    match events.last() {
        Some(Event::TurnEnd {
            expecting,
            bot_changed,
            ..
        }) => (expecting.clone(), *bot_changed),
        other => panic!("a turn ends with turn_end: {other:?}"),
    }
}

fn action(
    events: &[Event],
) -> Option<(String, String, serde_json::Map<String, serde_json::Value>)> {
    events.iter().find_map(|e| match e {
        Event::Action { id, name, args } => Some((id.clone(), name.clone(), args.clone())),
        _ => None,
    })
}

fn slot(name: &str, ty: &str) -> Option<Expecting> {
    Some(Expecting::Slot {
        name: name.into(),
        ty: ty.into(),
    })
}

/// A crèche application in French, up to its confirmation.
fn creche_at_confirmation(bot: &Bot) -> Session {
    let mut s = bot.new_session(Some(Lang::Fr), 0);
    for t in [
        "Je voudrais inscrire mon fils à la crèche",
        "Lucas",
        "Dupont",
        "né le 3 mai 2024",
        "1er septembre 2025",
        "lucas.parent@example.be",
    ] {
        say(bot, &mut s, t);
    }
    let e = say(bot, &mut s, "0470 12 34 56");
    assert_eq!(end(&e).0, Some(Expecting::Confirmation), "{e:#?}");
    s
}

fn restore(bot: &Bot, s: &Session) -> (Session, bool) {
    let r = bot
        .restore(&serde_json::to_string(s).unwrap())
        .expect("the session reads");
    (r.session, r.restarted)
}

#[test]
fn a_confirmation_survives_removing_the_say_before_its_form() {
    let old = sample();
    let saved = creche_at_confirmation(&old);
    let new = edited("creche.flow", |t| {
        t.replacen(
            "  say\n    fr: \"Avec plaisir, je vais vous aider à demander une place en crèche. Il me faut quelques informations.\"\n    nl: \"Graag, ik help u een plaats in de kinderopvang aan te vragen. Ik heb enkele gegevens nodig.\"\n    en: \"Happy to help you apply for a daycare place. I need a few details.\"\n",
            "",
            1,
        )
    });
    let (mut s, restarted) = restore(&new, &saved);
    assert!(!restarted);
    assert_eq!(s.changed, None, "nothing the citizen sees moved");
    let e = press(&new, &mut s, "yes");
    let (_, name, args) = action(&e).expect("the request is filed, not lost");
    assert_eq!(name, "create_request");
    assert_eq!(args["child_first_name"], "Lucas");
    assert_eq!(args["parent_phone"], "+32470123456");
    assert_eq!(end(&e).1, None);
}

#[test]
fn a_new_required_slot_is_asked_before_the_confirmation_it_was_added_to() {
    let old = sample();
    let saved = creche_at_confirmation(&old);
    let new = edited_many(&[
        ("creche.flow", &|t: &str| {
            t.replacen(
                "    slot parent_phone like phone_number\n",
                "    slot parent_address: text\n      ask\n        fr: \"Votre adresse ?\"\n        nl: \"Uw adres?\"\n        en: \"Your address?\"\n    slot parent_phone like phone_number\n",
                1,
            )
            .replacen(
                "do create_request(kind: \"creche_enrolment\", child_first_name, child_last_name, child_birth_date, start_date, parent_email, parent_phone) as request",
                "do create_creche_request(kind: \"creche_enrolment\", child_first_name, child_last_name, child_birth_date, start_date, parent_email, parent_phone, parent_address) as request",
                1,
            )
        }),
        // An action that needs it.
        ("bot.flow", &|t: &str| {
            format!("{t}\naction create_creche_request(kind: text, child_first_name: name, child_last_name: name, child_birth_date: date, start_date: date, parent_email: email, parent_phone: phone, parent_address: text) -> (reference: text)\n")
        }),
    ]);
    let (mut s, restarted) = restore(&new, &saved);
    assert!(!restarted);
    assert_eq!(s.changed, Some(BotChanged::Moved));
    // "oui" answered the old confirmation: it is not taken as consent to a
    // request that lacks the address.
    let e = say(&new, &mut s, "oui");
    assert!(action(&e).is_none(), "{e:#?}");
    assert_eq!(
        end(&e),
        (slot("parent_address", "text"), Some(BotChanged::Moved))
    );
    assert!(texts(&e).contains("mis à jour"), "{}", texts(&e));
    assert!(texts(&e).contains("Votre adresse ?"), "{}", texts(&e));
    let e = say(&new, &mut s, "Rue de la Station 12, 1170 Bruyères");
    assert_eq!(end(&e), (Some(Expecting::Confirmation), None));
    let e = press(&new, &mut s, "yes");
    let (_, _, args) = action(&e).expect("the request is filed");
    assert_eq!(
        args["parent_address"],
        "Rue de la Station 12, 1170 Bruyères"
    );
    assert_eq!(
        args["child_first_name"], "Lucas",
        "the other answers were kept"
    );
}

#[test]
fn a_retyped_slot_is_asked_again_and_the_citizen_is_told() {
    let old = sample();
    let mut saved = old.new_session(Some(Lang::Fr), 0);
    for t in [
        "Je voudrais inscrire mon fils à la crèche",
        "Lucas",
        "Dupont",
    ] {
        say(&old, &mut saved, t);
    }
    // child_last_name becomes free text: its answer is dropped.
    let new = edited("creche.flow", |t| {
        t.replacen(
            "slot child_last_name: name",
            "slot child_last_name: text",
            1,
        )
    });
    let (mut s, _) = restore(&new, &saved);
    assert_eq!(s.changed, Some(BotChanged::Updated));
    assert!(!s.stack[0].vars.contains_key("child_last_name"));
    assert_eq!(
        s.stack[0].vars["child_first_name"],
        guichet::Value::text("Lucas")
    );
    let e = say(&new, &mut s, "né le 3 mai 2024");
    assert_eq!(end(&e).1, Some(BotChanged::Updated));
    assert!(texts(&e).contains("mis à jour"));
    // The question still stood: the answer counted; the dropped one comes next.
    assert_eq!(end(&e).0, slot("child_last_name", "text"));
}

#[test]
fn a_payment_result_reaches_its_step_after_statements_move_around_it() {
    let old = sample();
    let mut s = old.new_session(Some(Lang::Fr), 0);
    for t in ["carte de riverain", "1-ABC-234", "1170", "premier"] {
        say(&old, &mut s, t);
    }
    let e = press(&old, &mut s, "yes");
    let (id, name, _) = action(&e).expect("a payment");
    assert_eq!(name, "request_payment");
    let new = edited("parking.flow", |t| {
        t.replacen(
            "  set communication = new_structured_communication()\n",
            "  say\n    fr: \"Un instant.\"\n    nl: \"Een ogenblik.\"\n    en: \"One moment.\"\n  set communication = new_structured_communication()\n",
            1,
        )
    });
    let (mut s, _) = restore(&new, &s);
    assert_eq!(s.changed, None);
    let e = new.turn(
        &mut s,
        Input::ActionResult(ActionResult {
            id,
            ok: true,
            value: Some(serde_json::json!({"status": "paid", "payment_id": "PAY-1"})),
            error: None,
        }),
        now(),
    );
    let (_, name, args) = action(&e).expect("the renewal is filed");
    assert_eq!(name, "create_request");
    assert_eq!(args["payment_id"], "PAY-1");
}

#[test]
fn a_removed_flow_restarts_the_conversation_explicitly() {
    let old = sample();
    let saved = creche_at_confirmation(&old);
    let new = edited("creche.flow", |t| {
        let start = t.find("flow creche_enrolment").unwrap();
        let end = t[start..].find("\nend\n").unwrap() + start + 5;
        format!("{}{}", &t[..start], &t[end..])
    });
    let (mut s, restarted) = restore(&new, &saved);
    assert!(restarted);
    assert!(s.stack.is_empty());
    let e = say(&new, &mut s, "bonjour");
    assert_eq!(end(&e).1, Some(BotChanged::Restarted));
    assert!(texts(&e).contains("depuis le début"), "{}", texts(&e));
    assert!(
        texts(&e).contains("Bonjour"),
        "the message is then answered: {}",
        texts(&e)
    );
}

#[test]
fn a_session_edited_by_hand_cannot_confirm_an_incomplete_form() {
    let bot = sample();
    let mut s = bot.new_session(Some(Lang::Fr), 0);
    for t in ["Je voudrais inscrire mon fils à la crèche", "Lucas"] {
        say(&bot, &mut s, t);
    }
    let mut json = serde_json::to_value(&s).unwrap();
    json["stack"][0]["form"]["phase"] = "confirming".into();
    let r = bot.restore(&json.to_string()).unwrap();
    assert!(
        r.restarted,
        "a confirmation of a form without its slots is refused"
    );
    let mut s = r.session;
    let e = press(&bot, &mut s, "yes");
    assert!(action(&e).is_none(), "{e:#?}");

    // Counters at their limits saturate instead of wrapping or panicking.
    let mut s = bot.new_session(Some(Lang::Fr), 0);
    say(&bot, &mut s, "carte de riverain");
    let mut json = serde_json::to_value(&s).unwrap();
    json["turns"] = u64::MAX.into();
    json["next_action"] = u32::MAX.into();
    json["stack"][0]["form"]["attempts"] = u32::MAX.into();
    let mut s = bot.restore(&json.to_string()).unwrap().session;
    let e = say(&bot, &mut s, "pas une plaque");
    assert!(
        !e.iter().any(|e| matches!(e, Event::Error { .. })),
        "{e:#?}"
    );
    assert_eq!(s.turns, u64::MAX);
}

#[test]
fn a_format_1_session_goes_on_with_its_own_bot_and_restarts_with_another() {
    let bot = sample();
    let mut s = bot.new_session(Some(Lang::Fr), 0);
    for t in ["Je voudrais inscrire mon fils à la crèche", "Lucas"] {
        say(&bot, &mut s, t);
    }
    let mut json = serde_json::to_value(&s).unwrap();
    json["format"] = 1.into();
    for frame in json["stack"].as_array_mut().unwrap() {
        frame.as_object_mut().unwrap().remove("at");
    }
    let r = bot.restore(&json.to_string()).unwrap();
    assert!(!r.restarted);
    let mut s = r.session;
    assert_eq!(s.format, guichet::runtime::SESSION_FORMAT);
    let e = say(&bot, &mut s, "Dupont");
    assert_eq!(end(&e).0, slot("child_birth_date", "date"));

    let other = edited("creche.flow", |t| {
        t.replacen("Lucas", "Lucas ", 1).replacen(
            "flow creche_enrolment",
            "flow creche_enrolment\n",
            1,
        )
    });
    let r = other.restore(&json.to_string()).unwrap();
    assert!(
        r.restarted,
        "a format-1 session has no anchors to find its place in another bot"
    );
    assert!(r.session.stack.is_empty());
}

#[test]
fn a_safe_point_that_fails_in_the_edited_bot_starts_over_instead_of_sticking() {
    let source = |body: &str| {
        format!(
            "bot \"T\"\n  languages en\nend\n\naction book(day: date) -> (number: text)\n\nflow visit\n  triggers en: \"book a visit\"\n{body}  form\n    slot day: date\n      ask en: \"Which day?\"\n    confirm en: \"{{day}}?\"\n  end\n  do book(day) as booked\n  say en: \"Booked.\"\nend\n"
        )
    };
    let old = Bot::from_sources(&[("bot.flow", &source(""))]).unwrap();
    let mut s = old.new_session(Some(Lang::En), 0);
    old.turn(&mut s, Input::text("book a visit"), now());
    old.turn(&mut s, Input::text("next monday"), now());
    // The new version asks a slot whose condition fails (it divides by zero).
    let new = Bot::from_sources(&[(
        "bot.flow",
        &source("").replace(
            "    confirm en: \"{day}?\"\n",
            "    slot note: text\n      when 10 / 0 > 1\n      ask en: \"A note?\"\n    confirm en: \"{day}?\"\n",
        ),
    )])
    .unwrap_or_else(|e| panic!("{e}"));
    let (mut s, _) = restore(&new, &s);
    assert_eq!(s.changed, Some(BotChanged::Moved));
    let out = new.turn_recorded(&mut s, Input::text("yes"), now());
    let e = out.events;
    assert!(
        !e.iter().any(|e| matches!(e, Event::Error { .. })),
        "{e:#?}"
    );
    assert_eq!(end(&e).1, Some(BotChanged::Restarted));
    // Statistics count the visit abandoned, not left running forever.
    assert!(
        out.records.iter().any(|r| matches!(
            r,
            guichet::runtime::Record::FlowAbandoned { flow, how: guichet::runtime::records::Abandon::Restart, .. } if flow == "visit"
        )),
        "{:?}",
        out.records
    );
    assert!(texts(&e).contains("start again"), "{}", texts(&e));
    assert!(s.stack.is_empty());
    // Not stuck: the next message is answered as usual.
    let e = say(&new, &mut s, "hello");
    assert_eq!(end(&e).1, None);
}

#[test]
fn an_answer_whose_choice_option_was_removed_is_asked_again() {
    let old = sample();
    let mut s = old.new_session(Some(Lang::Fr), 0);
    for t in ["carte de riverain", "1-ABC-234", "1170", "deuxième"] {
        say(&old, &mut s, t);
    }
    assert_eq!(
        s.stack[0].vars["vehicle_rank"],
        guichet::Value::text("second")
    );
    // The commune stops issuing second cards.
    let new = edited_many(&[("parking.flow", &|t: &str| {
        let start = t.find("  option second\n").unwrap();
        let end = start + t[start..].find("end\n").unwrap();
        format!("{}{}", &t[..start], &t[end..])
                .replace("        button second fr: \"Deuxième véhicule\" nl: \"Tweede voertuig\" en: \"Second vehicle\"\n", "")
    })]);
    let (mut s, restarted) = restore(&new, &s);
    assert!(!restarted);
    assert_eq!(s.changed, Some(BotChanged::Moved));
    let e = say(&new, &mut s, "oui");
    assert!(action(&e).is_none());
    assert_eq!(end(&e).0, slot("vehicle_rank", "card_rank"));
    assert_eq!(s.stack[0].vars["plate"], guichet::Value::text("1-ABC-234"));
}

/// The answer a follow-up ("Et à Noël ?") reuses is checked like the rest:
/// a value its slot no longer takes, or a flow that is gone, is dropped
/// instead of being put back into the flow.
#[test]
fn the_answer_a_follow_up_reuses_is_checked_on_restore() {
    let bot = sample();
    let mut s = bot.new_session(Some(Lang::Fr), 0);
    say(
        &bot,
        &mut s,
        "est-ce qu'on ramasse les poubelles lundi prochain ?",
    );
    let last = s
        .last_answer
        .clone()
        .expect("the waste collection answered");
    assert_eq!(last.flow, "waste_collection");
    assert!(last.slots.contains_key("collection_date"), "{last:?}");
    // Restored as saved: kept, and the follow-up works.
    let (mut kept, restarted) = restore(&bot, &s);
    assert!(!restarted);
    assert_eq!(kept.last_answer, s.last_answer);
    assert!(texts(&say(&bot, &mut kept, "Et à Noël ?")).contains("25 décembre 2025"));
    // Edited by hand: a date slot holding a text, an unknown slot, an
    // answer from a later turn than the session has had.
    let mut json = serde_json::to_value(&s).unwrap();
    json["last_answer"]["slots"]["collection_date"] =
        serde_json::json!({"t": "text", "v": "<b>tomorrow</b>"});
    json["last_answer"]["slots"]["is_admin"] = serde_json::json!({"t": "bool", "v": true});
    let (forged, _) = restore(&bot, &serde_json::from_value(json.clone()).unwrap());
    let forged = forged.last_answer.expect("the flow is still there");
    assert!(forged.slots.is_empty(), "{forged:?}");
    json["last_answer"]["turn"] = (s.turns + 1).into();
    let (later, _) = restore(&bot, &serde_json::from_value(json).unwrap());
    assert_eq!(later.last_answer, None);
    // The flow removed from the bot: nothing to follow up.
    let new = edited("waste.flow", |t| {
        let at = t.find("flow waste_collection").unwrap();
        let end = at + t[at..].find("\nend\n").unwrap() + 5;
        format!("{}{}", &t[..at], &t[end..])
    });
    let (mut moved, _) = restore(&new, &s);
    assert_eq!(moved.last_answer, None);
    let e = say(&new, &mut moved, "Et à Noël ?");
    assert!(
        !e.iter().any(|e| matches!(e, Event::Error { .. })),
        "{e:#?}"
    );
}
