//! The interpreter understanding citizens as they write, on small bots of
//! its own: negated values, corrections that name a slot, values with a
//! shape, a broad trigger's caution, follow-ups, dates asked back,
//! languages a citizen does not speak, one fallback message.

use chrono::{NaiveDate, NaiveDateTime};
use guichet::runtime::Expecting;
use guichet::{Bot, Event, Input, Session};

/// Tuesday 15 April 2025, 10:00.
fn tuesday() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 4, 15)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

const BOT: &str = r#"
bot "Commune de Testville"
  languages fr, en
  default fr
  fallback not_understood
end

pattern reference "CR-dddd-dddd"

action lookup(reference: reference) -> (status: text)

faq opening_hours
  label fr: "Horaires de la maison communale" en: "Town hall opening hours"
  triggers
    fr: "horaires *"
    en: "opening hours *"
  answer
    fr: "La maison communale est ouverte du lundi au vendredi."
    en: "The town hall is open Monday to Friday."
end

faq contact
  triggers
    fr: "téléphone *"
    en: "phone number *"
  answer
    fr: "02 123 45 67."
    en: "02 123 45 67."
end

flow not_understood
  say
    fr: "Je n'ai pas compris."
    en: "I did not understand."
    button talk fr: "Parler à quelqu'un" en: "Talk to a person"
end

flow talk
  label fr: "Parler à quelqu'un" en: "Talk to a person"
  triggers
    fr: "parler à quelqu'un"
    en: "talk to someone"
  handoff asked
end

flow collection
  label fr: "Collecte" en: "Collection"
  triggers
    fr: "collecte des déchets *", "poubelles *", "calendrier des collectes"
    en: "waste collection *", "bins *"
  form
    slot day: date
      label fr: "jour" en: "day"
      prefer future
      ask fr: "Quel jour ?" en: "Which day?"
  end
  say
    fr: "Collecte le {format_long(day)}."
    en: "Collection on {format_long(day)}."
end

flow enrol
  label fr: "Inscription" en: "Enrolment"
  triggers
    fr: "inscription crèche", "inscrire crèche"
    en: "daycare enrolment", "enrol daycare"
  form
    slot first_name: name
      label fr: "prénom" en: "first name"
      ask fr: "Prénom ?" en: "First name?"
    slot birth: date
      label fr: "date de naissance" en: "birth date"
      prefer past
      ask fr: "Date de naissance ?" en: "Birth date?"
    slot start: date
      label fr: "date de début" en: "start date"
      prefer future
      ask fr: "Date de début ?" en: "Start date?"
  end
  do lookup(reference: "CR-2025-0001") as done
    ok
      say fr: "Fait." en: "Done."
    failed
      say fr: "Raté." en: "Failed."
  end
end

flow status
  label fr: "Suivi" en: "Status"
  triggers
    fr: "où en est ma demande *"
    en: "where is my request *"
  form
    slot ref: reference
      ask fr: "Référence ?" en: "Reference?"
  end
  say
    fr: "Référence {ref}."
    en: "Reference {ref}."
end
"#;

fn bot() -> Bot {
    Bot::from_sources(&[("bot.flow", BOT)]).unwrap_or_else(|e| panic!("{e}"))
}

struct Chat {
    bot: Bot,
    session: Session,
}

impl Chat {
    fn new(lang: &str) -> Chat {
        let bot = bot();
        let session = bot.new_session(lang.parse().ok(), 0);
        Chat { bot, session }
    }

    fn say(&mut self, text: &str) -> (Vec<Event>, Vec<String>) {
        let out = self
            .bot
            .turn_traced(&mut self.session, Input::text(text), tuesday());
        (out.events, out.trace)
    }

