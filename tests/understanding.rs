//! Citizens' messages to the sample commune, per behaviour, in two sets
//! (`tests/understanding/README.md`): `tune/`, which the understanding was
//! tuned on and must pass whole, and `holdout/`, written before any tuning
//! and never tuned on, whose pass rate is printed and must not drop below
//! the floor recorded here.
//!
//! `cargo test --test understanding -- --nocapture` prints both rates.

use guichet::testing;
use guichet::Bot;
use std::path::Path;

/// The held-out pass rate reached when the set was last measured, in
/// percent: a change that loses some of it fails here.
const HOLDOUT_FLOOR: f64 = 96.0;

/// Runs every test file of a set; returns (passed, total) and prints the
/// rate per file and the failures.
fn run_set(bot: &Bot, dir: &Path) -> (usize, usize) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "test"))
        .collect();
    files.sort();
    let (mut passed, mut total) = (0, 0);
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable test file");
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("test");
        let tests = testing::parse_for(bot, &text, stem)
            .unwrap_or_else(|f| panic!("{}:{}: {}", file.display(), f.line, f.message));
        let (mut ok, mut n) = (0, 0);
        for outcome in tests.iter().flat_map(|test| testing::run(bot, test)) {
            n += 1;
            match outcome.failure {
                None => ok += 1,
                Some(f) => println!(
                    "    FAILED {}:{}: {}: {}",
                    file.display(),
                    f.line,
                    outcome.name,
                    f.message
                ),
            }
        }
        println!("  {stem}: {ok}/{n}");
        passed += ok;
        total += n;
    }
    (passed, total)
}

fn percent(passed: usize, total: usize) -> f64 {
    if total == 0 {
        return 0.0;
    }
    100.0 * passed as f64 / total as f64
}

#[test]
fn citizens_messages_per_behaviour() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bot = Bot::from_path(root.join("flows")).unwrap_or_else(|e| panic!("{e}"));
    println!("tuning set:");
    let (tune_ok, tune_n) = run_set(&bot, &root.join("tests/understanding/tune"));
    println!("held-out set:");
    let (hold_ok, hold_n) = run_set(&bot, &root.join("tests/understanding/holdout"));
    let (tune, holdout) = (percent(tune_ok, tune_n), percent(hold_ok, hold_n));
    println!("tuning set {tune_ok}/{tune_n} ({tune:.0} %), held-out set {hold_ok}/{hold_n} ({holdout:.0} %)");
    assert!(tune_n > 0 && hold_n > 0, "both sets have tests");
    assert_eq!(tune_ok, tune_n, "the tuning set passes whole");
    assert!(
        holdout >= HOLDOUT_FLOOR,
        "the held-out set fell to {holdout:.0} %, below {HOLDOUT_FLOOR} %"
    );
}
