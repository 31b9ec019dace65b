//! Statistics records (`Bot::turn_recorded`) for scripted conversations
//! with the sample commune: what started, completed, was abandoned at
//! which step and why, refusals, re-prompts, corrections, hand-overs,
//! language switches and messages not understood; never a slot value.

use chrono::{NaiveDate, NaiveDateTime};
use guichet::runtime::records::{Abandon, Record, Refusal, StartedBy, Step, CONFIRMATION};
use guichet::runtime::ActionResult;
use guichet::{Bot, Input, Lang, Session};
use std::path::Path;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 4, 14)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

fn bot() -> Bot {
    Bot::from_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("flows")).unwrap()
}

struct Chat {
    bot: Bot,
    session: Session,
    all: Vec<Record>,
}

impl Chat {
    fn new(lang: Lang) -> Chat {
        let bot = bot();
        let session = bot.new_session(Some(lang), 7);
        Chat {
            bot,
            session,
            all: Vec::new(),
        }
    }

    fn turn(&mut self, input: Input) -> Vec<Record> {
        let out = self.bot.turn_recorded(&mut self.session, input, now());
        self.all.extend(out.records.clone());
        out.records
    }

    fn say(&mut self, text: &str) -> Vec<Record> {
        self.turn(Input::text(text))
    }

    fn press(&mut self, payload: &str) -> Vec<Record> {
        self.turn(Input::Button(payload.into()))
    }

    /// Opens the help, whose buttons list the services: a press of one
    /// counts only once it was offered.
    fn menu(&mut self) {
        let records = self.press("help");
        assert!(
            records
                .iter()
                .any(|r| matches!(r, Record::FlowStarted { flow, .. } if flow == "help")),
            "{records:?}"
        );
        assert!(
            self.session
                .offered
                .iter()
                .any(|p| p.as_str() == "creche_enrolment"),
            "{:?}",
            self.session.offered
        );
    }

    /// The id of the action the last turn asked for.
    fn answer_action(&mut self, ok: bool) -> Vec<Record> {
        let id = format!("a{}", self.session.next_action);
        self.turn(Input::ActionResult(ActionResult {
            id,
            ok,
            value: ok.then(|| serde_json::json!({"reference": "CR-2025-0042"})),
            error: (!ok).then(|| "down".to_string()),
        }))
    }
}

fn step(name: &str, index: u32) -> Step {
    Step {
        name: name.into(),
        index,
    }
}

fn creche() -> String {
    "creche_enrolment".into()
}

#[test]
fn a_crèche_enrolment_records_its_start_its_slots_its_action_and_its_completion() {
    let mut c = Chat::new(Lang::Fr);
    let start = c.turn(Input::Start);
    assert_eq!(
        start,
        vec![
            Record::FlowStarted {
                flow: "welcome".into(),
                by: StartedBy::Start
            },
            Record::FlowCompleted {
                flow: "welcome".into()
            }
        ]
    );
    let r = c.say("bonjour, je cherche une place en crèche pour mon fils Tom, né le 3 mai 2024");
    assert_eq!(
        r,
        vec![
            Record::FlowStarted {
                flow: creche(),
                by: StartedBy::Trigger
            },
            Record::SlotFilled {
                flow: creche(),
                step: step("child_first_name", 0)
            },
            Record::SlotFilled {
                flow: creche(),
                step: step("child_birth_date", 2)
            },
            Record::SlotAsked {
                flow: creche(),
                step: step("child_last_name", 1)
            },
        ]
    );
    c.say("Dubois");
    c.say("à partir du 1er septembre");
    c.say("tom.dubois@exemple.be");
    // A phone number that cannot be dialled: refused by its type, asked again.
    let r = c.say("0470 12 34");
    assert!(
        matches!(&r[..], [Record::SlotRefused { why: Refusal::Type, code, step, .. }, Record::Reprompt { attempt: 1, .. }]
            if code == "malformed_phone" && step.name == "parent_phone"),
        "{r:?}"
    );
    let r = c.say("0470/12.34.56");
    assert_eq!(
        r,
        vec![
            Record::SlotFilled {
                flow: creche(),
                step: step("parent_phone", 5)
            },
            Record::SlotAsked {
                flow: creche(),
                step: step(CONFIRMATION, 6)
            },
        ]
    );
    let r = c.say("non, la date de naissance c'est le 4 mai 2024");
    assert!(
        r.contains(&Record::ConfirmationCorrected {
            flow: creche(),
            step: step("child_birth_date", 2)
        }),
        "{r:?}"
    );
    assert!(c.press("yes").is_empty());
    let r = c.answer_action(true);
    assert_eq!(
        r,
        vec![
            Record::ActionDone {
                action: "create_request".into(),
                ok: true
            },
            Record::FlowCompleted { flow: creche() }
        ]
    );
    // No record holds what the citizen gave.
    let json = serde_json::to_string(&c.all).unwrap();
    for value in [
        "Tom",
        "Dubois",
        "tom.dubois",
        "0470",
        "+32470123456",
        "2024-05-0",
    ] {
        assert!(!json.contains(value), "{value} in {json}");
    }
}

