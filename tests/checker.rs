//! The checker as a whole: a bot with many mistakes, the language
//! reference's examples (which must be clean), and arbitrary text.

use guichet::check::check;
use guichet::diagnostics::Severity;
use guichet::load::{self, SourceFile};
use proptest::prelude::*;
use std::path::Path;

#[test]
fn a_folder_with_several_mistakes_reports_them_all_at_once() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/several");
    let files = load::read_path(&dir).expect("the fixture folder reads");
    let bot = load::parse(&files);
    let diags = check(&bot);
    let mut codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            "missing-argument",
            "missing-translation",
            "unknown-field",
            "unknown-flow",
            "unknown-type",
            "unreachable",
            "untranslated-text",
        ],
        "{diags:#?}"
    );
    let in_appointment = diags
        .iter()
        .filter(|d| {
            bot.sources
                .get(d.span.source)
                .is_some_and(|s| s.name.ends_with("appointment.flow"))
        })
        .count();
    assert_eq!(
        in_appointment,
        diags.len(),
        "all mistakes are in appointment.flow"
    );
}

/// Every ` ```guichet ` block of the language reference is a complete bot:
/// the checker must find no error in any of them.
#[test]
fn the_language_reference_examples_have_no_errors() {
    let doc = include_str!("../docs/language.md");
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        match &mut current {
            None if line.trim() == "```guichet" => current = Some(String::new()),
            Some(text) if line.trim() == "```" => {
                blocks.push(std::mem::take(text));
                current = None;
            }
            Some(text) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    assert!(blocks.len() >= 5);
    for (i, text) in blocks.iter().enumerate() {
        let mut files = vec![SourceFile {
            name: format!("example{i}.flow"),
            text: text.clone(),
        }];
        if text.contains("tariffs.csv") {
            files.push(SourceFile {
                name: "tariffs.csv".into(),
                text: "rank,price\nfirst,15.00\nsecond,30.00\n".into(),
            });
        }
        let bot = load::parse(&files);
        let errors: Vec<_> = check(&bot)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "example {i}:\n{text}\n{errors:#?}");
    }
}

fn flowish() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "bot",
        "\"x\"",
        "languages",
        "fr",
        "nl",
        "en",
        "de",
        "end",
        "flow",
        "f",
        "g",
        "form",
        "slot",
        "s",
        ":",
        "date",
        "like",
        "ask",
        "fr:",
        "\"{s}\"",
        "\"{s +}\"",
        "say",
        "goto",
        "call",
        "do",
        "a",
        "(",
        ")",
        "x",
        "=",
        "set",
        "if",
        "else",
        "match",
        "case",
        "1",
        "+",
        "today()",
        "lookup(t, \"c\", 1)",
        "table",
        "t",
        "from",
        "\"t.csv\"",
        "action",
        "->",
        "choice",
        "option",
        "o",
        "attempts",
        "0",
        "then",
        "button",
        "stop",
        "return",
        "\n",
        "triggers",
        "label",
        "confirm",
        "é",
        "€5",
        "3 days",
        "[",
        "]",
        ",",
        ".",
        "default",
    ]);
    prop::collection::vec(words, 0..60).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn check_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        let bot = load::parse(&[SourceFile { name: "bot.flow".into(), text }]);
        let _ = check(&bot);
    }

    #[test]
    fn check_never_panics_on_almost_bots(text in flowish(), csv in "[a-z0-9,.\"\n-]{0,40}") {
        let bot = load::parse(&[
            SourceFile { name: "bot.flow".into(), text },
            SourceFile { name: "t.csv".into(), text: csv },
        ]);
        let diags = check(&bot);
        let _ = guichet::render::render(&diags, &bot.sources, false);
    }
}

fn codes_of(source: &str) -> Vec<(&'static str, Severity, String)> {
    let bot = load::parse(&[SourceFile {
        name: "bot.flow".into(),
        text: format!("bot \"T\"\n  languages en\nend\n\n{source}"),
    }]);
    check(&bot)
        .into_iter()
        .map(|d| (d.code, d.severity, d.message))
        .collect()
}

