//! The interpreter through its public API: forms, confirmation and
//! correction, digressions, actions, attempts, budget, and sessions that
//! survive a JSON round trip.

use chrono::{NaiveDate, NaiveDateTime};
use guichet::runtime::{ActionResult, Expecting};
use guichet::{Bot, Event, Input, Session};

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 4, 14)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

const BOT: &str = r#"
bot "Test"
  languages fr, en
  default fr
end

action create_request(kind: text, child_first_name?: name, child_birth_date?: date, start_date?: date) -> (reference: text)

faq opening_hours
  triggers
    fr: "heures d'ouverture"
    en: "opening hours"
  answer
    fr: "Ouvert de 8h à 16h."
    en: "Open 8 am to 4 pm."
end

flow enrol
  triggers
    fr: "inscrire enfant crèche"
    en: "enrol child daycare"
  form
    slot child_first_name: text
      label fr: "prénom" en: "first name"
      ask fr: "Prénom de l'enfant ?" en: "Child's first name?"
    slot child_birth_date: date
      label fr: "date de naissance", "né le", "née le" en: "birth date", "born on"
      prefer past
      ask fr: "Date de naissance ?" en: "Birth date?"
      reprompt fr: "Par exemple : 3 mai 2024." en: "For example: 3 May 2024."
      reprompt fr: "Une date comme 03/05/2024, s'il vous plaît." en: "A date like 03/05/2024, please."
      require child_birth_date <= today() + 9 months
        else fr: "Cette date est trop loin." en: "That date is too far away."
      require child_birth_date > today() - 3 years
        else fr: "L'enfant doit avoir moins de 3 ans." en: "The child must be under 3."
      attempts 3 then
        say fr: "Je vous passe un collègue." en: "A colleague will help you."
        handoff too_many_attempts
      end
    slot start_date: date
      label fr: "date de début", "à partir du", "à partir de" en: "start date", "from"
      prefer future
      ask fr: "À partir de quand ?" en: "From when?"
      require start_date >= child_birth_date
        else fr: "Le début doit suivre la naissance." en: "The start must follow the birth."
    confirm
      fr: "{child_first_name}, né(e) le {child_birth_date}, à partir du {start_date}. C'est correct ?"
      en: "{child_first_name}, born {child_birth_date}, from {start_date}. Is that right?"
  end
  do create_request(kind: "creche_enrolment", child_first_name, child_birth_date, start_date) as request
    ok
      say fr: "Référence {request.reference}." en: "Reference {request.reference}."
    failed
      say fr: "Désolé, le service ne répond pas." en: "Sorry, the service is down."
      handoff action_failed
  end
end
"#;

fn bot() -> Bot {
    Bot::from_sources(&[("bot.flow", BOT)]).unwrap_or_else(|e| panic!("{e}"))
}

