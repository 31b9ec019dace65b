use super::Repl;
use chrono::{NaiveDate, NaiveDateTime};
use guichet::{Bot, Lang};
use std::cell::RefCell;
use std::rc::Rc;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 4, 14)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

const BOT: &str = r#"
bot "Commune de Test"
  languages fr, en
  default fr
  start hello
end

action create_request(kind: text, child_first_name?: text, start_date?: date) -> (reference: text)
action send_sms(phone: text) -> (sent: yesno)

flow hello
  say
    fr: "Bonjour ! Que puis-je faire ?"
    en: "Hello! What can I do?"
    button enrol fr: "Crèche" en: "Daycare"
    button sms fr: "SMS" en: "Text message"
    link "https://www.example.be" fr: "Notre site" en: "Our website"
end

flow enrol
  triggers
    fr: "inscrire enfant crèche"
    en: "enrol child daycare"
  form
    slot child_first_name: text
      label fr: "prénom" en: "first name"
      ask fr: "Prénom de l'enfant ?" en: "Child's first name?"
    slot start_date: date
      label fr: "date de début" en: "start date"
      prefer future
      ask fr: "À partir de quand ?" en: "From when?"
    confirm
      fr: "{child_first_name} à partir du {start_date}. C'est correct ?"
      en: "{child_first_name} from {start_date}. Is that right?"
  end
  do create_request(kind: "creche_enrolment", child_first_name, start_date) as request
    ok
      say fr: "Référence {request.reference}." en: "Reference {request.reference}."
    failed
      say fr: "Le service ne répond pas." en: "The service is down."
  end
end

flow sms
  triggers
    fr: "envoyer sms"
    en: "send text"
  do send_sms(phone: "+3227737373") as r
    ok
      say fr: "Envoyé." en: "Sent."
    failed
      say fr: "Pas envoyé : {r.error}." en: "Not sent: {r.error}."
  end
end
"#;

/// A REPL whose `/reload` reads `source` as it is at that moment.
fn repl_with(source: Rc<RefCell<String>>) -> Repl {
    let bot =
        Bot::from_sources(&[("bot.flow", &source.borrow())]).unwrap_or_else(|e| panic!("{e}"));
    let loader = Box::new(move || Bot::from_sources(&[("bot.flow", &source.borrow())]));
    Repl::new(bot, loader, Some(Lang::Fr), 0, Some(now()))
}

fn repl() -> Repl {
    repl_with(Rc::new(RefCell::new(BOT.to_string())))
}

fn started() -> Repl {
    let mut r = repl();
    r.start();
    r
}

#[test]
fn the_start_event_greets_with_numbered_buttons_and_links() {
    let mut r = repl();
    assert!(r.banner().contains("Commune de Test"));
    assert!(r.banner().contains("fr, en"));
    let out = r.start().plain();
    assert!(out.contains("bot: Bonjour ! Que puis-je faire ?"), "{out}");
    assert!(out.contains("[1] Crèche  [2] SMS"), "{out}");
    assert!(out.contains("Notre site: https://www.example.be"), "{out}");
    assert_eq!(r.prompt(), "fr> ");
}

#[test]
fn a_number_presses_the_button_and_the_prompt_shows_the_slot() {
    let mut r = started();
    let out = r.handle_line("1");
    assert!(out.contains("→ [1] Crèche"), "{out}");
    assert!(out.contains("Prénom de l'enfant ?"), "{out}");
    assert_eq!(r.prompt(), "fr enrol/child_first_name (text)> ");
    // No buttons now: a number is the citizen's text.
    let out = r.handle_line("3");
    assert!(out.contains("À partir de quand ?"), "{out}");
    assert_eq!(r.prompt(), "fr enrol/start_date (date)> ");
}

