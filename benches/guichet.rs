//! `cargo bench`: speed and memory figures of the interpreter, measured
//! (never asserted). Prints one line per measurement: median time over
//! several runs after a warm-up, and sizes in bytes.
//!
//! - a full conversation with the sample commune (every turn: matching,
//!   value extraction, slot filling, rendering), per turn;
//! - trigger matching against generated bots of 100 to 100,000 triggers,
//!   for messages that match and messages that do not;
//! - parse + check + compile of the sample bot and of the generated bots;
//! - the JSON size of a session at each step of the crèche form, and the
//!   time to save and restore it;
//! - each slot type's extractor on a realistic sentence.

use chrono::{NaiveDate, NaiveDateTime};
use guichet::understand::extract::{self, Context, DatePolicy};
use guichet::understand::Input as Message;
use guichet::values::SlotType;
use guichet::{Bot, Input, Session};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 4, 14)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

/// Median of `runs` timings of `f`, each repeated `reps` times, after a warm-up.
fn measure(runs: usize, reps: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..reps.min(100) {
        f();
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..reps {
                f();
            }
            t.elapsed() / reps as u32
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn show(name: &str, d: Duration) {
    println!("{name:<58} {:>12.2} µs", d.as_secs_f64() * 1e6);
}

/// A pronounceable pseudo-word for each number: generated bots get a
/// vocabulary that grows with them, as real bots' vocabularies do.
fn word(mut n: usize) -> String {
    const ONSETS: &[&str] = &["b", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v"];
    const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ou"];
    let mut w = String::new();
    for _ in 0..3 {
        w.push_str(ONSETS[n % ONSETS.len()]);
        n /= ONSETS.len();
        w.push_str(VOWELS[n % VOWELS.len()]);
        n /= VOWELS.len();
    }
    w
}

/// A bot with `n` FAQ entries; each trigger has an alternative, three
/// content words from a vocabulary of about `n` words, and a wildcard.
fn generated_bot(n: usize) -> String {
    let vocabulary = n.max(200);
    let mut s = String::from("bot \"Generated\"\n  languages fr\nend\n");
    for i in 0..n {
        let pick = |k: usize| word((i * 7919 + k * 104_729) % vocabulary);
        s.push_str(&format!(
            "faq topic_{i}\n  triggers fr: \"({}|{}) {} {} *\"\n  answer fr: \"Réponse {i}.\"\nend\n",
            pick(1),
            pick(2),
            pick(3),
            pick(4)
        ));
    }
    s
}

/// A message that matches entry `i` of `generated_bot(n)`, with filler words.
fn generated_message(n: usize, i: usize) -> String {
    let vocabulary = n.max(200);
    let pick = |k: usize| word((i * 7919 + k * 104_729) % vocabulary);
    format!(
        "bonjour je voudrais {} {} {} s'il vous plaît",
        pick(1),
        pick(3),
        pick(4)
    )
}

fn sample_conversation(bot: &Bot) -> Vec<(Input, usize)> {
    let _ = bot;
    [
        "Bonjour",
        "Je voudrais inscrire ma fille à la crèche",
        "Louise",
        "Dupont",
        "elle est née le 3 mai 2024",
        "à partir du 1er septembre 2025",
        "louise.dupont@example.be",
        "0470 12 34 56",
    ]
    .iter()
    .map(|m| (Input::text(*m), 0))
    .collect()
}

fn parking_conversation() -> Vec<(Input, usize)> {
    [
        "Bonjour, je voudrais renouveler ma carte de riverain pour la voiture 1-abc-234",
        "1170",
        "premier véhicule",
        "oui",
    ]
    .iter()
    .map(|m| (Input::text(*m), 0))
    .collect()
}

/// Each step of a conversation on its own: the session before the step is
/// prepared once, then the step is timed from a copy of it.
fn per_step(bot: &Bot, name: &str, script: &[(Input, usize)]) {
    let mut before: Session = bot.new_session(Some(guichet::Lang::Fr), 0);
    for (step, (input, _)) in script.iter().enumerate() {
        let t = measure(15, 200, || {
            let mut s = before.clone();
            black_box(bot.turn(&mut s, input.clone(), now()));
        });
        let text = match input {
            Input::Text(text) => text.chars().take(34).collect::<String>(),
            _ => String::from("(event)"),
        };
        show(&format!("  {name} step {}: {text}", step + 1), t);
        bot.turn(&mut before, input.clone(), now());
    }
}

/// Each extractor on a sentence as a citizen writes it.
fn extractors() {
    let cases: [(&str, &str); 12] = [
        ("date", "mon fils est né le 3 mai 2024 à Namur"),
        ("time", "je passerai vers 14h30 si ça vous va"),
        ("number", "nous sommes septante-cinq personnes inscrites"),
        ("money", "j'ai payé douze euros cinquante hier"),
        ("yesno", "oui bien sûr, c'est parfait"),
        ("email", "mon adresse est louise.dupont@example.be merci"),
        ("phone", "vous pouvez m'appeler au 0470 12 34 56"),
        ("iban", "mon compte est le BE68 5390 0754 7034"),
        ("national_number", "mon numéro national est 85.07.30-033.28"),
        ("postal_code", "j'habite à 1170 Watermael-Boitsfort"),
        ("plate", "ma plaque est 1-ABC-234"),
        ("name", "je m'appelle Louise Dupont"),
    ];
    for (ty, text) in cases {
        let Some(slot_type) = SlotType::builtin(ty) else {
            println!("(no built-in slot type {ty})");
            continue;
        };
        let message = Message::new(text);
        let ctx = Context {
            lang: guichet::Lang::Fr,
            now: now(),
            policy: DatePolicy::Future,
            choice: None,
            order: Default::default(),
        };
        let found = extract::extract(&slot_type, &message, &ctx);
        let t = measure(15, 2000, || {
            black_box(extract::extract(&slot_type, &message, &ctx));
        });
        let note = if found.candidates.is_empty() {
            " (found nothing)"
        } else {
            ""
        };
        show(&format!("  extract {ty}{note}"), t);
    }
}

fn main() {
    println!("guichet benchmarks (single thread, median after warm-up)\n");
    let flows = concat!(env!("CARGO_MANIFEST_DIR"), "/flows");
    match Bot::from_path(flows) {
        Ok(bot) => {
            let t = measure(9, 5, || {
                black_box(Bot::from_path(flows).ok());
            });
            show("load the sample bot (read + parse + check + compile)", t);
            let script = sample_conversation(&bot);
            let fresh = bot.new_session(Some(guichet::Lang::Fr), 0);
            let t = measure(15, 200, || {
                let mut s: Session = fresh.clone();
                for (input, _) in &script {
                    black_box(bot.turn(&mut s, input.clone(), now()));
                }
            });
            show(
                "one turn of the crèche conversation (mean over 8 turns)",
                t / script.len() as u32,
            );
            per_step(&bot, "crèche", &script);
            per_step(&bot, "parking", &parking_conversation());
            let mut s = fresh.clone();
            let mut sizes = Vec::new();
            for (input, _) in &script {
                bot.turn(&mut s, input.clone(), now());
                sizes.push(serde_json::to_string(&s).map(|j| j.len()).unwrap_or(0));
            }
            println!(
                "{:<58} {:?} bytes",
                "saved session JSON after each crèche turn", sizes
            );
            let json = serde_json::to_string(&s).unwrap_or_default();
            let t = measure(15, 2000, || {
                black_box(bot.restore(&json).ok());
            });
            show("restore a saved mid-form session", t);
            let t = measure(15, 2000, || {
                black_box(serde_json::to_string(&s).ok());
            });
            show("save a mid-form session as JSON", t);
            extractors();
        }
        Err(e) => println!("(the sample bot did not load: {e})"),
    }
    println!();
    for n in [100usize, 1_000, 10_000, 100_000] {
        let source = generated_bot(n);
        let start = Instant::now();
        let bot = match Bot::from_sources(&[("generated.flow", &source)]) {
            Ok(b) => b,
            Err(e) => {
                println!("generated bot of {n} did not load: {e}");
                continue;
            }
        };
        show(
            &format!("load (parse, check, compile) a bot of {n} triggers"),
            start.elapsed(),
        );
        let program = bot.program();
        let hit = Message::new(&generated_message(n, n / 2));
        let found = program.triggers.find(&hit, Some(guichet::Lang::Fr), 1);
        let right = found
            .first()
            .map(|m| program.flows[program.trigger_flows[m.spec]].name.clone());
        assert_eq!(
            right.as_deref(),
            Some(format!("topic_{}", n / 2).as_str()),
            "the benchmark measures a real match"
        );
        let miss = Message::new("quel temps fera-t-il demain à la mer du nord");
        let t = measure(15, 500, || {
            black_box(program.triggers.find(&hit, Some(guichet::Lang::Fr), 5));
        });
        show(&format!("  match a message that matches, {n} triggers"), t);
        let t = measure(15, 500, || {
            black_box(program.triggers.find(&miss, Some(guichet::Lang::Fr), 5));
        });
        show(
            &format!("  match a message that matches nothing, {n} triggers"),
            t,
        );
    }
}
