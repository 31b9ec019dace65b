//! `cargo bench`: speed and memory figures of the interpreter, measured
//! (never asserted). Prints one line per measurement: median time over
//! several runs after a warm-up, and sizes in bytes.
//!
//! - a full conversation with the sample commune (every turn: matching,
//!   value extraction, slot filling, rendering), per turn;
//! - trigger matching against generated bots of 100 to 100,000 triggers,
//!   for messages that match and messages that do not;
//! - parse + check + compile of the sample bot and of the generated bots;
//! - the JSON size of a session at each step of the crèche form.

use chrono::{NaiveDate, NaiveDateTime};
use guichet::understand::Input as Message;
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

const WORDS: &[&str] = &[
    "permis",
    "parking",
    "carte",
    "crèche",
    "déchets",
    "collecte",
    "menu",
    "cantine",
    "inscription",
    "passeport",
    "identité",
    "mariage",
    "naissance",
    "décès",
    "urbanisme",
    "travaux",
    "voirie",
    "éclairage",
    "école",
    "piscine",
    "bibliothèque",
    "sport",
    "culture",
    "aide",
    "logement",
    "énergie",
    "prime",
    "taxe",
    "amende",
    "stationnement",
    "vélo",
    "bus",
    "chien",
    "chat",
    "arbre",
    "parc",
    "marché",
    "fête",
    "salle",
    "location",
    "emploi",
    "stage",
    "senior",
    "jeunesse",
    "santé",
];

/// A bot with `n` FAQ entries whose triggers use alternatives and wildcards.
fn generated_bot(n: usize) -> String {
    let mut s = String::from("bot \"Generated\"\n  languages fr\nend\n");
    for i in 0..n {
        let a = WORDS[i % WORDS.len()];
        let b = WORDS[(i / WORDS.len()) % WORDS.len()];
        let c = WORDS[(i / (WORDS.len() * WORDS.len())) % WORDS.len()];
        s.push_str(&format!(
            "faq topic_{i}\n  triggers fr: \"(demande|question) {a} {b} {c} numéro{i}\", \"{a} {b} * n{i}\"\n  answer fr: \"Réponse {i}.\"\nend\n"
        ));
    }
    s
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
            &format!("load a bot of {n} FAQ entries ({} triggers)", 2 * n),
            start.elapsed(),
        );
        let program = bot.program();
        let hit = Message::new(&format!(
            "j'ai une question {} {} numéro{}",
            WORDS[7 % WORDS.len()],
            WORDS[0],
            n / 2
        ));
        let miss = Message::new("quel temps fera-t-il demain à la mer du nord");
        let t = measure(15, 500, || {
            black_box(program.triggers.find(&hit, Some(guichet::Lang::Fr), 5));
        });
        show(
            &format!("  match a message that matches, {} triggers", 2 * n),
            t,
        );
        let t = measure(15, 500, || {
            black_box(program.triggers.find(&miss, Some(guichet::Lang::Fr), 5));
        });
        show(
            &format!("  match a message that matches nothing, {} triggers", 2 * n),
            t,
        );
    }
}