#[test]
fn auto_mode_answers_the_sample_actions() {
    let mut r = started();
    r.handle_line("/flow enrol");
    r.handle_line("Tom");
    let out = r.handle_line("1 septembre 2025");
    assert!(out.contains("C'est correct ?"), "{out}");
    assert_eq!(r.prompt(), "fr enrol (confirm)> ");
    let out = r.handle_line("1");
    assert!(out.contains("→ [1] Oui"), "{out}");
    assert!(out.contains("action a"), "{out}");
    assert!(out.contains("CR-2025-0001"), "{out}");
    assert!(out.contains("Référence CR-2025-0001."), "{out}");
    assert_eq!(r.prompt(), "fr> ");
    let json = r.handle_line("/json");
    assert!(json.lines().all(|l| l.starts_with("{\"type\":")), "{json}");
    assert!(json.contains("\"type\":\"action\""), "{json}");
    assert!(json.lines().last().unwrap().contains("turn_end"), "{json}");
}

#[test]
fn unknown_actions_stay_pending_until_answered() {
    let mut r = started();
    let out = r.handle_line("2");
    assert!(out.contains("does not know the action `send_sms`"), "{out}");
    assert!(out.contains("/answer ok"), "{out}");
    assert!(r.prompt().contains("(action a"), "{}", r.prompt());
    assert!(r.handle_line("/answer ok {bad").contains("not valid JSON"));
    let out = r.handle_line("/answer fail réseau coupé");
    assert!(out.contains("Pas envoyé : réseau coupé."), "{out}");
    assert!(r.handle_line("/answer ok").contains("no action is waiting"));
}

