//! A person's name in a message: after an introducer ("je m'appelle Tom
//! Dupont", "mijn naam is Els Peeters", "my name is John Smith") or as a
//! bare answer ("Tom", "Marie-Claire", "van den Broeck"). Names typed in
//! lower case are capitalised; particles stay as typed.

#[path = "name_lexicon.rs"]
mod name_lexicon;

use super::{Candidate, Context, Extraction};
use crate::understand::normalize::{tokenize, Input, Token};
use crate::values::Value;
use name_lexicon::{
    FILLERS, INTRODUCERS, KIN, NAME_ENDERS, PARTICLES, QUESTION_WORDS, SENTENCE_WORDS,
};
use std::sync::OnceLock;

/// Longer than this is a sentence, not a name.
const MAX_WORDS: usize = 5;

/// An introducer's words, how sure it makes us, and whether the name
/// after it must be capitalised (the kinship words).
type Introducer = (Vec<String>, f32, bool);

fn introducers() -> &'static [Introducer] {
    static TABLE: OnceLock<Vec<Introducer>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let words = |phrase: &str| {
            tokenize(phrase)
                .into_iter()
                .map(|t| t.text.into())
                .collect()
        };
        let mut table: Vec<Introducer> = INTRODUCERS
            .iter()
            .map(|(phrase, conf)| (words(phrase), *conf, false))
            .chain(KIN.iter().map(|phrase| (words(phrase), 0.9, true)))
            .collect();
        table.sort_by_key(|(words, _, _)| std::cmp::Reverse(words.len()));
        table
    })
}

fn is_name_word(token: &Token) -> bool {
    token.text.chars().all(char::is_alphabetic)
}

/// Whether only spaces, hyphens or apostrophes separate two tokens: a comma
/// or full stop ends the name.
fn joined(input: &Input, a: &Token, b: &Token) -> bool {
    input
        .folded
        .text
        .get(a.end..b.start)
        .is_some_and(|gap| gap.chars().all(|c| c == ' ' || c == '-' || c == '\''))
}

/// Capitalises words typed all in lower case, part by part around hyphens;
/// particles and words the citizen capitalised stay as typed.
fn tidy(original: &str) -> String {
    let words: Vec<String> = original
        .split_whitespace()
        .map(|word| {
            let lower = word.chars().all(|c| !c.is_uppercase());
            if !lower || PARTICLES.contains(&word) {
                return word.to_string();
            }
            word.split('-')
                .map(|part| {
                    let mut chars = part.chars();
                    match chars.next() {
                        Some(first) => first.to_uppercase().chain(chars).collect(),
                        None => String::new(),
                    }
                })
                .collect::<Vec<String>>()
                .join("-")
        })
        .collect();
    words.join(" ")
}

fn candidate(input: &Input, tokens: &[Token], confidence: f32, rule: &str) -> Option<Candidate> {
    let (first, last) = (tokens.first()?, tokens.last()?);
    let span = input.folded.original_span(first.start..last.end);
    let value = tidy(input.original.get(span.clone())?);
    // An e-mail address or a reference is never a name, even when its
    // pieces look like words.
    let not_a_name = value.contains('@') || value.chars().any(|c| c.is_ascii_digit());
    (!value.is_empty() && !not_a_name).then(|| Candidate {
        value: Value::text(value),
        span,
        confidence,
        rule: rule.to_string(),
    })
}

