//! What `guichet check` shows an author, human and JSON: columns in
//! characters, a block left open reported where it opens, no cascade of
//! false warnings after a syntax error, and one JSON document.

use guichet::bot::check_files;
use guichet::diagnostics::{CheckReport, Diagnostic};
use guichet::load::{self, SourceFile};
use guichet::render::render;
use std::path::Path;

fn check(files: &[SourceFile]) -> (String, String, Vec<Diagnostic>) {
    let (parsed, diags) = check_files(files);
    let human = render(&diags, &parsed.sources, false);
    let json = serde_json::to_string_pretty(&CheckReport::new(&diags, &parsed.sources)).unwrap();
    (human, json, diags)
}

fn one(name: &str, text: &str) -> Vec<SourceFile> {
    vec![SourceFile {
        name: name.into(),
        text: text.into(),
    }]
}

fn sample() -> Vec<SourceFile> {
    load::read_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("flows"))
        .unwrap()
        .into_iter()
        .map(|f| SourceFile {
            name: f
                .name
                .rsplit('/')
                .next()
                .map(|n| format!("flows/{n}"))
                .unwrap(),
            text: f.text,
        })
        .collect()
}

/// `file:line:col` of the header line and of the box, for each diagnostic.
fn places(human: &str) -> Vec<(String, String)> {
    let headers = human
        .lines()
        .filter_map(|l| {
            l.split_once(": ")
                .filter(|(s, _)| *s == "error" || *s == "warning")
        })
        .map(|(_, place)| place.to_string());
    let boxes = human
        .lines()
        .filter_map(|l| l.split_once("╭─[").and_then(|(_, r)| r.strip_suffix(']')))
        .map(str::to_string);
    headers.zip(boxes).collect()
}

const ACCENTS: &str = "bot \"Bruyères\"\n  languages fr\nend\n\nflow accueil\n  triggers\n    fr: \"bonjour\"\n  say fr: \"Bienvenue à Bruyères 🏛️🌳, {inconnu}\"\nend\n";

#[test]
fn columns_count_characters_in_the_header_the_box_and_json() {
    let (human, json, diags) = check(&one("accents.flow", ACCENTS));
    let places = places(&human);
    assert!(!places.is_empty(), "{human}");
    for (header, boxed) in &places {
        assert_eq!(header, boxed, "{human}");
    }
    // Before `inconnu`: "  say fr: \"Bienvenue à Bruyères 🏛️🌳, {", where 🏛️
    // is two characters (the building and a variation selector) and six
    // bytes, and each accent two bytes.
    let line = ACCENTS.lines().nth(7).unwrap();
    let byte = line.rfind("inconnu}").unwrap();
    let column = line[..byte].chars().count() + 1;
    assert!(
        human.contains(&format!("accents.flow:8:{column}")),
        "{column}\n{human}"
    );
    assert!(diags.iter().all(|d| d.code != "syntax"));
    insta::assert_snapshot!("columns_human", human);
    insta::assert_snapshot!("columns_json", json);
}

const OPEN_IF: &str = "bot \"Bruyères\"\n  languages fr\nend\n\nflow horaires\n  triggers\n    fr: \"horaires\"\n  do demander_horaires() as horaires\n    ok\n      if is_holiday(today())\n        say fr: \"Fermé aujourd'hui.\"\n    failed\n      say fr: \"Je ne sais pas.\"\n  end\n  say fr: \"Bonne journée !\"\nend\n\naction demander_horaires()\n";

#[test]
fn a_block_left_open_is_reported_where_it_opens() {
    let (human, json, diags) = check(&one("horaires.flow", OPEN_IF));
    assert_eq!(diags.len(), 1, "{human}");
    assert_eq!(diags[0].code, "unclosed-block");
    assert!(human.contains("horaires.flow:10:7"), "{human}");
    assert!(human.contains("add `end` after line 11"), "{human}");
    insta::assert_snapshot!("open_if_human", human);
    insta::assert_snapshot!("open_if_json", json);
}

