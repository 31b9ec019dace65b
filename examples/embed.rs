//! Embedding guichet in a host: load the sample commune's bot, keep one
//! session per conversation (here, in a HashMap; in production, in your
//! database as JSON), perform the actions the flows request, and print
//! what a chat widget would show.
//!
//! Run it with `cargo run --example embed`.

use guichet::runtime::ActionResult;
use guichet::{ActionOutcome, Actions, Bot, Event, Input, Session};
use std::collections::HashMap;

fn main() {
    // Load once at start-up: parsing, checking and compiling happen here.
    let bot = match Bot::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/flows")) {
        Ok(bot) => bot,
        Err(e) => {
            eprintln!("the bot has errors:\n{e}");
            std::process::exit(1);
        }
    };

    // How the host performs actions. An action answered later (a payment
    // confirmed by a webhook) returns `Later`, and the host sends an
    // `Input::ActionResult` when it knows.
    let counter = std::sync::Mutex::new(0);
    let actions = Actions::new()
        .on("create_request", move |_args| {
            let mut n = counter.lock().unwrap_or_else(|e| e.into_inner());
            *n += 1;
            ActionOutcome::Done(
                serde_json::json!({ "reference": format!("CR-2025-{:04}", 41 + *n) }),
            )
        })
        .on("request_payment", |_args| ActionOutcome::Later);

    // One session per conversation, stored as JSON between messages.
    let mut store: HashMap<String, String> = HashMap::new();
    let now = chrono::NaiveDate::from_ymd_opt(2025, 4, 14)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("a valid date");

    let conversation = "messenger:1234";
    for message in [
        "Bonjour",
        "Je voudrais inscrire ma fille à la crèche",
        "Louise",
        "Dupont",
    ] {
        let mut session: Session = match store.get(conversation) {
            Some(json) => bot
                .restore(json)
                .map(|r| r.session)
                .unwrap_or_else(|_| bot.new_session(None, 7)),
            None => bot.new_session(None, 7),
        };
        println!("citizen> {message}");
        for event in bot.turn_with(&mut session, Input::text(message), now, &actions) {
            show(&event);
        }
        store.insert(
            conversation.to_string(),
            serde_json::to_string(&session).expect("sessions serialise"),
        );
    }

    // A payment confirmed later by the payment provider's webhook:
    let mut session = bot.new_session(None, 7);
    let late = Input::ActionResult(ActionResult {
        id: "a1".into(),
        ok: true,
        value: Some(serde_json::json!({ "status": "paid", "payment_id": "PAY-1" })),
        error: None,
    });
    // Nobody waits for `a1` in this new session: the bot answers with an
    // error event and the session is unchanged.
    for event in bot.turn(&mut session, late, now) {
        show(&event);
    }
}

fn show(event: &Event) {
    match event {
        Event::Say { text, buttons, .. } => {
            println!("bot> {text}");
            for b in buttons {
                println!("     [{}] ({})", b.label, b.payload);
            }
        }
        Event::Action { name, args, .. } => println!(
            "host: perform {name} {}",
            serde_json::Value::Object(args.clone())
        ),
        Event::Handoff { reason, .. } => println!("host: hand over to staff ({reason})"),
        Event::Error { code, message } => println!("host: error {code}: {message}"),
        Event::End | Event::TurnEnd { .. } => {}
    }
}