/// The name after an introducer: name words up to punctuation, a word that
/// ends it, or five words.
fn after_introducer(input: &Input) -> Option<Candidate> {
    let tokens = &input.tokens;
    let upper = |t: &Token| {
        input
            .original_text(t.start..t.end)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    };
    let mut best: Option<Candidate> = None;
    for start in 0..tokens.len() {
        for (words, confidence, capitalised) in introducers() {
            let matches = tokens
                .get(start..start + words.len())
                .is_some_and(|t| t.iter().zip(words).all(|(a, b)| a.text == *b));
            if !matches {
                continue;
            }
            let from = start + words.len();
            // "c'est quand ?" asks: no name follows.
            if tokens
                .get(from)
                .is_some_and(|t| QUESTION_WORDS.contains(&t.text.as_str()))
            {
                continue;
            }
            let starts_upper = tokens.get(from).is_some_and(upper);
            if *capitalised && !starts_upper {
                continue;
            }
            let mut end = from;
            while end < tokens.len()
                && end - from < MAX_WORDS
                && is_name_word(&tokens[end])
                && !NAME_ENDERS.contains(&tokens[end].text.as_str())
                && (end == from || joined(input, &tokens[end - 1], &tokens[end]))
                // A name typed with capitals ends at the first lower-case
                // word that is no particle: "Léa à la crèche", "Tom needs".
                && (end == from
                    || !starts_upper
                    || upper(&tokens[end])
                    || PARTICLES.contains(&tokens[end].text.as_str()))
            {
                end += 1;
            }
            // "c'est le 4 mai": particles alone are no name.
            let only_particles = tokens[from..end]
                .iter()
                .all(|t| PARTICLES.contains(&t.text.as_str()));
            if end > from && !only_particles {
                if let Some(c) =
                    candidate(input, &tokens[from..end], *confidence, "name_introduced")
                {
                    // The surest introducer wins ("I'm looking for daycare for my son Tom").
                    if best.as_ref().is_none_or(|b| c.confidence > b.confidence) {
                        best = Some(c);
                    }
                }
            }
        }
    }
    best
}

/// The whole message minus greetings and fillers, when it reads as a name.
fn bare_answer(input: &Input) -> Option<Candidate> {
    let tokens = &input.tokens;
    let is_filler = |t: &Token| FILLERS.contains(&t.text.as_str());
    let from = tokens.iter().position(|t| !is_filler(t))?;
    let to = tokens.iter().rposition(|t| !is_filler(t))? + 1;
    let words = &tokens[from..to];
    if words.is_empty() || words.len() > MAX_WORDS || !words.iter().all(is_name_word) {
        return None;
    }
    let sentence_like = words
        .iter()
        .any(|t| SENTENCE_WORDS.contains(&t.text.as_str()));
    let confidence = if sentence_like { 0.3 } else { 0.85 };
    candidate(input, words, confidence, "name_bare")
}

