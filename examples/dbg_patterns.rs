// Lists trigger patterns that keep a single content word once stop words are dropped.
fn main() {
    let files = guichet::load::read_path(std::path::Path::new("flows")).unwrap();
    let parsed = guichet::load::parse(&files);
    for item in &parsed.items {
        let (name, headers) = match item {
            guichet::syntax::ast::Item::Flow(f) => (&f.name.name, &f.headers),
            guichet::syntax::ast::Item::Faq(f) => (&f.name.name, &f.headers),
            _ => continue,
        };
        for p in &headers.triggers {
            for line in &p.lines {
                for s in &line.phrases {
                    let text = s.literal_text();
                    let words = text
                        .split(|c: char| !c.is_alphanumeric() && c != '\'')
                        .filter(|w| !w.is_empty())
                        .count();
                    if words >= 3 {
                        let idx = guichet::understand::matcher::TriggerIndex::build(
                            &[guichet::understand::matcher::TriggerSpec {
                                target: 0,
                                lang: line.lang.code.parse().unwrap(),
                                pattern: text.clone(),
                            }],
                            &Default::default(),
                        )
                        .0;
                        // probe: drop each word; if a 1-word message matches, the pattern hangs on one word
                        for w in text
                            .split(|c: char| !c.is_alphanumeric())
                            .filter(|w| w.len() > 2)
                        {
                            let m = idx.find(
                                &guichet::understand::Input::new(&format!("je tu {w}")),
                                None,
                                1,
                            );
                            if m.first().is_some_and(|m| {
                                m.score >= guichet::understand::matcher::MATCH_THRESHOLD
                            }) {
                                println!("{name} {}: \"{text}\" hangs on `{w}`", line.lang.code);
                            }
                        }
                    }
                }
            }
        }
    }
}