    fn press(&mut self, payload: &str) -> Vec<Event> {
        self.bot
            .turn(&mut self.session, Input::Button(payload.into()), tuesday())
    }
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

fn buttons(events: &[Event]) -> Vec<(String, String)> {
    events
        .iter()
        .flat_map(|e| match e {
            Event::Say { buttons, .. } => buttons
                .iter()
                .map(|b| (b.label.clone(), b.payload.clone()))
                .collect(),
            _ => vec![],
        })
        .collect()
}

fn turn_end(
    events: &[Event],
) -> (
    Option<Expecting>,
    serde_json::Map<String, serde_json::Value>,
) {
    events
        .iter()
        .find_map(|e| match e {
            Event::TurnEnd {
                expecting, slots, ..
            } => Some((expecting.clone(), slots.clone())),
            _ => None,
        })
        .expect("a turn_end")
}

fn slot(events: &[Event], name: &str) -> Option<String> {
    turn_end(events)
        .1
        .get(name)
        .and_then(|v| v.as_str().map(str::to_string))
}

fn asked(events: &[Event]) -> Option<String> {
    match turn_end(events).0 {
        Some(Expecting::Slot { name, .. }) => Some(name),
        _ => None,
    }
}

/// Starts the enrolment and answers up to the start date.
fn enrolled_to_start_date(chat: &mut Chat) {
    chat.say("inscription crèche");
    chat.say("Tom");
    let (events, _) = chat.say("4 avril 2024");
    assert_eq!(asked(&events).as_deref(), Some("start"));
}

#[test]
fn a_negated_value_never_fills_a_slot() {
    let mut chat = Chat::new("fr");
    chat.say("inscription crèche");
    chat.say("Tom");
    let (events, _) = chat.say("le 5 avril 2024 non pas le 4");
    assert_eq!(slot(&events, "birth").as_deref(), Some("2024-04-05"));
    // A negated value alone is no answer.
    let (events, _) = chat.say("pas le 1er septembre");
    assert_eq!(asked(&events).as_deref(), Some("start"));
    assert_eq!(slot(&events, "start"), None);
}

#[test]
fn a_slot_named_while_another_is_asked_is_corrected_there() {
    let mut chat = Chat::new("fr");
    enrolled_to_start_date(&mut chat);
    let (events, trace) = chat.say("attendez, la date de naissance c'est le 6 avril 2024");
    assert_eq!(slot(&events, "birth").as_deref(), Some("2024-04-06"));
    assert_eq!(
        asked(&events).as_deref(),
        Some("start"),
        "the question stays"
    );
    assert_eq!(slot(&events, "start"), None);
    assert!(texts(&events).iter().any(|t| t.contains("noté")));
    assert!(
        trace.iter().any(|l| l.contains("correction: birth")),
        "{trace:?}"
    );
}

#[test]
fn a_negated_value_names_the_slot_that_holds_it_and_reads_near_it() {
    let mut chat = Chat::new("fr");
    enrolled_to_start_date(&mut chat);
    // "le 5" is read as the 5th near the 4th of April 2024, not next month.
    let (events, trace) = chat.say("ah non pardon c'est le 5 pas le 4");
    assert_eq!(slot(&events, "birth").as_deref(), Some("2024-04-05"));
    assert_eq!(asked(&events).as_deref(), Some("start"));
    assert!(trace.iter().any(|l| l.contains("negated")), "{trace:?}");
    // In English, with the first name.
    let mut chat = Chat::new("en");
    chat.say("daycare enrolment");
    chat.say("Tom");
    let (events, _) = chat.say("sorry, his first name is Theo not Tom");
    assert_eq!(slot(&events, "first_name").as_deref(), Some("Theo"));
    assert_eq!(asked(&events).as_deref(), Some("birth"));
}

#[test]
fn a_value_with_a_shape_is_found_in_the_opening_message() {
    let mut chat = Chat::new("fr");
    let (events, _) = chat.say("bonjour, où en est ma demande cr 2025 0042 svp ?");
    assert!(texts(&events)
        .iter()
        .any(|t| t == "Référence CR-2025-0042."));
    let mut chat = Chat::new("en");
    chat.say("where is my request");
    let (events, _) = chat.say("I don't have it");
    assert_eq!(
        asked(&events).as_deref(),
        Some("ref"),
        "no reference: asked again"
    );
    let (events, _) = chat.say("it's cr-2025-0150 I think");
    assert!(texts(&events)
        .iter()
        .any(|t| t == "Reference CR-2025-0150."));
}

#[test]
fn a_value_of_a_shape_only_one_flow_asks_for_starts_it() {
    // No trigger matches, but only `status` asks for a reference.
    let mut chat = Chat::new("en");
    let (events, trace) = chat.say("hello, any news? cr 2025 0099");
    assert!(
        texts(&events)
            .iter()
            .any(|t| t == "Reference CR-2025-0099."),
        "{events:?}\n{trace:?}"
    );
    assert!(trace.iter().any(|l| l.starts_with("shape:")), "{trace:?}");
    // Without a whole value of the shape, the fallback as before.
    let mut chat = Chat::new("en");
    let (events, trace) = chat.say("hello, any news? cr 2025");
    assert_eq!(asked(&events), None, "{trace:?}");
    assert!(!trace.iter().any(|l| l.starts_with("shape:")), "{trace:?}");
    // Mid-form, a value of the shape is no way out of the question.
    let mut chat = Chat::new("fr");
    chat.say("inscription crèche");
    let (events, _) = chat.say("CR-2025-0099");
    assert_eq!(asked(&events).as_deref(), Some("first_name"));
    // When two flows ask for that shape, the value alone cannot say which.
    let two = format!(
        "{BOT}\nflow withdraw\n  triggers\n    en: \"withdraw my request *\"\n  form\n    slot which: reference\n      ask en: \"Which one?\"\n  end\n  say en: \"Withdrawn {{which}}.\"\nend\n"
    );
    let bot = Bot::from_sources(&[("bot.flow", two.as_str())]).unwrap_or_else(|e| panic!("{e}"));
    let mut session = bot.new_session(Some("en".parse().unwrap()), 0);
    let out = bot.turn_traced(
        &mut session,
        Input::text("any news? CR-2025-0099"),
        tuesday(),
    );
    assert_eq!(
        texts(&out.events),
        vec!["I did not understand."],
        "{:?}",
        out.trace
    );
    let out = bot.turn_traced(
        &mut session,
        Input::text("withdraw my request CR-2025-0099"),
        tuesday(),
    );
    assert_eq!(texts(&out.events), vec!["Withdrawn CR-2025-0099."]);
}

#[test]
fn a_broad_trigger_does_not_answer_what_it_was_not_asked() {
    let mut chat = Chat::new("fr");
    let (events, trace) = chat.say("c'est quoi les horaires de la piscine le samedi ?");
    assert!(
        !texts(&events)
            .iter()
            .any(|t| t.contains("lundi au vendredi")),
        "{events:?}"
    );
    assert_eq!(
        buttons(&events),
        [
            (
                "Horaires de la maison communale".to_string(),
                "opening_hours".to_string()
            ),
            ("Parler à quelqu'un".to_string(), "talk".to_string())
        ]
    );
    assert!(
        trace
            .iter()
            .any(|l| l.contains("not about opening_hours") && l.contains("\"piscine\"")),
        "{trace:?}"
    );
    // Words of its answer, the bot's name, dates and small words are its own.
    let (events, _) = chat.say("horaires de la maison communale de Testville mardi svp");
    assert!(texts(&events)
        .iter()
        .any(|t| t.contains("lundi au vendredi")));
    // An entry without a label has no topic to offer: its wildcard answers.
    let (events, _) = chat.say("téléphone de la piscine");
    assert_eq!(texts(&events), ["02 123 45 67."]);
}

#[test]
fn a_follow_up_asks_the_last_answer_again_with_another_value() {
    let mut chat = Chat::new("fr");
    let (events, _) = chat.say("poubelles demain ?");
    assert!(texts(&events)
        .iter()
        .any(|t| t.contains("mercredi 16 avril 2025")));
    let (events, trace) = chat.say("Et à Noël ?");
    assert!(
        texts(&events)
            .iter()
            .any(|t| t.contains("jeudi 25 décembre 2025")),
        "{events:?}"
    );
    assert!(trace.iter().any(|l| l.contains("follow-up to collection")));
    // Something the flow is not about is no follow-up.
    let (events, _) = chat.say("et la piscine lundi ?");
    assert!(!texts(&events).iter().any(|t| t.contains("Collecte le")));
    // Too late: the conversation has moved on.
    for _ in 0..5 {
        chat.say("bla");
    }
    let (events, _) = chat.say("et vendredi ?");
    assert!(!texts(&events).iter().any(|t| t.contains("Collecte le")));
}

#[test]
fn a_flow_that_acts_is_never_run_again_by_a_follow_up() {
    let mut chat = Chat::new("fr");
    enrolled_to_start_date(&mut chat);
    chat.say("1er septembre");
    let events = chat.bot.turn(
        &mut chat.session,
        Input::ActionResult(guichet::runtime::ActionResult {
            id: "a1".into(),
            ok: true,
            value: Some(serde_json::json!({"status": "ok"})),
            error: None,
        }),
        tuesday(),
    );
    assert!(texts(&events).iter().any(|t| t == "Fait."));
    assert!(chat.session.last_answer.is_none());
    let (events, _) = chat.say("et le 2 septembre ?");
    assert!(!events.iter().any(|e| matches!(e, Event::Action { .. })));
}

#[test]
fn a_date_read_two_ways_is_asked_back() {
    let mut chat = Chat::new("fr");
    let (events, trace) = chat.say("poubelles mercredi prochain");
    assert_eq!(asked(&events).as_deref(), Some("day"));
    assert_eq!(
        buttons(&events),
        [
            (
                "mercredi 16 avril 2025".to_string(),
                "2025-04-16".to_string()
            ),
            (
                "mercredi 23 avril 2025".to_string(),
                "2025-04-23".to_string()
            )
        ]
    );
    assert!(trace.iter().any(|l| l.contains("asked back")), "{trace:?}");
    let events = chat.press("2025-04-23");
    assert!(texts(&events)
        .iter()
        .any(|t| t.contains("mercredi 23 avril 2025")));
}

#[test]
fn a_bare_weekday_that_is_today_is_asked_back() {
    // Said on a Tuesday: next week's is read first, today's still offered.
    let mut chat = Chat::new("fr");
    let (events, _) = chat.say("poubelles mardi");
    assert_eq!(asked(&events).as_deref(), Some("day"));
    let dates: Vec<String> = buttons(&events).into_iter().map(|(_, d)| d).collect();
    assert_eq!(dates, ["2025-04-15", "2025-04-22"]);
}

#[test]
fn a_language_the_citizen_does_not_speak_is_left() {
    let mut chat = Chat::new("fr");
    let (events, _) = chat.say("Hi, sorry I don't speak French. Where is my request CR-2025-0007?");
    assert!(texts(&events)
        .iter()
        .any(|t| t == "Reference CR-2025-0007."));
    assert_eq!(chat.session.lang, guichet::Lang::En);
}

#[test]
fn suggestions_come_in_one_message_with_the_fallbacks_buttons() {
    let mut chat = Chat::new("fr");
    let (events, _) = chat.say("la collecte");
    // "collecte" is the collection's own word: it starts it.
    assert_eq!(asked(&events).as_deref(), Some("day"));
    let mut chat = Chat::new("fr");
    let (events, _) = chat.say("les déchets verts");
    let said = texts(&events);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(!said[0].contains("Je n'ai pas compris"), "{said:?}");
    assert_eq!(
        buttons(&events),
        [
            ("Collecte".to_string(), "collection".to_string()),
            ("Parler à quelqu'un".to_string(), "talk".to_string())
        ]
    );
    // Small words suggest nothing: the fallback alone.
    let (events, _) = chat.say("et à la fin ?");
    assert_eq!(texts(&events), ["Je n'ai pas compris."]);
}