fn has(found: &[(&'static str, Severity, String)], code: &str, severity: Severity) -> bool {
    found.iter().any(|(c, s, _)| *c == code && *s == severity)
}

#[test]
fn flows_that_call_each_other_before_asking_anything_are_an_endless_loop() {
    let found = codes_of(
        "flow a\n  triggers en: \"a\"\n  say en: \"A\"\n  call b\nend\n\nflow b\n  say en: \"B\"\n  call a\nend\n",
    );
    assert!(has(&found, "endless-loop", Severity::Error), "{found:#?}");
    assert!(
        !has(&found, "recursive-call", Severity::Warning),
        "{found:#?}"
    );
}

#[test]
fn flows_that_call_each_other_after_a_question_nest_and_are_warned_about() {
    let mutual = "flow a\n  triggers en: \"a\"\n  form\n    slot more: yesno\n      ask en: \"More?\"\n  end\n  if more\n    call b\n  end\nend\n\nflow b\n  say en: \"B\"\n  call a\nend\n";
    let found = codes_of(mutual);
    assert!(
        has(&found, "recursive-call", Severity::Warning),
        "{found:#?}"
    );
    assert!(
        !found.iter().any(|(_, s, _)| *s == Severity::Error),
        "{found:#?}"
    );
    // The same retry written with `restart` is a loop, not a nesting.
    let looped = "flow a\n  triggers en: \"a\"\n  form\n    slot more: yesno\n      ask en: \"More?\"\n  end\n  if more\n    restart\n  end\nend\n";
    assert_eq!(codes_of(looped), vec![]);
}

#[test]
fn a_loop_through_a_form_whose_slots_may_all_be_skipped_is_warned_about() {
    // The slot holds a value before the form, so it is never asked.
    let found = codes_of(
        "flow a\n  triggers en: \"a\"\n  set x = \"known\"\n  form\n    slot x: text\n      ask en: \"X?\"\n  end\n  goto a\nend\n",
    );
    assert!(has(&found, "endless-loop", Severity::Error), "{found:#?}");
    let found = codes_of(
        "flow a\n  triggers en: \"a\"\n  form\n    slot x: text\n      when weekday(today()) == 1\n      ask en: \"X?\"\n  end\n  restart\nend\n",
    );
    assert!(
        has(&found, "loop-without-question", Severity::Warning),
        "{found:#?}"
    );
    // An argument keeps its value over `restart`: a slot of the same name is never asked again.
    let found = codes_of(
        "flow a\n  triggers en: \"a\"\n  call b(x: \"known\")\nend\n\nflow b(x: text)\n  form\n    slot x: text\n      ask en: \"X?\"\n  end\n  restart\nend\n",
    );
    assert!(has(&found, "endless-loop", Severity::Error), "{found:#?}");
}

#[test]
fn a_flow_that_needs_arguments_cannot_be_started_from_outside() {
    let callee = "flow pay(amount: money)\n  say en: \"Paying {amount}.\"\nend\n";
    let found = codes_of(&format!(
        "flow a\n  triggers en: \"a\"\n  goto pay\nend\n\n{callee}"
    ));
    assert!(
        has(&found, "missing-argument", Severity::Error),
        "{found:#?}"
    );
    let found = codes_of(&format!(
        "flow a\n  triggers en: \"a\"\n  say en: \"Pay?\"\n    button pay en: \"Pay\"\nend\n\n{callee}"
    ));
    assert!(
        has(&found, "missing-argument", Severity::Error),
        "{found:#?}"
    );
    let found = codes_of(
        "flow pay(amount: money)\n  triggers en: \"pay\"\n  say en: \"Paying {amount}.\"\nend\n",
    );
    assert!(
        has(&found, "missing-argument", Severity::Error),
        "{found:#?}"
    );
    let found = codes_of(&format!(
        "flow a\n  triggers en: \"a\"\n  call pay(amount: 5 EUR)\nend\n\n{callee}"
    ));
    assert_eq!(found, vec![]);
}
