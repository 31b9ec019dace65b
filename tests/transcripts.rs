//! The sample commune's conversation tests (`flows/tests/*.test`, the format
//! is described in `guichet::testing`): every service in French, Dutch and
//! English, each run live and with the session restored from JSON before
//! every input.

use guichet::testing;
use guichet::Bot;

#[test]
fn conversations_of_the_sample_commune() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/flows");
    let bot = Bot::from_path(root).unwrap_or_else(|e| panic!("{e}"));
    let mut files: Vec<_> = std::fs::read_dir(format!("{root}/tests"))
        .expect("flows/tests exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "test"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 15,
        "every service has tests in every language"
    );
    let mut failures = Vec::new();
    let mut count = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable test file");
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("test");
        let tests = testing::parse_for(&bot, &text, stem)
            .unwrap_or_else(|f| panic!("{}:{}: {}", file.display(), f.line, f.message));
        for outcome in tests.iter().flat_map(|test| testing::run(&bot, test)) {
            count += 1;
            if let Some(f) = outcome.failure {
                let last: Vec<String> = f
                    .last_turn
                    .iter()
                    .map(|e| serde_json::to_string(e).unwrap_or_default())
                    .collect();
                failures.push(format!(
                    "{}:{}: {}\n    {}",
                    file.display(),
                    f.line,
                    f.message,
                    last.join("\n    ")
                ));
            }
        }
    }
    assert!(count >= 15);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
