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
