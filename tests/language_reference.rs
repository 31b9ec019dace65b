//! Every ```guichet block of docs/language.md is a complete bot that loads
//! with no error: the reference cannot drift from the language.

use guichet::Bot;

/// Tables the examples read, given as files beside them.
const TABLES: &[(&str, &str)] = &[("tariffs.csv", "rank,price\nfirst,15.00\nsecond,120.00\n")];

fn examples_of(doc: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in doc.lines().enumerate() {
        match (&mut current, line.trim_end()) {
            (None, "```guichet") => current = Some((n + 1, String::new())),
            (Some(_), "```") => out.extend(current.take()),
            (Some((_, text)), l) => {
                text.push_str(l);
                text.push('\n');
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_example_of_the_language_reference_loads() {
    let examples = examples_of(include_str!("../docs/language.md"));
    assert!(
        examples.len() >= 8,
        "the reference has an example per construct"
    );
    let readme = examples_of(include_str!("../README.md"));
    assert!(!readme.is_empty(), "the README shows the language");
    let examples: Vec<(usize, String)> = examples.into_iter().chain(readme).collect();
    for (line, text) in examples {
        let mut files = vec![("example.flow", text.as_str())];
        files.extend(TABLES.iter().copied());
        if let Err(e) = Bot::from_sources(&files) {
            panic!("the example at docs/language.md:{line} does not load:\n{e}");
        }
    }
}

#[test]
fn the_url_example_reads_an_address_in_a_sentence() {
    use guichet::{Event, Input};
    let doc = include_str!("../docs/language.md");
    let (_, text) = examples_of(doc)
        .into_iter()
        .find(|(_, t)| t.contains("slot page: url"))
        .expect("the reference shows a url slot");
    let bot = Bot::from_sources(&[("example.flow", text.as_str())]).expect("the example loads");
    let now = chrono::NaiveDate::from_ymd_opt(2025, 4, 14)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("a moment");
    let says = |events: Vec<Event>| -> Vec<String> {
        events
            .into_iter()
            .filter_map(|e| match e {
                Event::Say { text, .. } => Some(text),
                _ => None,
            })
            .collect()
    };
    let mut session = bot.new_session(Some(guichet::values::Lang::Fr), 1);
    let asked = says(bot.turn(&mut session, Input::text("signaler une page"), now));
    assert!(asked.iter().any(|t| t.contains("Quelle page")), "{asked:?}");
    // A script link is no page: asked again.
    let again = says(bot.turn(&mut session, Input::text("javascript:alert(1)"), now));
    assert!(
        !again.iter().any(|t| t.contains("nous vérifions")),
        "{again:?}"
    );
    let done = says(bot.turn(
        &mut session,
        Input::text("c'est la page www.bruyeres.be/horaires merci"),
        now,
    ));
    assert!(
        done.iter()
            .any(|t| t.contains("nous vérifions https://www.bruyeres.be/horaires")),
        "{done:?}"
    );
}

#[test]
fn the_link_example_encodes_what_the_citizen_typed() {
    use guichet::{Event, Input};
    let doc = include_str!("../docs/language.md");
    let (_, text) = examples_of(doc)
        .into_iter()
        .find(|(_, t)| t.contains("search?q={question}"))
        .expect("docs/language.md shows a link that interpolates a value");
    let bot = Bot::from_sources(&[("example.flow", text.as_str())]).unwrap();
    let mut session = bot.new_session(Some(guichet::Lang::En), 0);
    let now = chrono::NaiveDate::from_ymd_opt(2025, 4, 14)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    bot.turn(&mut session, Input::text("search the website"), now);
    let events = bot.turn(&mut session, Input::text("parking & permits #1"), now);
    let urls: Vec<&str> = events
        .iter()
        .flat_map(|e| match e {
            Event::Say { links, .. } => links.iter().map(|l| l.url.as_str()).collect(),
            _ => vec![],
        })
        .collect();
    let expected = "https://www.example.be/search?q=parking%20%26%20permits%20%231";
    assert_eq!(urls, [expected]);
    assert!(
        doc.contains(&format!("`{expected}`")),
        "the reference shows the address"
    );
}
