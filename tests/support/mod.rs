//! Shared by the tests that edit a bot under live conversations: a
//! stand-in citizen and host that answer whatever the bot asks, and the
//! invariants every turn must keep. The edits themselves are
//! `guichet::fuzz_checks::edits`, which the `turn` fuzz target uses too.

#![allow(dead_code, unused_imports)]

pub use guichet::fuzz_checks::check_actions;
pub use guichet::fuzz_checks::edits::{edits_of_flow, Edit};
use guichet::runtime::{ActionResult, Expecting};
use guichet::{Bot, Event, Input, Lang, Session};
use std::collections::BTreeMap;

pub fn now() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2025, 4, 14)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

/// What the stand-in citizen and host send next, given the last turn; `None`
/// when the bot waits for nothing.
pub fn plausible_answer(bot: &Bot, events: &[Event], lang: Lang) -> Option<Input> {
    let expecting = match events.last() {
        Some(Event::TurnEnd { expecting, .. }) => expecting.clone()?,
        _ => return None,
    };
    let offered: Vec<&str> = events
        .iter()
        .flat_map(|e| match e {
            Event::Say { buttons, .. } => buttons.iter().map(|b| b.payload.as_str()).collect(),
            _ => vec![],
        })
        .collect();
    Some(match expecting {
        Expecting::Confirmation => Input::Button("yes".into()),
        Expecting::ActionResult { id } => Input::ActionResult(ActionResult {
            id,
            ok: true,
            value: Some(serde_json::json!({
                "reference": "RC-2025-0001",
                "status": "paid",
                "payment_id": "PAY-1",
                "updated": "2025-04-10"
            })),
            error: None,
        }),
        Expecting::Slot { name, ty } => match ty.as_str() {
            "yesno" => Input::Button("yes".into()),
            "date" if name.contains("birth") => Input::text("03/05/2024"),
            "date" => Input::text("01/09/2025"),
            "time" => Input::text("10:00"),
            "number" => Input::text("2"),
            "money" => Input::text("15 EUR"),
            "email" => Input::text("tom@example.be"),
            "phone" => Input::text("0470 12 34 56"),
            "iban" => Input::text("BE68 5390 0754 7034"),
            "national_number" => Input::text("85.07.30-033.61"),
            "structured_communication" => Input::text("+++126/3162/09057+++"),
            "postal_code" => Input::text("1170"),
            "plate" => Input::text("1-ABC-234"),
            "name" => Input::text("Tom"),
            "text" => Input::text("CR-2025-0042"),
            _ => match offered.iter().find(|p| bot.program().flow(p).is_none()) {
                Some(p) => Input::Button(p.to_string()),
                None => Input::text(match lang {
                    Lang::Fr => "premier",
                    Lang::Nl => "eerste",
                    Lang::En => "first",
                }),
            },
        },
    })
}

/// Events a turn may end on.
pub fn turn_end(
    events: &[Event],
) -> Option<(Option<Expecting>, Option<guichet::runtime::BotChanged>)> {
    match events.last() {
        Some(Event::TurnEnd {
            expecting,
            bot_changed,
            ..
        }) => Some((expecting.clone(), *bot_changed)),
        _ => None,
    }
}

/// Plays the stand-in citizen and host for at most `turns` turns, checking
/// every turn. The first input, if given, is sent first.
pub fn continue_conversation(
    bot: &Bot,
    session: &mut Session,
    mut events: Vec<Event>,
    first: Option<Input>,
    turns: usize,
    stats: &mut BTreeMap<String, usize>,
) -> Result<(), String> {
    let mut next = first;
    for _ in 0..turns {
        let input = match next.take() {
            Some(i) => i,
            None => match plausible_answer(bot, &events, session.lang) {
                Some(i) => i,
                None => return Ok(()),
            },
        };
        events = bot.turn(session, input, now());
        check_actions(bot, &events)?;
        if turn_end(&events).is_none() {
            return Err("a turn without turn_end".into());
        }
        for e in &events {
            if let Event::Error { code, message } = e {
                *stats.entry(format!("error {code}")).or_default() += 1;
                if code == "runtime" || code == "out_of_fuel" {
                    return Err(format!("error {code}: {message}"));
                }
            }
        }
    }
    Ok(())
}
