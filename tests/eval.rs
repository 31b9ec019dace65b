//! `guichet eval` and `guichet extract` through the binary, on small
//! fixture files in the shape of the public test-suite rows.

use std::process::Command;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/eval/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `guichet` and returns (exit code, stdout).
fn guichet(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_guichet"))
        .args(args)
        .output()
        .expect("guichet runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn eval(args: &[&str]) -> String {
    let mut all = vec!["eval"];
    all.extend_from_slice(args);
    let (code, out) = guichet(&all);
    assert_eq!(code, Some(0), "{out}");
    out
}

/// A table line's cells.
fn cells(line: &str) -> Vec<String> {
    line.trim_matches('|')
        .split('|')
        .map(|c| c.trim().to_string())
        .collect()
}

/// The table line whose first cells are `prefix`, split into cells.
fn table_row(out: &str, prefix: &[&str]) -> Vec<String> {
    out.lines()
        .map(cells)
        .find(|cells| cells.len() > prefix.len() && cells.iter().zip(prefix).all(|(c, p)| c == p))
        .unwrap_or_else(|| panic!("no row {prefix:?} in\n{out}"))
}

/// rows, verified, correct, accuracy, unverified of a table line.
fn counts(row: &[String]) -> (usize, usize, usize, String, usize) {
    let n = |i: usize| row[i].parse::<usize>().expect("a count");
    (n(4), n(5), n(6), row[7].clone(), n(8))
}

/// Verified and correct rows summed over the table lines `keep` selects
/// (cells: file, suite, lang, ...).
fn verified_correct(out: &str, keep: impl Fn(&[String]) -> bool) -> (usize, usize) {
    out.lines()
        .map(cells)
        .filter(|c| c.len() > 7 && keep(c))
        .fold((0, 0), |(v, k), r| {
            let (_, rv, rc, _, _) = counts(&r);
            (v + rv, k + rc)
        })
}

fn last_line(out: &str) -> &str {
    out.lines().last().unwrap_or("")
}

#[test]
fn dates_are_scored_under_either_policy() {
    let future = eval(&[&fixture("dates.jsonl")]);
    let all = table_row(&future, &["dates.jsonl", "all", "all", "all"]);
    assert_eq!(counts(&all), (5, 4, 4, "100.0%".to_string(), 1));
    assert_eq!(last_line(&future), "accuracy: 100.0%");

    // "le 22/04" has only a future reading in the row: the past policy
    // reads last April and misses it; "mercredi" has both and passes.
    let past = eval(&["--policy", "past", "--failures", &fixture("dates.jsonl")]);
    let fr = table_row(&past, &["dates.jsonl", "mini", "fr", "date"]);
    assert_eq!(counts(&fr), (2, 2, 1, "50.0%".to_string(), 0));
    assert!(past.contains("d-5"), "{past}");
    assert!(!past.contains("d-1 "), "{past}");
    assert_eq!(last_line(&past), "accuracy: 75.0%");
}

#[test]
fn numbers_compare_by_decimal_value() {
    let out = eval(&[&fixture("numbers.jsonl")]);
    let all = table_row(&out, &["numbers.jsonl", "all", "all", "all"]);
    assert_eq!(counts(&all), (4, 4, 4, "100.0%".to_string(), 0));
    let ordinal = table_row(&out, &["numbers.jsonl", "mini", "en", "ordinal"]);
    assert_eq!(counts(&ordinal).2, 1);
    assert_eq!(last_line(&out), "accuracy: 100.0%");
}

#[test]
fn money_negative_rows_and_malformed_lines() {
    let out = eval(&["--failures", &fixture("money.jsonl")]);
    let all = table_row(&out, &["money.jsonl", "all", "all", "all"]);
    assert_eq!(counts(&all), (3, 3, 2, "66.7%".to_string(), 0));
    assert!(all[10].contains("found in a negative row 1"), "{all:?}");
    assert!(out.contains("malformed lines skipped: 2"), "{out}");
    assert!(out.contains("money.jsonl:4: not JSON"), "{out}");
    assert!(out.contains("money.jsonl:5: `expected`"), "{out}");
    assert!(out.contains("m-3"), "{out}");
    assert_eq!(last_line(&out), "accuracy: 66.7%");
}

#[test]
fn booleans_compare_by_value() {
    let out = eval(&[&fixture("booleans.jsonl")]);
    let en = table_row(&out, &["booleans.jsonl", "mini", "en", "yesno"]);
    assert_eq!(counts(&en), (1, 1, 0, "0.0%".to_string(), 0));
    assert!(en[10].contains("wrong value 1"), "{en:?}");
    assert_eq!(last_line(&out), "accuracy: 66.7%");
}

#[test]
fn validators_phones_and_unsupported_kinds() {
    let out = eval(&[&fixture("sequences.jsonl")]);
    let iban = table_row(&out, &["sequences.jsonl", "stdnum", "any", "iban"]);
    assert_eq!(counts(&iban), (2, 2, 2, "100.0%".to_string(), 0));
    let nn = table_row(
        &out,
        &["sequences.jsonl", "stdnum", "any", "be_national_number"],
    );
    assert_eq!(counts(&nn).2, 1);
    let phone = table_row(&out, &["sequences.jsonl", "other", "en", "phone"]);
    assert_eq!(counts(&phone).2, 1);
    let url = table_row(&out, &["sequences.jsonl", "other", "en", "url"]);
    assert_eq!(counts(&url), (1, 1, 1, "100.0%".to_string(), 0));
    let ip = table_row(&out, &["sequences.jsonl", "other", "en", "ip"]);
    assert!(ip[10].contains("unsupported 1"), "{ip:?}");
    assert_eq!(last_line(&out), "accuracy: 83.3%");
}

#[test]
fn several_files_add_up_and_json_says_the_same() {
    let files: Vec<String> = ["dates", "numbers", "money", "booleans", "sequences"]
        .iter()
        .map(|f| fixture(&format!("{f}.jsonl")))
        .collect();
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let out = eval(&args);
    let all = table_row(&out, &["all", "all", "all", "all"]);
    // 4 + 4 + 3 + 3 + 6 verified rows, 4 + 4 + 2 + 2 + 5 right.
    assert_eq!(counts(&all), (21, 20, 17, "85.0%".to_string(), 1));
    assert_eq!(last_line(&out), "accuracy: 85.0%");

    let mut json_args = vec!["--json"];
    json_args.extend_from_slice(&args);
    let json: serde_json::Value = serde_json::from_str(&eval(&json_args)).expect("JSON");
    assert_eq!(json["total"]["verified"], 20);
    assert_eq!(json["total"]["correct"], 17);
    assert_eq!(json["files"][2]["malformed"][0]["line"], 4);
}

#[test]
fn missing_files_and_empty_input_do_not_fail() {
    let out = eval(&["/no/such/file.jsonl"]);
    assert!(out.contains("unreadable file /no/such/file.jsonl"), "{out}");
    assert_eq!(last_line(&out), "accuracy: n/a");
}

#[test]
fn extract_prints_values_and_refusals_as_json() {
    let (code, out) = guichet(&[
        "extract",
        "date",
        "mercredi ou le 31/02",
        "--lang",
        "fr",
        "--now",
        "2025-04-14T10:00:00",
        "--policy",
        "past",
    ]);
    assert_eq!(code, Some(0), "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(json["candidates"][0]["value"], "2025-04-09");
    assert_eq!(json["candidates"][0]["text"], "mercredi");
    assert!(json["candidates"][0]["rule"].is_string());
    assert_eq!(json["rejected"][0]["reason"], "no_such_date");
    assert_eq!(json["rejected"][0]["text"], "31/02");

    let (code, _) = guichet(&["extract", "colour", "red"]);
    assert_eq!(code, Some(2));
}

/// The sentences written for guichet from grammars and usage (see
/// tests/extract_heldout/README.md) meet the bars each extractor is held
/// to, per file and language: dates 90 %, numbers 95 %, e-mails 90 %,
/// phones 80 %, web addresses 90 %.
#[test]
fn the_held_out_sentences_meet_their_bars() {
    let root = format!("{}/tests/extract_heldout", env!("CARGO_MANIFEST_DIR"));
    for split in ["tune", "holdout"] {
        for (file, bar) in [
            ("dates.jsonl", 90.0),
            ("numbers.jsonl", 95.0),
            ("emails.jsonl", 90.0),
            ("phones.jsonl", 80.0),
            ("urls.jsonl", 90.0),
        ] {
            let path = format!("{root}/{split}/{file}");
            let out = eval(&[&path]);
            let suite = format!("heldout-{split}");
            for lang in ["fr", "nl", "en"] {
                let (verified, correct) =
                    verified_correct(&out, |c| c[0] == file && c[1] == suite && c[2] == lang);
                if verified == 0 {
                    continue;
                }
                let accuracy = 100.0 * correct as f64 / verified as f64;
                assert!(
                    accuracy >= bar,
                    "{split}/{file} {lang}: {correct}/{verified} = {accuracy:.1}% < {bar}%\n{out}"
                );
            }
        }
    }
}

/// The public corpus of the fourth round (tests/extract_public: other date
/// readers' test data, split before any change) stays at least where it
/// was measured, per half and language: a change to the date reader that
/// loses what it read there fails here.
#[test]
fn the_public_date_corpus_does_not_fall_back() {
    let root = format!("{}/tests/extract_public", env!("CARGO_MANIFEST_DIR"));
    for half in ["dates_tune.jsonl", "dates_held.jsonl"] {
        let out = eval(&[&format!("{root}/{half}")]);
        for (lang, floor) in [("fr", 99.0), ("nl", 98.0), ("en", 96.0)] {
            let (verified, correct) =
                verified_correct(&out, |c| c[0] == half && c[1] != "all" && c[2] == lang);
            assert!(verified > 0, "{half} {lang}: no rows\n{out}");
            let accuracy = 100.0 * correct as f64 / verified as f64;
            assert!(
                accuracy >= floor,
                "{half} {lang}: {correct}/{verified} = {accuracy:.1}% < {floor}%\n{out}"
            );
        }
    }
}