#[test]
fn manual_mode_leaves_every_action_to_staff() {
    let mut r = started();
    r.handle_line("/actions manual");
    r.handle_line("/flow enrol");
    r.handle_line("Tom");
    r.handle_line("1 septembre 2025");
    let out = r.handle_line("/b yes");
    assert!(out.contains("create_request"), "{out}");
    assert!(!out.contains("Référence"), "{out}");
    let out = r.handle_line(r#"/answer ok {"reference": "CR-X"}"#);
    assert!(out.contains("Référence CR-X."), "{out}");
}

#[test]
fn slots_vars_and_set() {
    let mut r = started();
    assert!(r.handle_line("/slots").contains("no flow in progress"));
    r.handle_line("/flow enrol");
    r.handle_line("Tom");
    let out = r.handle_line("/slots");
    assert!(out.contains("child_first_name (text) = Tom"), "{out}");
    assert!(out.contains("start_date (date) = —  ← asked"), "{out}");
    let out = r.handle_line("/vars");
    assert!(out.contains("#0 enrol"), "{out}");
    assert!(out.contains("child_first_name = Tom"), "{out}");
    let out = r.handle_line("/set child_first_name Léa");
    assert!(out.contains("child_first_name = Léa"), "{out}");
    assert!(r.handle_line("/set nope 3").contains("not a slot of enrol"));
    // The asked slot goes through the form, as the citizen's answer.
    let out = r.handle_line("/set start_date 1 septembre 2025");
    assert!(out.contains("Léa à partir du"), "{out}");
}

#[test]
fn lang_switches_and_asks_again() {
    let mut r = started();
    r.handle_line("/flow enrol");
    let out = r.handle_line("/lang en");
    assert!(out.contains("language: en"), "{out}");
    assert!(out.contains("Child's first name?"), "{out}");
    assert_eq!(r.prompt(), "en enrol/child_first_name (text)> ");
    assert!(r.handle_line("/lang nl").contains("this bot speaks fr, en"));
}

#[test]
fn save_and_load_round_trip() {
    let dir = std::env::temp_dir().join(format!("guichet-repl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("s.json");
    let file = file.to_str().unwrap();
    let mut r = started();
    r.handle_line("/flow enrol");
    r.handle_line("Tom");
    let saved_prompt = r.prompt();
    assert!(r.handle_line(&format!("/save {file}")).contains("saved"));
    r.handle_line("/restart");
    assert_eq!(r.prompt(), "fr> ");
    let out = r.handle_line(&format!("/load {file}"));
    assert!(out.contains("À partir de quand ?"), "{out}");
    assert_eq!(r.prompt(), saved_prompt);
    assert!(r.handle_line("/slots").contains("= Tom"));
    assert!(r
        .handle_line(&format!("/load {file}.missing"))
        .contains("error"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn reload_keeps_the_session_and_keeps_the_old_bot_on_errors() {
    let source = Rc::new(RefCell::new(BOT.to_string()));
    let mut r = repl_with(source.clone());
    r.start();
    r.handle_line("/flow enrol");
    r.handle_line("Tom");
    *source.borrow_mut() = BOT.replace("À partir de quand ?", "Dès quand ?");
    let out = r.handle_line("/reload");
    assert!(out.contains("the conversation continues"), "{out}");
    assert_eq!(r.prompt(), "fr enrol/start_date (date)> ");
    assert!(r.handle_line("/slots").contains("= Tom"));

    *source.borrow_mut() = BOT.replace("flow enrol", "flow enrol oops");
    let out = r.handle_line("/reload");
    assert!(out.contains("the previous version stays loaded"), "{out}");
    assert!(out.contains("bot.flow:"), "{out}");
    assert_eq!(r.prompt(), "fr enrol/start_date (date)> ");

    // An answered slot changes type: the citizen is told; it will be asked again.
    *source.borrow_mut() =
        BOT.replace("slot child_first_name: text", "slot child_first_name: name");
    let out = r.handle_line("/reload");
    assert!(
        out.contains("goes on from where the edited bot allows"),
        "{out}"
    );
    assert!(out.contains("mis à jour"), "{out}");
    assert_eq!(r.prompt(), "fr enrol/start_date (date)> ");
    assert!(!r.handle_line("/slots").contains("= Tom"));
    r.handle_line("le 1er septembre 2025");
    assert_eq!(r.prompt(), "fr enrol/child_first_name (name)> ");
    r.handle_line("Tom");
    *source.borrow_mut() = BOT.replace("À partir de quand ?", "Dès quand ?");
    r.handle_line("/reload");

    // A bot without the flow in progress: the conversation starts over.
    *source.borrow_mut() = BOT
        .replace("flow enrol\n", "flow enrolment\n")
        .replace("button enrol", "button enrolment");
    let out = r.handle_line("/reload");
    assert!(out.contains("starts over"), "{out}");
    assert!(out.contains("Bonjour !"), "{out}");
    assert_eq!(r.prompt(), "fr> ");
}

#[test]
fn trace_why_now_and_errors() {
    let mut r = started();
    let out = r.handle_line("/trace on");
    assert!(out.contains("trace on"));
    let out = r.handle_line("je veux inscrire mon enfant à la crèche");
    assert!(out.contains("trace:"), "{out}");
    assert!(out.contains("trigger"), "{out}");
    assert!(r.handle_line("/why").contains("trigger"));
    assert!(r.handle_line("/now").contains("2025-04-14 10:00"));
    assert!(r
        .handle_line("/now 2026-01-02T08:30")
        .contains("2026-01-02 08:30"));
    assert!(r.handle_line("/now demain").contains("not a date"));
    assert!(r.handle_line("/flow nope").contains("no flow `nope`"));
    assert!(r.handle_line("/frobnicate").contains("unknown command"));
    let help = r.handle_line("/help");
    for (name, _, _) in super::commands::COMMANDS {
        assert!(help.contains(name), "{name} missing from /help");
    }
    r.handle_line("/quit");
    assert!(r.quit_requested());
}

#[test]
fn restart_and_start_greet_again() {
    let mut r = started();
    r.handle_line("/flow enrol");
    let out = r.handle_line("/restart");
    assert!(out.contains("new session"), "{out}");
    assert!(out.contains("Bonjour !"), "{out}");
    assert_eq!(r.prompt(), "fr> ");
    assert!(r.handle_line("/start").contains("Bonjour !"));
}