#[test]
fn a_validation_rule_refuses_with_its_number() {
    let mut c = Chat::new(Lang::Fr);
    c.menu();
    c.press("creche_enrolment");
    c.say("Léa");
    c.say("Martin");
    let r = c.say("le 3 mai 2015");
    assert!(
        r.contains(&Record::SlotRefused {
            flow: creche(),
            step: step("child_birth_date", 2),
            why: Refusal::Validation,
            code: "require 1".into()
        }),
        "{r:?}"
    );
}

#[test]
fn giving_up_after_three_attempts_abandons_the_flow_at_that_step() {
    let mut c = Chat::new(Lang::Fr);
    c.menu();
    assert_eq!(
        c.press("creche_enrolment"),
        vec![
            Record::FlowStarted {
                flow: creche(),
                by: StartedBy::Button
            },
            Record::SlotAsked {
                flow: creche(),
                step: step("child_first_name", 0)
            }
        ]
    );
    c.say("12345");
    c.say("67890");
    let r = c.say("13579");
    let first_name = step("child_first_name", 0);
    assert_eq!(
        r,
        vec![
            Record::SlotRefused {
                flow: creche(),
                step: first_name.clone(),
                why: Refusal::Type,
                code: "not_found".into()
            },
            Record::AttemptsExhausted {
                flow: creche(),
                step: first_name.clone()
            },
            Record::Handoff {
                reason: "too_many_attempts".into(),
                flow: Some(creche())
            },
            Record::FlowAbandoned {
                flow: creche(),
                step: Some(first_name),
                how: Abandon::Attempts
            },
        ]
    );
    let reprompts = c
        .all
        .iter()
        .filter(|r| matches!(r, Record::Reprompt { .. }))
        .count();
    assert_eq!(reprompts, 2);
}

#[test]
fn cancelling_or_asking_for_a_person_mid_form_abandons_the_form_at_its_step() {
    let mut c = Chat::new(Lang::Fr);
    c.say("je voudrais inscrire mon fils à la crèche");
    c.say("Tom");
    let r = c.say("laissez tomber");
    assert_eq!(
        r,
        vec![
            Record::Digression {
                from: creche(),
                to: "cancel_all".into()
            },
            Record::FlowStarted {
                flow: "cancel_all".into(),
                by: StartedBy::Digression
            },
            Record::FlowCompleted {
                flow: "cancel_all".into()
            },
            Record::FlowAbandoned {
                flow: creche(),
                step: Some(step("child_last_name", 1)),
                how: Abandon::Cancel
            },
        ]
    );

    let mut c = Chat::new(Lang::Fr);
    c.say("je voudrais inscrire mon fils à la crèche");
    let r = c.say("je veux parler à quelqu'un");
    assert!(
        r.contains(&Record::Handoff {
            reason: "asked_for_agent".into(),
            flow: Some(creche())
        }),
        "{r:?}"
    );
    assert!(r.contains(&Record::FlowCompleted {
        flow: "talk_to_agent".into()
    }));
    assert!(r.contains(&Record::FlowAbandoned {
        flow: creche(),
        step: Some(step("child_first_name", 0)),
        how: Abandon::Handoff
    }));
    // Asked at once, the hand-over's flow is the one asking for a person.
    let mut c = Chat::new(Lang::Fr);
    let r = c.say("je veux parler à quelqu'un");
    assert!(
        r.contains(&Record::Handoff {
            reason: "asked_for_agent".into(),
            flow: Some("talk_to_agent".into())
        }),
        "{r:?}"
    );
}