fn says(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Say { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn expecting(events: &[Event]) -> Option<Expecting> {
    match events.last() {
        Some(Event::TurnEnd { expecting, .. }) => expecting.clone(),
        _ => panic!("a turn ends with turn_end: {events:?}"),
    }
}

fn slots(events: &[Event]) -> serde_json::Map<String, serde_json::Value> {
    match events.last() {
        Some(Event::TurnEnd { slots, .. }) => slots.clone(),
        _ => panic!("a turn ends with turn_end"),
    }
}

fn action_id(events: &[Event]) -> Option<String> {
    events.iter().find_map(|e| match e {
        Event::Action { id, .. } => Some(id.clone()),
        _ => None,
    })
}

fn turn(bot: &Bot, s: &mut Session, text: &str) -> Vec<Event> {
    bot.turn(s, Input::text(text), now())
}

fn slot_expected(name: &str, ty: &str) -> Option<Expecting> {
    Some(Expecting::Slot {
        name: name.into(),
        ty: ty.into(),
    })
}

#[test]
fn a_form_asks_each_slot_confirms_and_performs_the_action() {
    let bot = bot();
    let mut s = bot.new_session(Some(guichet::Lang::Fr), 0);
    let e = turn(&bot, &mut s, "Je voudrais inscrire mon enfant à la crèche");
    assert_eq!(says(&e), ["Prénom de l'enfant ?"]);
    assert_eq!(expecting(&e), slot_expected("child_first_name", "text"));
    let e = turn(&bot, &mut s, "Louise");
    assert_eq!(expecting(&e), slot_expected("child_birth_date", "date"));
    let e = turn(&bot, &mut s, "elle est née le 3 mai 2024");
    assert_eq!(slots(&e)["child_birth_date"], "2024-05-03");
    let e = turn(&bot, &mut s, "à partir du 1er septembre 2025");
    assert_eq!(expecting(&e), Some(Expecting::Confirmation));
    assert!(
        says(&e)[0].starts_with("Louise, né(e) le"),
        "{:?}",
        says(&e)
    );
    let e = bot.turn(&mut s, Input::Button("yes".into()), now());
    let Some(Event::Action { name, args, id }) =
        e.iter().find(|e| matches!(e, Event::Action { .. }))
    else {
        panic!("an action is requested: {e:?}");
    };
    assert_eq!(name, "create_request");
    assert_eq!(args["kind"], "creche_enrolment");
    assert_eq!(args["child_birth_date"], "2024-05-03");
    assert_eq!(args["start_date"], "2025-09-01");
    assert_eq!(
        expecting(&e),
        Some(Expecting::ActionResult { id: id.clone() })
    );
    let result = Input::ActionResult(ActionResult {
        id: id.clone(),
        ok: true,
        value: Some(serde_json::json!({"reference": "CR-2025-0042"})),
        error: None,
    });
    let e = bot.turn(&mut s, result, now());
    assert_eq!(says(&e), ["Référence CR-2025-0042."]);
    assert_eq!(expecting(&e), None);
}

#[test]
fn one_message_fills_several_slots() {
    let bot = bot();
    let mut s = bot.new_session(Some(guichet::Lang::Fr), 0);
    turn(&bot, &mut s, "inscrire mon enfant à la crèche");
    turn(&bot, &mut s, "Tom");
    let e = turn(
        &bot,
        &mut s,
        "né le 3 mai 2024, à partir du 1er septembre 2025",
    );
    assert_eq!(slots(&e)["child_birth_date"], "2024-05-03");
    assert_eq!(slots(&e)["start_date"], "2025-09-01");
    assert_eq!(expecting(&e), Some(Expecting::Confirmation));
}

#[test]
fn a_correction_at_the_confirmation_changes_one_slot_only() {
    let bot = bot();
    let mut s = bot.new_session(Some(guichet::Lang::Fr), 0);
    for m in [
        "inscrire mon enfant à la crèche",
        "Tom",
        "3 mai 2024",
        "1er septembre 2025",
    ] {
        turn(&bot, &mut s, m);
    }
    let e = turn(
        &bot,
        &mut s,
        "non, la date de naissance c'est le 4 mai 2024",
    );
    assert_eq!(slots(&e)["child_birth_date"], "2024-05-04");
    assert_eq!(slots(&e)["start_date"], "2025-09-01");
    assert_eq!(slots(&e)["child_first_name"], "Tom");
    assert_eq!(expecting(&e), Some(Expecting::Confirmation));
    // A bare "no" asks which slot to change, with the labels as buttons.
    let e = turn(&bot, &mut s, "non");
    let Some(Event::Say { buttons, .. }) = e.first() else {
        panic!("{e:?}")
    };
    assert!(
        buttons.iter().any(|b| b.payload == "start_date"),
        "{buttons:?}"
    );
    let e = bot.turn(&mut s, Input::Button("start_date".into()), now());
    assert_eq!(expecting(&e), slot_expected("start_date", "date"));
    let e = turn(&bot, &mut s, "2 septembre 2025");
    assert_eq!(slots(&e)["start_date"], "2025-09-02");
    assert_eq!(expecting(&e), Some(Expecting::Confirmation));
}

#[test]
fn a_question_mid_form_is_answered_and_the_form_resumes() {
    let bot = bot();
    let mut s = bot.new_session(Some(guichet::Lang::Fr), 0);
    turn(&bot, &mut s, "inscrire mon enfant à la crèche");
    turn(&bot, &mut s, "Tom");
    let e = turn(&bot, &mut s, "quelles sont vos heures d'ouverture ?");
    let said = says(&e);
    assert_eq!(said[0], "Ouvert de 8h à 16h.");
    assert_eq!(said.last().map(String::as_str), Some("Date de naissance ?"));
    assert_eq!(expecting(&e), slot_expected("child_birth_date", "date"));
    assert_eq!(slots(&e)["child_first_name"], "Tom");
}

#[test]
fn wrong_answers_escalate_then_take_the_declared_way_out() {
    let bot = bot();
    let mut s = bot.new_session(Some(guichet::Lang::Fr), 0);
    turn(&bot, &mut s, "inscrire mon enfant à la crèche");
    turn(&bot, &mut s, "Tom");
    let e = turn(&bot, &mut s, "je ne sais plus");
    assert_eq!(says(&e), ["Par exemple : 3 mai 2024."]);
    let e = turn(&bot, &mut s, "bof");
    assert_eq!(says(&e), ["Une date comme 03/05/2024, s'il vous plaît."]);
    let e = turn(&bot, &mut s, "aucune idée");
    assert_eq!(says(&e), ["Je vous passe un collègue."]);
    let handoff = e.iter().find_map(|e| match e {
        Event::Handoff { reason, summary } => Some((reason.clone(), summary.clone())),
        _ => None,
    });
    let (reason, summary) = handoff.expect("a hand-over after three attempts");
    assert_eq!(reason, "too_many_attempts");
    assert_eq!(summary["flow"], "enrol");
    assert_eq!(summary["slots"]["child_first_name"], "Tom");
}

#[test]
fn a_validation_rule_speaks_its_own_message() {
    let bot = bot();
    let mut s = bot.new_session(Some(guichet::Lang::Fr), 0);
    turn(&bot, &mut s, "inscrire mon enfant à la crèche");
    turn(&bot, &mut s, "Tom");
    let e = turn(&bot, &mut s, "le 3 mai 2015");
    assert_eq!(says(&e)[0], "L'enfant doit avoir moins de 3 ans.");
    assert_eq!(expecting(&e), slot_expected("child_birth_date", "date"));
    assert!(!slots(&e).contains_key("child_birth_date"));
}

#[test]
fn a_failed_action_takes_the_failed_branch() {
    let bot = bot();
    let mut s = bot.new_session(Some(guichet::Lang::En), 0);
    for m in [
        "enrol my child in daycare",
        "Tom",
        "3 May 2024",
        "1 September 2025",
        "yes",
    ] {
        turn(&bot, &mut s, m);
    }
    let id = format!("a{}", s.next_action);
    let e = bot.turn(
        &mut s,
        Input::ActionResult(ActionResult {
            id,
            ok: false,
            value: None,
            error: Some("down".into()),
        }),
        now(),
    );
    assert_eq!(says(&e), ["Sorry, the service is down."]);
    assert!(e
        .iter()
        .any(|e| matches!(e, Event::Handoff { reason, .. } if reason == "action_failed")));
}

#[test]
fn a_bad_input_gives_an_error_event_and_leaves_the_session_unchanged() {
    let bot = bot();
    let mut s = bot.new_session(Some(guichet::Lang::Fr), 0);
    turn(&bot, &mut s, "inscrire mon enfant à la crèche");
    let before = s.clone();
    let stray = Input::ActionResult(ActionResult {
        id: "a99".into(),
        ok: true,
        value: None,
        error: None,
    });
    let e = bot.turn(&mut s, stray, now());
    assert!(matches!(&e[0], Event::Error { code, .. } if code == "unknown_action"));
    assert_eq!(s, before);
    let e = turn(&bot, &mut s, &"x".repeat(1_000_000));
    assert!(matches!(&e[0], Event::Error { code, .. } if code == "too_long"));
    assert_eq!(s, before);
    // The next input works.
    let e = turn(&bot, &mut s, "Tom");
    assert_eq!(expecting(&e), slot_expected("child_birth_date", "date"));
}

#[test]
fn a_session_saved_and_restored_at_every_turn_continues_exactly() {
    let bot = bot();
    let script = [
        "inscrire mon enfant à la crèche",
        "Tom",
        "heures d'ouverture",
        "né le 3 mai 2024",
        "à partir du 1er septembre 2025",
        "non, la date de naissance c'est le 4 mai 2024",
        "oui",
    ];
    let mut live = bot.new_session(Some(guichet::Lang::Fr), 3);
    let mut saved = serde_json::to_string(&bot.new_session(Some(guichet::Lang::Fr), 3)).unwrap();
    for m in script {
        let a = turn(&bot, &mut live, m);
        let mut restored = bot.restore(&saved).unwrap().session;
        let b = turn(&bot, &mut restored, m);
        assert_eq!(a, b, "turn {m:?} differs after a restore");
        saved = serde_json::to_string(&restored).unwrap();
        assert_eq!(live, restored);
    }
    assert!(action_id(&turn(&bot, &mut live, "oui")).is_none());
}

#[test]
fn a_saved_session_from_an_older_bot_restarts_cleanly_when_its_flow_is_gone() {
    let bot = bot();
    let mut s = bot.new_session(Some(guichet::Lang::Fr), 0);
    turn(&bot, &mut s, "inscrire mon enfant à la crèche");
    let saved = serde_json::to_string(&s).unwrap();
    let other = Bot::from_sources(&[(
        "bot.flow",
        "bot \"Other\"\n languages fr\nend\nflow hello\n triggers fr: \"bonjour\"\n say fr: \"Salut\"\nend\n",
    )])
    .unwrap();
    let restored = other.restore(&saved).unwrap();
    assert!(restored.restarted);
    assert!(restored.session.stack.is_empty());
    assert!(other.restore("{ not json").is_err());
    assert!(other
        .restore(r#"{"format": 99, "bot": "", "lang": "fr"}"#)
        .is_err());
}

#[test]
fn a_flow_that_never_waits_is_stopped_by_the_step_budget() {
    // The checker rejects such a loop; the runtime must stop it anyway.
    let source = "bot \"Loop\"\n languages en\nend\nflow spin\n triggers en: \"spin now\"\n set x = 1\n goto spin\nend\n";
    let parsed = guichet::load::parse(&[guichet::load::SourceFile {
        name: "loop.flow".into(),
        text: source.into(),
    }]);
    let program = guichet::compile::compile(&parsed).unwrap();
    let session = Session {
        format: guichet::runtime::SESSION_FORMAT,
        bot: program.fingerprint.clone(),
        lang: guichet::Lang::En,
        lang_settled: true,
        stack: vec![],
        next_action: 0,
        turns: 0,
        seed: 0,
        last_answer: None,
        offered: vec![],
        replies: vec![],
        changed: None,
    };
    let mut turn = guichet::runtime::Turn::new(&program, session, now());
    let err = turn.handle(Input::text("spin now")).unwrap_err();
    assert_eq!(err.code, "out_of_fuel");
}

#[test]
fn action_results_are_read_with_their_declared_types() {
    let source = r#"
bot "Status"
  languages en
end
action get_request_status(reference: text) -> (status: text, updated: date, fee: money)
flow status
  triggers en: "where is my request"
  do get_request_status(reference: "CR-1") as found
    ok
      say en: "{found.status} since {format_long(found.updated)}, fee {found.fee}, {days_between(found.updated, today())} days ago."
  end
end
"#;
    let bot = Bot::from_sources(&[("bot.flow", source)]).unwrap_or_else(|e| panic!("{e}"));
    let mut s = bot.new_session(None, 0);
    let e = turn(&bot, &mut s, "where is my request");
    let id = action_id(&e).expect("the action is requested");
    let result = ActionResult {
        id,
        ok: true,
        value: Some(
            serde_json::json!({"status": "in progress", "updated": "2025-04-10", "fee": 15}),
        ),
        error: None,
    };
    let e = bot.turn(&mut s, Input::ActionResult(result), now());
    assert_eq!(
        says(&e),
        ["in progress since Thursday 10 April 2025, fee €15.00, 4 days ago."]
    );
}

#[test]
fn a_bot_is_shared_between_threads_and_sessions_are_plain_data() {
    fn shared<T: Send + Sync + Clone>() {}
    fn data<T: Send + serde::Serialize + serde::de::DeserializeOwned>() {}
    shared::<Bot>();
    data::<Session>();
    let bot = bot();
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let bot = bot.clone();
            std::thread::spawn(move || {
                let mut s = bot.new_session(Some(guichet::Lang::Fr), i);
                turn(&bot, &mut s, "inscrire mon enfant à la crèche");
                turn(&bot, &mut s, "Tom");
                s
            })
        })
        .collect();
    for h in handles {
        let s = h.join().expect("no thread panics");
        assert_eq!(
            s.stack[0].vars["child_first_name"],
            guichet::Value::text("Tom")
        );
    }
}

#[test]
fn a_damaged_saved_session_restarts_cleanly() {
    let bot = bot();
    let mut s = bot.new_session(Some(guichet::Lang::Fr), 0);
    turn(&bot, &mut s, "inscrire mon enfant à la crèche");
    let mut json: serde_json::Value = serde_json::to_value(&s).unwrap();
    json["stack"][0]["form"]["slot"] = serde_json::json!(99);
    json["stack"][0]["pc"] = serde_json::json!(10_000);
    let restored = bot.restore(&json.to_string()).unwrap();
    assert!(restored.restarted);
    let mut s = restored.session;
    let e = turn(&bot, &mut s, "inscrire mon enfant à la crèche");
    assert_eq!(expecting(&e), slot_expected("child_first_name", "text"));
}

#[test]
fn a_bot_that_writes_dates_month_first_reads_3_7_as_march() {
    let source = |order: &str| {
        format!(
            "bot \"T\"\n  languages en\n  {order}\nend\n\nflow visit\n  triggers en: \"book a visit\"\n  form\n    slot day: date\n      ask en: \"Which day?\"\n  end\n  say en: \"Booked for {{day}}.\"\nend\n"
        )
    };
    for (order, expected) in [
        ("dates month_first", "Booked for 7 March 2026."),
        ("dates day_first", "Booked for 3 July 2026."),
    ] {
        let bot = Bot::from_sources(&[("bot.flow", &source(order))])
            .unwrap_or_else(|e| panic!("{order}: {e}"));
        let mut session = bot.new_session(Some(guichet::Lang::En), 0);
        let now = chrono::NaiveDate::from_ymd_opt(2026, 1, 10)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .expect("a date");
        bot.turn(&mut session, guichet::Input::text("book a visit"), now);
        let events = bot.turn(&mut session, guichet::Input::text("3/7"), now);
        let filled = serde_json::to_string(&events).expect("json");
        assert!(filled.contains(expected), "{order}: {filled}");
    }
}

#[test]
fn an_action_is_never_requested_with_a_required_argument_missing() {
    let bot = Bot::from_sources(&[(
        "bot.flow",
        r#"
bot "T"
  languages en
end

action book(day: date, reason: text) -> (number: text)

flow appointment
  triggers en: "appointment"
  form
    slot day: date
      ask en: "Which day?"
    slot reason: text
      label en: "reason"
      optional
      ask en: "What is it about?"
    confirm en: "{day}, {reason}. Book it?"
  end
  do book(day, reason) as booked
  say en: "Booked: {booked.number}."
end
"#,
    )])
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        bot.warnings()
            .iter()
            .any(|d| d.code == "argument-may-be-missing"),
        "the checker warns first: {:?}",
        bot.warnings()
    );
    let mut s = bot.new_session(Some(guichet::Lang::En), 0);
    turn(&bot, &mut s, "appointment");
    turn(&bot, &mut s, "next monday");
    let e = turn(&bot, &mut s, "skip");
    assert_eq!(expecting(&e), Some(Expecting::Confirmation));
    let before = s.clone();
    let e = bot.turn(&mut s, Input::Button("yes".into()), now());
    assert!(action_id(&e).is_none(), "{e:#?}");
    assert!(
        e.iter()
            .any(|e| matches!(e, Event::Error { code, .. } if code == "missing_argument")),
        "{e:#?}"
    );
    assert_eq!(s, before, "the session is unchanged");
    // The citizen can still correct the form: with a reason, it is booked.
    turn(&bot, &mut s, "no");
    let e = turn(&bot, &mut s, "the reason");
    assert_eq!(expecting(&e), slot_expected("reason", "text"));
    turn(&bot, &mut s, "a new passport");
    let e = bot.turn(&mut s, Input::Button("yes".into()), now());
    assert!(action_id(&e).is_some(), "{e:#?}");
}
