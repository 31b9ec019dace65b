//! Doing something again and again: a payment that fails fifteen times and
//! is retried each time, on the sample commune and on small bots, never
//! nests flows until the conversation is stuck.

use chrono::{NaiveDate, NaiveDateTime};
use guichet::runtime::{ActionResult, Expecting};
use guichet::{Bot, Event, Input, Lang, Session};

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 4, 14)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

fn sample() -> Bot {
    Bot::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/flows")).unwrap_or_else(|e| panic!("{e}"))
}

fn action(
    events: &[Event],
) -> Option<(String, String, serde_json::Map<String, serde_json::Value>)> {
    events.iter().find_map(|e| match e {
        Event::Action { id, name, args } => Some((id.clone(), name.clone(), args.clone())),
        _ => None,
    })
}

fn no_error(events: &[Event]) {
    assert!(
        !events.iter().any(|e| matches!(e, Event::Error { .. })),
        "{events:#?}"
    );
}

fn expecting(events: &[Event]) -> Option<Expecting> {
    match events.last() {
        Some(Event::TurnEnd { expecting, .. }) => expecting.clone(),
        _ => None,
    }
}

fn answer(bot: &Bot, s: &mut Session, id: &str, ok: bool, value: serde_json::Value) -> Vec<Event> {
    bot.turn(
        s,
        Input::ActionResult(ActionResult {
            id: id.to_string(),
            ok,
            value: Some(value),
            error: None,
        }),
        now(),
    )
}

#[test]
fn fifteen_failed_payments_then_yes_on_the_sample_commune() {
    let bot = sample();
    let mut s = bot.new_session(Some(Lang::Fr), 0);
    for text in ["carte de riverain", "1-ABC-234", "1170", "premier"] {
        no_error(&bot.turn(&mut s, Input::text(text), now()));
    }
    let mut events = bot.turn(&mut s, Input::Button("yes".into()), now());
    for round in 1..=15 {
        no_error(&events);
        let (id, name, args) = action(&events).expect("a payment is requested");
        assert_eq!(name, "request_payment", "round {round}");
        assert_eq!(args["plate"], "1-ABC-234", "round {round}: {args:?}");
        assert_eq!(args["amount"], "15.00", "round {round}: {args:?}");
        let failed = answer(
            &bot,
            &mut s,
            &id,
            true,
            serde_json::json!({"status": "failed", "payment_id": format!("PAY-{round}")}),
        );
        no_error(&failed);
        assert_eq!(
            expecting(&failed),
            Some(Expecting::Slot {
                name: "retry_payment".into(),
                ty: "yesno".into()
            }),
            "round {round}"
        );
        assert!(
            s.stack.len() <= 2,
            "round {round}: {} flows run inside each other",
            s.stack.len()
        );
        events = bot.turn(&mut s, Input::text("oui"), now());
    }
    no_error(&events);
    let (id, _, _) = action(&events).expect("the sixteenth payment is requested");
    let paid = answer(
        &bot,
        &mut s,
        &id,
        true,
        serde_json::json!({"status": "paid", "payment_id": "PAY-16"}),
    );
    let (id, name, args) = action(&paid).expect("the renewal is filed");
    assert_eq!(name, "create_request");
    assert_eq!(args["payment_id"], "PAY-16");
    let done = answer(
        &bot,
        &mut s,
        &id,
        true,
        serde_json::json!({"reference": "RC-1"}),
    );
    no_error(&done);
    assert!(format!("{done:?}").contains("RC-1"));
    assert!(s.stack.is_empty());
}

const SMALL: &str = r#"
bot "Fines"
  languages en
end

action take_payment(amount: money, reference: text) -> (status: text)

flow fine
  triggers en: "pay a fine"
  form
    slot reference: text
      ask en: "The fine's reference?"
  end
  call pay(amount: 50 EUR, reference: reference)
  say en: "Back in the fine flow."
end

flow pay(amount: money, reference: text)
  do take_payment(amount, reference) as payment
    ok
      if payment.status != "paid"
        form
          slot again: yesno
            ask en: "The payment failed. Try again?"
        end
        if again
          restart
        end
        say en: "Maybe later."
      else
        say en: "Paid {amount} for {reference}."
      end
    failed
      handoff payment_failed
  end
end
"#;

#[test]
fn fifteen_failed_payments_then_yes_on_a_small_bot_that_retries_with_restart() {
    let bot = Bot::from_sources(&[("bot.flow", SMALL)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(bot.warnings().is_empty(), "{:?}", bot.warnings());
    let mut s = bot.new_session(Some(Lang::En), 0);
    bot.turn(&mut s, Input::text("pay a fine"), now());
    let mut events = bot.turn(&mut s, Input::text("F-77"), now());
    for round in 1..=15 {
        no_error(&events);
        let (id, _, args) = action(&events).expect("a payment");
        assert_eq!(
            args["reference"], "F-77",
            "round {round}: the arguments survive `restart`"
        );
        assert_eq!(args["amount"], "50.00");
        no_error(&answer(
            &bot,
            &mut s,
            &id,
            true,
            serde_json::json!({"status": "failed"}),
        ));
        assert_eq!(s.stack.len(), 2, "round {round}");
        events = bot.turn(&mut s, Input::text("yes"), now());
    }
    let (id, _, _) = action(&events).expect("a payment");
    let done = answer(
        &bot,
        &mut s,
        &id,
        true,
        serde_json::json!({"status": "paid"}),
    );
    no_error(&done);
    let said = format!("{done:?}");
    assert!(
        said.contains("Paid 50,00 €") || said.contains("Paid €50.00"),
        "{said}"
    );
    assert!(said.contains("Back in the fine flow."), "{said}");
}

#[test]
fn the_same_retry_written_as_a_call_is_warned_about_and_stops_when_flows_nest_too_deep() {
    let recursive = SMALL.replace(
        "          restart\n",
        "          call pay(amount: amount, reference: reference)\n",
    );
    let bot = Bot::from_sources(&[("bot.flow", &recursive)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        bot.warnings().iter().any(|d| d.code == "recursive-call"),
        "{:?}",
        bot.warnings()
    );
    let mut s = bot.new_session(Some(Lang::En), 0);
    bot.turn(&mut s, Input::text("pay a fine"), now());
    let mut events = bot.turn(&mut s, Input::text("F-77"), now());
    let mut stuck = false;
    for _ in 0..20 {
        let Some((id, _, _)) = action(&events) else {
            stuck = true;
            break;
        };
        answer(
            &bot,
            &mut s,
            &id,
            true,
            serde_json::json!({"status": "failed"}),
        );
        events = bot.turn(&mut s, Input::text("yes"), now());
    }
    assert!(stuck, "nesting a flow per retry runs out of room");
    assert!(events.iter().any(|e| matches!(e, Event::Error { .. })));
}