#[test]
fn starting_over_abandons_the_flow_and_starts_it_again() {
    let mut c = Chat::new(Lang::Fr);
    c.say("je voudrais inscrire mon fils à la crèche");
    c.say("Tom");
    c.say("recommencer");
    let r = c.press("yes");
    assert!(
        r.contains(&Record::FlowAbandoned {
            flow: creche(),
            step: Some(step("child_last_name", 1)),
            how: Abandon::Restart
        }),
        "{r:?}"
    );
    assert!(r.contains(&Record::FlowStarted {
        flow: creche(),
        by: StartedBy::Restart
    }));
    assert!(r.contains(&Record::FlowCompleted {
        flow: "start_over".into()
    }));
}

#[test]
fn a_message_nothing_matches_is_recorded_with_the_closest_flow() {
    let mut c = Chat::new(Lang::Fr);
    let r = c.say("je voudrais un permis de pêche pour le lac");
    let Some(Record::Unmatched {
        closest,
        score,
        ambiguous: false,
    }) = r.first()
    else {
        panic!("{r:?}")
    };
    assert!(closest.is_some(), "{r:?}");
    assert!((0.0..1.0).contains(score));
    assert!(r.contains(&Record::FlowStarted {
        flow: "not_understood".into(),
        by: StartedBy::Fallback
    }));
}

#[test]
fn a_language_switch_and_a_failed_action_are_recorded() {
    let mut c = Chat::new(Lang::Fr);
    let r = c.say("goedendag, ik wil mijn zoon inschrijven in de kinderopvang");
    assert_eq!(
        r.first(),
        Some(&Record::LanguageSwitched {
            from: Lang::Fr,
            to: Lang::Nl
        })
    );
    for answer in [
        "Lotte",
        "Peeters",
        "3 mei 2024",
        "1 september",
        "lotte@voorbeeld.be",
        "0470 12 34 56",
    ] {
        c.say(answer);
    }
    c.press("yes");
    let r = c.answer_action(false);
    assert_eq!(
        r.first(),
        Some(&Record::ActionDone {
            action: "create_request".into(),
            ok: false
        })
    );
    assert!(r.contains(&Record::Handoff {
        reason: "action_failed".into(),
        flow: Some(creche())
    }));
}

#[test]
fn a_turn_that_fails_records_nothing_and_plain_turns_record_nothing() {
    let mut c = Chat::new(Lang::Fr);
    c.say("je voudrais inscrire mon fils à la crèche");
    let out = c
        .bot
        .turn_recorded(&mut c.session, Input::text("   "), now());
    assert!(out
        .events
        .iter()
        .any(|e| matches!(e, guichet::Event::Error { .. })));
    assert!(out.records.is_empty());
    let traced = c.bot.turn_traced(&mut c.session, Input::text("Tom"), now());
    assert!(traced.records.is_empty());
}

#[test]
fn follow_ups_shaped_values_negated_corrections_and_questions_not_about_an_entry_are_recorded() {
    // "Et à Noël ?" runs the waste collection again: a topic the citizen asked for.
    let mut c = Chat::new(Lang::Fr);
    c.say("est-ce qu'on ramasse les poubelles lundi prochain ?");
    let r = c.say("Et à Noël ?");
    assert!(
        r.contains(&Record::FlowStarted {
            flow: "waste_collection".into(),
            by: StartedBy::Trigger
        }),
        "{r:?}"
    );
    // A reference alone starts the request status.
    let mut c = Chat::new(Lang::En);
    let r = c.say("any news? CR-2025-0099");
    assert!(
        r.contains(&Record::FlowStarted {
            flow: "request_status".into(),
            by: StartedBy::Trigger
        }),
        "{r:?}"
    );
    // A negated value corrects the slot that held it, while another is asked.
    let mut c = Chat::new(Lang::Fr);
    c.menu();
    c.press("creche_enrolment");
    c.say("Tom");
    c.say("Dubois");
    c.say("4 avril 2024");
    let r = c.say("ah non pardon c'est le 5 pas le 4");
    assert!(
        r.contains(&Record::ConfirmationCorrected {
            flow: creche(),
            step: step("child_birth_date", 2)
        }),
        "{r:?}"
    );
    // The town hall's hours are not the recycling park's: not understood,
    // the entry it came closest to named.
    let mut c = Chat::new(Lang::Fr);
    let r = c.say("c'est quoi les horaires du parc à conteneurs le samedi ?");
    let Some(Record::Unmatched {
        closest,
        ambiguous: false,
        ..
    }) = r.first()
    else {
        panic!("{r:?}")
    };
    assert_eq!(closest.as_deref(), Some("opening_hours"));
    assert!(
        !r.iter().any(|x| matches!(x, Record::FlowStarted { .. })),
        "{r:?}"
    );
}