pub fn extract(input: &Input, _ctx: &Context) -> Extraction {
    let mut found = Extraction::default();
    if let Some(c) = after_introducer(input) {
        found.candidates.push(c);
    } else if let Some(c) = bare_answer(input) {
        found.candidates.push(c);
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::extract::test_support;

    #[test]
    fn a_question_word_after_an_introducer_is_not_a_name() {
        for sentence in [
            "Diwali 2026 c'est quand ?",
            "c'est où la crèche ?",
            "het is wanneer?",
            "it's when exactly?",
        ] {
            // Nothing, or at most the low confidence of a bare sentence.
            let found = best(sentence);
            assert!(
                found.as_ref().is_none_or(|(_, c)| *c < 0.5),
                "{sentence}: {found:?}"
            );
        }
        assert_eq!(name("c'est Quentin").as_deref(), Some("Quentin"));
    }

    #[test]
    fn a_lower_case_word_after_mon_fils_is_not_a_name() {
        let ctx = Context {
            lang: crate::values::Lang::Fr,
            now: chrono::NaiveDate::from_ymd_opt(2025, 4, 14)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            policy: Default::default(),
            order: Default::default(),
            choice: None,
        };
        for sentence in [
            "Je voudrais inscrire mon fils à la crèche",
            "Ik wil mijn dochter inschrijven in de kinderopvang",
            "I would like to enrol my son in daycare",
            "c'est le 4 mai 2024",
        ] {
            let found = extract(&Input::new(sentence), &ctx);
            assert!(
                found.best().is_none_or(|c| c.confidence < 0.9),
                "{sentence}: {found:?}"
            );
        }
    }

    #[test]
    fn a_child_introduced_by_its_parent_is_a_name_and_an_email_is_not() {
        let ctx = Context {
            lang: crate::values::Lang::Fr,
            now: chrono::NaiveDate::from_ymd_opt(2025, 4, 14)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            policy: Default::default(),
            order: Default::default(),
            choice: None,
        };
        let found = extract(
            &Input::new("une place pour ma fille Louise née le 3 mai 2024"),
            &ctx,
        );
        assert_eq!(
            found.best().map(|c| c.value.clone()),
            Some(Value::text("Louise"))
        );
        assert!(found.best().is_some_and(|c| c.confidence >= 0.9));
        assert!(extract(&Input::new("louise@example.be"), &ctx)
            .best()
            .is_none());
        for (sentence, name) in [
            ("je voudrais inscrire ma fille Léa à la crèche", "Léa"),
            (
                "ik wil mijn dochter Lotte inschrijven in de kinderopvang",
                "Lotte",
            ),
            ("Hello, my son Tom needs a daycare place", "Tom"),
            (
                "hi, I'm looking for daycare for my son Tom, born on 3 May 2024",
                "Tom",
            ),
            ("je m'appelle tom dupont", "Tom Dupont"),
            ("mon nom est Jan van den Broeck", "Jan van den Broeck"),
        ] {
            let found = extract(&Input::new(sentence), &ctx);
            assert_eq!(
                found.best().map(|c| c.value.clone()),
                Some(Value::text(name)),
                "{sentence}"
            );
        }
        let found = extract(&Input::new("my son Tom born on 3 May"), &ctx);
        assert_eq!(
            found.best().map(|c| c.value.clone()),
            Some(Value::text("Tom"))
        );
    }
    use crate::values::Lang;
    use proptest::prelude::*;

    fn ctx() -> Context<'static> {
        test_support::context(Lang::Fr)
    }

    fn best(text: &str) -> Option<(String, f32)> {
        let found = extract(&Input::new(text), &ctx());
        found.best().map(|c| {
            let Value::Text(v) = &c.value else { panic!() };
            (v.clone(), c.confidence)
        })
    }

    fn name(text: &str) -> Option<String> {
        best(text).map(|b| b.0)
    }

    #[test]
    fn introduced_names_in_three_languages() {
        assert_eq!(
            name("je m'appelle Tom Dupont").as_deref(),
            Some("Tom Dupont")
        );
        assert_eq!(
            name("Je m’appelle tom dupont, merci").as_deref(),
            Some("Tom Dupont")
        );
        assert_eq!(
            name("mijn naam is Els Peeters").as_deref(),
            Some("Els Peeters")
        );
        assert_eq!(
            name("my name is John Smith and I live here").as_deref(),
            Some("John Smith")
        );
        assert_eq!(name("il s'appelle Tom").as_deref(), Some("Tom"));
        assert_eq!(
            name("ik heet jan van den broeck").as_deref(),
            Some("Jan van den Broeck")
        );
    }

    #[test]
    fn bare_answers() {
        assert_eq!(name("Tom").as_deref(), Some("Tom"));
        assert_eq!(name("tom").as_deref(), Some("Tom"));
        assert_eq!(name("marie-claire").as_deref(), Some("Marie-Claire"));
        assert_eq!(name("van den Broeck").as_deref(), Some("van den Broeck"));
        assert_eq!(name("De Smet").as_deref(), Some("De Smet"));
        assert_eq!(name("Bonjour, Tom Dupont").as_deref(), Some("Tom Dupont"));
        assert_eq!(
            name("Hallo! Els Peeters, bedankt").as_deref(),
            Some("Els Peeters")
        );
    }

    #[test]
    fn sentences_and_numbers_are_not_names() {
        assert!(best("je ne sais pas").unwrap().1 < 0.5);
        assert!(best("weet ik niet").unwrap().1 < 0.5);
        assert!(best("I don't know").unwrap().1 < 0.5);
        assert_eq!(name("0470 12 34 56"), None);
        assert_eq!(name("Tom 2"), None);
        assert_eq!(name("one two three four five six seven"), None);
        assert_eq!(name(""), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            let _ = extract(&Input::new(&s), &ctx());
        }
    }
}
