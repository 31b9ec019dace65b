//! The interpreter as an attacker meets it through the public API: values
//! that try to escape a link, buttons nobody offered, saved sessions edited
//! by hand.

use chrono::{NaiveDate, NaiveDateTime};
use guichet::{Bot, Event, Input, Lang, Session};

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 4, 14)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

fn load(source: &str) -> Bot {
    Bot::from_sources(&[("bot.flow", source)]).unwrap_or_else(|e| panic!("{e}"))
}

fn links(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .flat_map(|e| match e {
            Event::Say { links, .. } => links.iter().map(|l| l.url.clone()).collect(),
            _ => vec![],
        })
        .collect()
}

fn texts(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Say { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

fn text(bot: &Bot, session: &mut Session, t: &str) -> Vec<Event> {
    bot.turn(session, Input::text(t), now())
}

const LINKS: &str = r#"
bot "Links"
  languages en
end

flow pay
  triggers en: "pay my fine"
  form
    slot reference: text
      ask en: "Which reference?"
  end
  set page = "https://pay.example/checkout/42"
  say
    en: "Pay here, or search: https://www.example.be/?q={url_encode(reference)}"
    link "https://www.example.be/fines/{reference}?ref={reference}#{reference}" en: "Your fine"
    link "{page}" en: "Pay"
    link "{reference}" en: "Raw"
    link "https://www.example.be/?q={url_encode(reference)}" en: "Search"
end
"#;

#[test]
fn a_citizen_s_text_cannot_change_where_a_link_goes() {
    let bot = load(LINKS);
    let mut s = bot.new_session(Some(Lang::En), 0);
    text(&bot, &mut s, "pay my fine");
    let e = text(&bot, &mut s, "x&redirect=https://evil.example#");
    let evil = "x%26redirect%3Dhttps%3A%2F%2Fevil.example%23";
    assert_eq!(
        links(&e),
        [
            format!("https://www.example.be/fines/{evil}?ref={evil}#{evil}"),
            "https://pay.example/checkout/42".to_string(),
            // Not a whole web address of its own: encoded like any value.
            evil.to_string(),
            format!("https://www.example.be/?q={evil}"),
        ]
    );
    assert_eq!(
        texts(&e),
        [format!(
            "Pay here, or search: https://www.example.be/?q={evil}"
        )]
    );
    let mut s = bot.new_session(Some(Lang::En), 0);
    text(&bot, &mut s, "pay my fine");
    let e = text(&bot, &mut s, "javascript:alert(1)");
    assert_eq!(links(&e)[2], "javascript%3Aalert%281%29");
}

fn sample() -> Bot {
    Bot::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/flows")).unwrap_or_else(|e| panic!("{e}"))
}

fn press(bot: &Bot, session: &mut Session, payload: &str) -> Vec<Event> {
    bot.turn(session, Input::Button(payload.into()), now())
}

fn error_code(events: &[Event]) -> Option<&str> {
    events.iter().find_map(|e| match e {
        Event::Error { code, .. } => Some(code.as_str()),
        _ => None,
    })
}

fn acted(events: &[Event]) -> bool {
    events.iter().any(|e| matches!(e, Event::Action { .. }))
}

fn handed_over(events: &[Event]) -> bool {
    events.iter().any(|e| matches!(e, Event::Handoff { .. }))
}

#[test]
fn a_forged_button_cannot_start_an_internal_flow_that_needs_arguments() {
    let bot = sample();
    let mut s = bot.new_session(Some(Lang::Fr), 0);
    let before = s.clone();
    let e = press(&bot, &mut s, "resident_card_payment");
    assert_eq!(error_code(&e), Some("button_not_offered"), "{e:#?}");
    assert!(
        !acted(&e),
        "no payment goes out without its plate and amount: {e:#?}"
    );
    assert_eq!(s, before, "the session is unchanged");
    // Nor in the middle of a conversation.
    text(&bot, &mut s, "carte de riverain");
    let before = s.clone();
    let e = press(&bot, &mut s, "resident_card_payment");
    assert_eq!(error_code(&e), Some("button_not_offered"));
    assert!(!acted(&e));
    assert_eq!(s, before);
}

#[test]
fn stale_presses_while_a_date_is_asked_are_refused_and_never_count_as_attempts() {
    let bot = sample();
    let mut s = bot.new_session(Some(Lang::Fr), 0);
    for t in [
        "Je voudrais une place en crèche pour ma fille",
        "Léa",
        "Dubois",
    ] {
        text(&bot, &mut s, t);
    }
    let asked = s.clone();
    for payload in ["first", "yes", "waste_collection"] {
        let e = press(&bot, &mut s, payload);
        assert_eq!(
            error_code(&e),
            Some("button_not_offered"),
            "{payload}: {e:#?}"
        );
        assert!(!handed_over(&e));
        assert_eq!(s, asked, "{payload}: the session is unchanged");
    }
    // Two wrong typed answers are the first two attempts of three: still asked.
    for t in ["le 12 mars 2021", "31/02/2025"] {
        let e = text(&bot, &mut s, t);
        assert!(!handed_over(&e), "{t}: {e:#?}");
        assert!(error_code(&e).is_none());
    }
}

#[test]
fn offered_global_and_question_buttons_are_accepted() {
    let bot = sample();
    let mut s = bot.new_session(Some(Lang::Fr), 0);
    // Offered in the last turn: the help lists the services.
    let e = press(&bot, &mut s, "help");
    assert!(error_code(&e).is_none(), "a global intent: {e:#?}");
    let e = press(&bot, &mut s, "parking_renewal");
    assert!(error_code(&e).is_none(), "{e:#?}");
    for t in ["1-ABC-234", "1170"] {
        text(&bot, &mut s, t);
    }
    // The question's own answers: an option of the choice being asked.
    let e = press(&bot, &mut s, "second");
    assert!(error_code(&e).is_none(), "{e:#?}");
    // A global intent mid-form, then the confirmation's yes from before it.
    let e = press(&bot, &mut s, "help");
    assert!(error_code(&e).is_none(), "{e:#?}");
    let e = press(&bot, &mut s, "yes");
    assert!(error_code(&e).is_none(), "{e:#?}");
    assert!(acted(&e), "yes at the confirmation pays: {e:#?}");
    // A payload offered before the last turn is stale.
    let e = press(&bot, &mut s, "creche_enrolment");
    assert_eq!(error_code(&e), Some("button_not_offered"));
}

#[test]
fn the_chat_api_s_global_restart_press_starts_over() {
    let bot = sample();
    let mut s = bot.new_session(Some(Lang::Fr), 0);
    for t in ["Je voudrais une place en crèche pour ma fille", "Léa"] {
        text(&bot, &mut s, t);
    }
    assert!(!s.stack.is_empty(), "in the crèche form");
    let e = press(&bot, &mut s, "restart");
    assert!(error_code(&e).is_none(), "a global press: {e:#?}");
    assert_eq!(s.stack.last().map(|f| f.flow.as_str()), Some("start_over"));
    // start_over asks first; its own yes button was just offered.
    let e = press(&bot, &mut s, "yes");
    assert!(error_code(&e).is_none(), "{e:#?}");
    // The form starts again from its first question, its answers erased.
    assert_eq!(s.stack.len(), 1, "{:?}", s.stack);
    assert_eq!(s.stack[0].flow, "creche_enrolment");
    assert!(s.stack[0].vars.is_empty(), "{:?}", s.stack[0].vars);
}
