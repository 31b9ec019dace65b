//! `guichet graph`: diagrams of the sample bot's flows.

use guichet::graph::{graph, Format};
use guichet::Bot;
use std::path::Path;

fn sample() -> Bot {
    Bot::from_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("flows")).unwrap()
}

fn creche(format: Format) -> String {
    graph(sample().program(), Some("creche_enrolment"), format).unwrap()
}

/// The label of the node with this id, in Mermaid output.
fn mermaid_label<'a>(text: &'a str, id: &str) -> Option<&'a str> {
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with(id) && l[id.len()..].starts_with(['[', '(', '{']))
}

#[test]
fn creche_shows_slots_action_and_handoff() {
    for format in [Format::Mermaid, Format::Dot] {
        let g = creche(format);
        for slot in [
            "child_first_name: name",
            "child_last_name: name",
            "child_birth_date: date",
            "start_date: date",
            "parent_email: email",
            "parent_phone: phone",
        ] {
            assert!(g.contains(slot), "{slot} missing:\n{g}");
        }
        assert!(g.contains("do create_request("), "{g}");
        assert!(g.contains("hand over to staff: action_failed"), "{g}");
        assert!(g.contains("confirm: Voici votre demande"), "{g}");
        assert!(g.contains("fr: inscrire"), "{g}");
    }
}

#[test]
fn the_action_has_ok_and_failed_edges() {
    let g = creche(Format::Mermaid);
    let action = g
        .lines()
        .map(str::trim)
        .find(|l| l.contains("do create_request"))
        .and_then(|l| l.split(['[', '(', '{']).next())
        .unwrap()
        .to_string();
    let ok = format!("{action} -->|\"ok\"|");
    let failed = format!("{action} -->|\"failed\"|");
    assert!(g.contains(&ok), "{g}");
    assert!(g.contains(&failed), "{g}");
    // The failure path reaches the hand-over.
    let failed_target = g
        .lines()
        .find_map(|l| l.trim().strip_prefix(&failed))
        .unwrap()
        .trim();
    let said = mermaid_label(&g, failed_target).unwrap();
    assert!(said.contains("Désolé"), "{said}");
    assert!(g.contains(&format!("{failed_target} --> ")), "{g}");

    let dot = creche(Format::Dot);
    assert!(dot.contains("[label=\"ok\"]"), "{dot}");
    assert!(dot.contains("[label=\"failed\"]"), "{dot}");
}

/// Brackets and quotes outside quoted labels, balanced, per line.
fn check_mermaid(g: &str) {
    assert!(g.starts_with("flowchart TD\n"));
    let mut depth = 0i32;
    for line in g.lines().skip(1) {
        let mut in_quote = false;
        for c in line.chars() {
            match c {
                '"' => in_quote = !in_quote,
                '[' | '(' | '{' if !in_quote => depth += 1,
                ']' | ')' | '}' if !in_quote => depth -= 1,
                _ => {}
            }
            assert!(depth >= 0, "closes what it did not open: {line}");
        }
        assert!(!in_quote, "unclosed quote: {line}");
        assert_eq!(depth, 0, "unbalanced: {line}");
    }
    let opened = g
        .lines()
        .filter(|l| l.trim_start().starts_with("subgraph "))
        .count();
    let closed = g.lines().filter(|l| l.trim() == "end").count();
    assert_eq!(opened, closed);
}

/// A dot graph: one `digraph { ... }`, braces balanced, strings closed.
fn check_dot(g: &str) {
    assert!(g.starts_with("digraph guichet {\n"));
    assert!(g.ends_with("}\n"));
    let mut depth = 0i32;
    for line in g.lines() {
        let mut in_quote = false;
        let mut escaped = false;
        for c in line.chars() {
            if in_quote {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_quote = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_quote = true,
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
        }
        assert!(!in_quote, "unclosed string: {line}");
        let t = line.trim();
        assert!(
            t.ends_with('{') || t.ends_with(';') || t == "}",
            "not a statement: {line}"
        );
        assert!(depth >= 0);
    }
    assert_eq!(depth, 0);
}

#[test]
fn whole_sample_bot_is_well_formed() {
    let bot = sample();
    check_mermaid(&graph(bot.program(), None, Format::Mermaid).unwrap());
    check_dot(&graph(bot.program(), None, Format::Dot).unwrap());
    check_mermaid(&creche(Format::Mermaid));
    check_dot(&creche(Format::Dot));
}

const AWKWARD: &str = r#"
bot "Demo"
  languages en
end

flow quotes
  triggers en: "say [it] (now|later)"
  say en: "He said \"hi\" [really] {1 + 2} #tag <b> & `x`\nsecond line"
  if "a\"b" == "a]b"
    say en: "yes"
  end
  match 3
    case 1, 2
      say en: "small"
  end
  call other
  goto other
end

flow other
  triggers en: "other"
  say en: "Other."
end
"#;

#[test]
fn labels_are_escaped() {
    let bot = Bot::from_sources(&[("bot.flow", AWKWARD)]).unwrap();
    let m = graph(bot.program(), None, Format::Mermaid).unwrap();
    check_mermaid(&m);
    assert!(m.contains("He said #quot;hi#quot; [really]"), "{m}");
    assert!(m.contains("#lt;b#gt; #amp; #96;x#96;"), "{m}");
    assert!(m.contains("#35;tag"), "{m}");
    assert!(m.contains("|\"1, 2\"|"), "{m}");
    let d = graph(bot.program(), None, Format::Dot).unwrap();
    check_dot(&d);
    assert!(d.contains(r#"He said \"hi\" [really]"#), "{d}");
    assert!(d.contains(r#"[label="\"a\\\"b\" == \"a]b\""]"#), "{d}");
}

#[test]
fn calls_and_gotos_point_at_the_other_flow() {
    let bot = Bot::from_sources(&[("bot.flow", AWKWARD)]).unwrap();
    let m = graph(bot.program(), None, Format::Mermaid).unwrap();
    let other = m
        .lines()
        .map(str::trim)
        .find(|l| l.contains("[\"other<br>"))
        .and_then(|l| l.split('(').next())
        .unwrap()
        .to_string();
    let into_other = m
        .lines()
        .filter(|l| l.contains("-.->") && l.trim_end().ends_with(&format!(" {other}")))
        .count();
    assert_eq!(into_other, 2, "{m}");
    // Drawn alone, a flow shows the ones it leads to as boxes.
    let alone = graph(bot.program(), Some("quotes"), Format::Mermaid).unwrap();
    check_mermaid(&alone);
    assert!(alone.contains("[[\"flow other\"]]"), "{alone}");
}

#[test]
fn an_unknown_flow_is_an_error_with_a_suggestion() {
    let e = graph(sample().program(), Some("creche_enrolement"), Format::Dot).unwrap_err();
    assert!(e.to_string().contains("creche_enrolment"), "{e}");
}

#[test]
fn readme_diagram_is_current() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let block = readme
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the README has a mermaid block");
    assert_eq!(
        block,
        creche(Format::Mermaid),
        "regenerate it: guichet graph flows --flow creche_enrolment --format mermaid"
    );
}
