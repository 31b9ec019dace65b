//! Properties over arbitrary input: nothing a flow author or a citizen
//! writes makes guichet panic, and sessions always survive a JSON round trip.

use chrono::NaiveDate;
use guichet::load::{self, SourceFile};
use guichet::{Bot, Event, Input};
use proptest::prelude::*;

const BOT: &str = r#"
bot "Props"
  languages fr, nl, en
  default fr
end

action create_request(kind: text, day?: date, amount?: money) -> (reference: text)

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
  do create_request(kind: "order", day, amount) as r
    ok
      say fr: "{r.reference}" nl: "{r.reference}" en: "{r.reference}"
  end
end
"#;

fn inputs() -> impl Strategy<Value = Input> {
    prop_oneof![
        4 => prop_oneof![
            Just("commander".to_string()),
            Just("bestellen".to_string()),
            Just("grand".to_string()),
            Just("demain".to_string()),
            Just("le 3 mai 2030".to_string()),
            Just("12,50 €".to_string()),
            Just("oui".to_string()),
            Just("non, la date c'est demain".to_string()),
            Just("horaires".to_string()),
            Just("passer".to_string()),
            ".{0,40}",
            "\\PC{0,20}",
            // Control characters, right-to-left marks, combining marks.
            "[\\x00-\\x1f\\u{200f}\\u{202e}\\u{0301}a-z ]{0,30}",
        ]
        .prop_map(Input::Text),
        1 => prop_oneof![Just("yes"), Just("no"), Just("small"), Just("skip"), Just("hours"), Just("day")]
            .prop_map(|b| Input::Button(b.to_string())),
        1 => (1u32..4, any::<bool>()).prop_map(|(n, ok)| Input::ActionResult(guichet::runtime::ActionResult {
            id: format!("a{n}"),
            ok,
            value: Some(serde_json::json!({"reference": "R"})),
            error: None,
        })),
        1 => Just(Input::Start),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_parser_and_loader_never_panic(text in "\\PC{0,300}") {
        let _ = load::parse(&[SourceFile { name: "x.flow".into(), text }]);
    }

    #[test]
    fn the_parser_never_panics_on_near_valid_flows(cut in 0usize..BOT.len(), junk in "[a-z\"{}():,#\\n ]{0,12}") {
        let mut text = BOT.to_string();
        let at = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        text.insert_str(at, &junk);
        let files = [SourceFile { name: "x.flow".into(), text }];
        let _ = guichet::bot::check_files(&files);
        let _ = Bot::from_files(&files);
    }

    #[test]
    fn no_input_sequence_panics_and_every_turn_round_trips(seq in proptest::collection::vec(inputs(), 1..12)) {
        let bot = Bot::from_sources(&[("bot.flow", BOT)]).unwrap();
        let now = NaiveDate::from_ymd_opt(2025, 4, 14).unwrap().and_hms_opt(10, 0, 0).unwrap();
        let mut session = bot.new_session(None, 1);
        for input in seq {
            let events = bot.turn(&mut session, input, now);
            let ends = events.iter().filter(|e| matches!(e, Event::TurnEnd { .. })).count();
            prop_assert_eq!(ends, 1);
            let ends_last = matches!(events.last(), Some(Event::TurnEnd { .. }));
            prop_assert!(ends_last, "the last event is turn_end");
            let ran_out = events.iter().any(|e| matches!(e, Event::Error { code, .. } if code == "out_of_fuel"));
            prop_assert!(!ran_out, "no turn exceeds its budget");
            let json = serde_json::to_string(&session).unwrap();
            let back = bot.restore(&json).unwrap();
            prop_assert!(!back.restarted);
            prop_assert_eq!(&back.session, &session);
        }
    }
}

/// One level of nesting: a block around the statements, or a bracket
/// around the expression.
#[derive(Debug, Clone, Copy)]
enum Level {
    If,
    Match,
    DoOk,
    Paren,
    List,
    Call,
    Not,
    Interp,
}

fn levels() -> impl Strategy<Value = Vec<Level>> {
    let level = prop_oneof![
        Just(Level::If),
        Just(Level::Match),
        Just(Level::DoOk),
        Just(Level::Paren),
        Just(Level::List),
        Just(Level::Call),
        Just(Level::Not),
        Just(Level::Interp),
    ];
    // Mostly shallow, sometimes far past the limits.
    prop_oneof![
        proptest::collection::vec(level.clone(), 0..20),
        proptest::collection::vec(level, 0..3_000),
    ]
}

/// A bot whose one flow nests `levels`: blocks outside, then brackets.
fn nested_bot(levels: &[Level]) -> (String, usize, usize) {
    let mut open = String::new();
    let mut close = Vec::new();
    let mut expr = String::from("1");
    let (mut blocks, mut brackets) = (1, 0);
    for level in levels {
        match level {
            Level::If => {
                blocks += 1;
                open.push_str("if 1 > 0\n");
                close.push("end\n");
            }
            Level::Match => {
                blocks += 1;
                open.push_str("match 1\ncase 1\n");
                close.push("end\n");
            }
            Level::DoOk => {
                blocks += 1;
                open.push_str("do act()\nok\n");
                close.push("end\n");
            }
            Level::Paren => {
                brackets += 1;
                expr = format!("({expr})");
            }
            Level::List => {
                brackets += 1;
                expr = format!("length([{expr}])");
            }
            Level::Call => {
                brackets += 1;
                expr = format!("max({expr}, 1)");
            }
            Level::Not => expr = format!("- {expr}"),
            Level::Interp => {
                brackets += 1;
                expr = format!("length(\"{{{expr}}}\")");
            }
        }
    }
    close.reverse();
    let text = format!(
        "bot \"Deep\"\n  languages fr\nend\n\naction act()\n\nflow deep\n  triggers fr: \"go\"\n{open}set x = {expr}\nsay fr: \"{{x}}\"\n{}end\n",
        close.concat()
    );
    (text, blocks, brackets)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Deep nesting of every kind is checked, formatted and loaded on a
    /// 2 MiB stack: within the limits it works, far past them it is a
    /// `too-deep` error, never a crash.
    #[test]
    fn nesting_never_crashes(levels in levels()) {
        let (text, blocks, brackets) = nested_bot(&levels);
        let codes = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let files = [SourceFile { name: "deep.flow".into(), text: text.clone() }];
                let (_, diags) = guichet::bot::check_files(&files);
                let _ = guichet::syntax::format_source(&text);
                if let Ok(bot) = Bot::from_files(&files) {
                    let now = NaiveDate::from_ymd_opt(2025, 4, 14).unwrap().and_hms_opt(10, 0, 0).unwrap();
                    let mut session = bot.new_session(None, 1);
                    let _ = bot.turn(&mut session, Input::text("go"), now);
                }
                diags.iter().map(|d| d.code).collect::<Vec<_>>()
            })
            .expect("a thread")
            .join();
        prop_assert!(codes.is_ok(), "the check panicked");
        let codes = codes.unwrap();
        let deep = codes.contains(&"too-deep");
        if blocks > guichet::syntax::blocks::MAX_BLOCK_DEPTH
            || brackets + 1 > guichet::syntax::blocks::MAX_EXPR_DEPTH
        {
            prop_assert!(deep, "{blocks} blocks, {brackets} brackets: {codes:?}");
        }
        if blocks < 30 && levels.len() < 30 {
            prop_assert!(!deep, "{codes:?}");
        }
    }
}