const LAST_END: &str = "bot \"Bruyères\"\n  languages fr\n  start accueil\nend\n\nflow accueil\n  say fr: \"Bonjour !\"\n    button parking fr: \"Stationnement\"\nend\n\naction demander_carte(plaque: plate)\n\nflow parking\n  triggers\n    fr: \"carte de riverain\"\n  form\n    slot plaque: plate\n      ask fr: \"Votre plaque ?\"\n  end\n  do demander_carte(plaque)\n";

#[test]
fn a_missing_final_end_gives_exactly_one_error() {
    let (human, json, diags) = check(&one("parking.flow", LAST_END));
    assert_eq!(
        diags.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["unclosed-block"],
        "{human}"
    );
    insta::assert_snapshot!("last_end_human", human);
    insta::assert_snapshot!("last_end_json", json);
}

#[test]
fn a_clean_bot_is_an_empty_list() {
    let (_, json, diags) = check(&sample());
    assert!(diags.is_empty(), "{diags:?}");
    insta::assert_snapshot!("clean_json", json);
}

/// Every `end` of the sample bot, removed in turn: one error, the block it
/// closed, and the line after which it belongs, where it was. No warning
/// about what the broken file declares or uses.
#[test]
fn every_missing_end_of_the_sample_bot_is_found_and_placed() {
    let files = sample();
    let mut tried = 0;
    for (i, file) in files.iter().enumerate() {
        if !file.name.ends_with(".flow") {
            continue;
        }
        let lines: Vec<&str> = file.text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            if line.trim() != "end" {
                continue;
            }
            tried += 1;
            let mut broken = files.clone();
            let mut text: Vec<&str> = lines.clone();
            text.remove(n);
            broken[i].text = text.join("\n") + "\n";
            let (human, _, diags) = check(&broken);
            assert_eq!(
                diags.iter().map(|d| d.code).collect::<Vec<_>>(),
                vec!["unclosed-block"],
                "{} without the end of line {}:\n{human}",
                file.name,
                n + 1
            );
            let last_code = (0..n)
                .rev()
                .find(|&l| {
                    let t = lines[l].trim();
                    !t.is_empty() && !t.starts_with('#')
                })
                .unwrap();
            let help = diags[0].help.as_deref().unwrap_or("");
            assert!(
                help.contains(&format!("after line {},", last_code + 1)),
                "{} without the end of line {}: {help}",
                file.name,
                n + 1
            );
        }
    }
    assert!(tried > 30, "{tried}");
}

#[test]
fn a_syntax_error_adds_no_false_warnings() {
    // The `flow parking` item does not read (a `:` is missing): the button
    // naming it and the action only it does are not reported.
    let text = LAST_END.replace("ask fr: \"Votre", "ask fr \"Votre") + "end\n";
    let (human, _, diags) = check(&one("parking.flow", &text));
    assert_eq!(
        diags.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["syntax"],
        "{human}"
    );
    // Without the mistake, the same bot is clean: the quieted warnings
    // would have been false.
    let fixed = LAST_END.to_string() + "end\n";
    let (human, _, diags) = check(&one("parking.flow", &fixed));
    assert!(diags.is_empty(), "{human}");
}

#[test]
fn a_pattern_that_does_not_read_is_no_unknown_type() {
    // The `pattern` lacks its second shape: the slot typed by it is not
    // reported, only the syntax error.
    let text = "bot \"X\"\n  languages fr\nend\n\npattern reference \"CR-dddd\" or\n\nflow status\n  triggers\n    fr: \"suivi\"\n  form\n    slot r: reference\n      ask\n        fr: \"Référence ?\"\n  end\n  say\n    fr: \"Merci {r}.\"\nend\n";
    let (human, _, diags) = check(&one("status.flow", text));
    assert_eq!(
        diags.iter().map(|d| d.code).collect::<Vec<_>>(),
        vec!["syntax"],
        "{human}"
    );
    let fixed = text.replace("or\n", "or \"RC-dddd\"\n");
    let (human, _, diags) = check(&one("status.flow", &fixed));
    assert!(diags.is_empty(), "{human}");
}
