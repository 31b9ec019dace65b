//! Guessing which of the bot's languages a short message is in.
//!
//! Citizens' messages are short ("ok", "ja graag", "c'est pour ma fille"), so
//! statistical models trained on long text do poorly. Evidence here is a
//! weighted list of function words, greetings and character patterns
//! (`lexicon/langdetect.txt`). The session's current language wins unless
//! the message clearly says otherwise: switching a citizen's language on one
//! ambiguous word ("merci" is everyday Flemish too) is worse than not switching.

use crate::lookup::{FastMap, FastSet};
use crate::understand::normalize::Input;
use crate::values::Lang;
use std::sync::OnceLock;

/// Below this total a message says nothing about its language.
const MIN_EVIDENCE: f32 = 0.5;
/// Without a current language, the best must lead the next by this much.
const MIN_LEAD: f32 = 0.5;
/// Leaving the current language needs this lead over it: two distinctive
/// words, or one very distinctive one ("bonjour", "alstublieft", "hello").
const CLEAR_LEAD: f32 = 1.5;
/// Character patterns and accents alone are hints, never clear evidence.
const MAX_CHARACTER_EVIDENCE: f32 = 1.2;
/// One unknown word's letters count at most this much per language.
const MAX_PATTERN_EVIDENCE_PER_WORD: f32 = 0.6;
/// Confidence reported when the current language is kept on weak evidence.
const KEPT_CONFIDENCE: f32 = 0.5;
const MAX_WORDS: usize = 100;

type Weights = [f32; 3];

#[derive(Debug, Default)]
struct Clues {
    words: FastMap<String, Weights>,
    endings: Vec<(String, Weights)>,
    contains: Vec<(String, Weights)>,
    accents: FastMap<char, Weights>,
}

fn slot(lang: Lang) -> usize {
    match lang {
        Lang::Fr => 0,
        Lang::Nl => 1,
        Lang::En => 2,
    }
}

fn clues() -> &'static Clues {
    static CLUES: OnceLock<Clues> = OnceLock::new();
    CLUES.get_or_init(|| parse_clues(include_str!("lexicon/langdetect.txt")))
}

fn parse_clues(text: &str) -> Clues {
    let mut clues = Clues::default();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let (Some(kind), Some(key)) = (fields.next(), fields.next()) else {
            continue;
        };
        let mut weights = [0.0; 3];
        for field in fields {
            let Some((code, weight)) = field.split_once('=') else {
                continue;
            };
            if let (Ok(lang), Ok(w)) = (code.parse::<Lang>(), weight.parse::<f32>()) {
                weights[slot(lang)] = w;
            }
        }
        match kind {
            "word" => {
                clues.words.insert(key.to_string(), weights);
            }
            "ending" => clues.endings.push((key.to_string(), weights)),
            "contains" => clues.contains.push((key.to_string(), weights)),
            "accent" => {
                if let Some(c) = key.chars().next() {
                    clues.accents.insert(c, weights);
                }
            }
            _ => {}
        }
    }
    // The longest ending that fits speaks for the word.
    clues.endings.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
    clues
}

/// Folded byte ranges of e-mail addresses and links: their letters are
/// names and domains, not language.
fn address_ranges(folded: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    for piece in folded.split_whitespace() {
        if piece.contains('@') || piece.contains("://") || piece.starts_with("www.") {
            // A piece is a slice of `folded`: its offset is where it starts.
            let from = piece.as_ptr() as usize - folded.as_ptr() as usize;
            ranges.push(from..from + piece.len());
        }
    }
    ranges
}

/// Evidence per language (indexed by `slot`).
fn evidence(input: &Input) -> Weights {
    let clues = clues();
    let addresses = address_ranges(&input.folded.text);
    let mut word_evidence = [0.0f32; 3];
    let mut char_evidence = [0.0f32; 3];
    let mut seen: FastSet<&str> = FastSet::default();
    for token in input.tokens.iter().take(MAX_WORDS) {
        if addresses
            .iter()
            .any(|r| r.start <= token.start && token.end <= r.end)
        {
            continue;
        }
        let word = token.text.as_str();
        if word.chars().any(|c| c.is_ascii_digit()) || !seen.insert(word) {
            continue;
        }
        if let Some(w) = clues.words.get(word) {
            add(&mut word_evidence, w, 1.0);
            continue;
        }
        if word.chars().count() < 3 {
            continue;
        }
        let mut per_word = [0.0f32; 3];
        if let Some((_, w)) = clues
            .endings
            .iter()
            .find(|(e, _)| word.ends_with(e.as_str()))
        {
            add(&mut per_word, w, 1.0);
        }
        for (pattern, w) in &clues.contains {
            if contains_bytes(word, pattern) {
                add(&mut per_word, w, 1.0);
            }
        }
        for (total, w) in char_evidence.iter_mut().zip(per_word) {
            *total += w.min(MAX_PATTERN_EVIDENCE_PER_WORD);
        }
    }
    let mut accents_seen: FastSet<char> = FastSet::default();
    for c in input.original.chars().flat_map(char::to_lowercase) {
        if let Some(w) = clues.accents.get(&c) {
            if accents_seen.insert(c) {
                add(&mut char_evidence, w, 1.0);
            }
        }
    }
    let mut total = word_evidence;
    for (t, c) in total.iter_mut().zip(char_evidence) {
        *t += c.min(MAX_CHARACTER_EVIDENCE);
    }
    total
}

/// `word.contains(pattern)` for a short word and a pattern of a few
/// letters: comparing at each position costs less than setting up the
/// general substring search, once per word and pattern.
fn contains_bytes(word: &str, pattern: &str) -> bool {
    let pattern = pattern.as_bytes();
    let Some((&first, rest)) = pattern.split_first() else {
        return true;
    };
    let word = word.as_bytes();
    // The first byte is compared inline: a call to compare the slices at
    // every position cost more than the search.
    (0..word.len().saturating_sub(rest.len())).any(|i| {
        word[i] == first
            && word[i + 1..]
                .iter()
                .zip(rest)
                .take(rest.len())
                .all(|(a, b)| a == b)
    })
}

fn add(into: &mut Weights, w: &Weights, factor: f32) {
    for (a, b) in into.iter_mut().zip(w) {
        *a += b * factor;
    }
}

/// The language of `input` among `candidates`, with a confidence in 0..1,
/// or `None` when the message is neutral ("ok", "1150", a name, an e-mail).
/// `current` (the session's language) is kept unless the message clearly
/// says otherwise.
pub fn detect(input: &Input, candidates: &[Lang], current: Option<Lang>) -> Option<(Lang, f32)> {
    let totals = evidence(input);
    let mut ranked: Vec<(Lang, f32)> = candidates
        .iter()
        .copied()
        .collect::<FastSet<Lang>>()
        .into_iter()
        .map(|l| (l, totals[slot(l)]))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let &(best, best_score) = ranked.first()?;
    if best_score < MIN_EVIDENCE {
        return None;
    }
    let runner_up = ranked.get(1).map_or(0.0, |r| r.1);
    let confidence = |lead: f32| (lead / (lead + 0.5)).clamp(0.0, 1.0);
    match current.filter(|c| candidates.contains(c)) {
        Some(current) if current == best => Some((best, confidence(best_score - runner_up))),
        Some(current) => {
            let lead = best_score - totals[slot(current)];
            if lead >= CLEAR_LEAD {
                Some((best, confidence(lead)))
            } else {
                Some((current, KEPT_CONFIDENCE))
            }
        }
        None => {
            let lead = best_score - runner_up;
            (lead >= MIN_LEAD).then(|| (best, confidence(lead)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ALL: [Lang; 3] = Lang::ALL;

    fn lang_of(text: &str, current: Option<Lang>) -> Option<Lang> {
        detect(&Input::new(text), &ALL, current).map(|(l, _)| l)
    }

    #[test]
    fn short_french_messages() {
        for text in [
            "Bonjour",
            "je voudrais un rendez-vous",
            "c'est pour ma fille",
            "Merci beaucoup",
            "oui",
            "déménagement",
            "Est-ce que je peux venir demain ?",
            "carte d'identité perdue",
            "s'il vous plaît",
        ] {
            assert_eq!(lang_of(text, None), Some(Lang::Fr), "{text}");
        }
    }

    #[test]
    fn short_dutch_messages() {
        for text in [
            "Goedendag",
            "ik wil een afspraak maken",
            "mijn kind inschrijven",
            "ja graag",
            "dank u wel",
            "wanneer wordt het afval opgehaald?",
            "nee",
            "identiteitskaart verloren",
        ] {
            assert_eq!(lang_of(text, None), Some(Lang::Nl), "{text}");
        }
    }

    #[test]
    fn short_english_messages() {
        for text in [
            "hello",
            "I need a new identity card",
            "what are the opening hours",
            "yes please",
            "thanks",
            "How do I enrol my daughter?",
        ] {
            assert_eq!(lang_of(text, None), Some(Lang::En), "{text}");
        }
    }

    #[test]
    fn neutral_messages_say_nothing() {
        for text in [
            "ok",
            "OK!",
            "1150",
            "Tom",
            "Tom Peeters",
            "jan.peeters@gmail.com",
            "👍",
            "",
            "BE71 0961 2345 6769",
            "www.schaerbeek.be",
            "?",
        ] {
            assert_eq!(lang_of(text, None), None, "{text}");
            assert_eq!(lang_of(text, Some(Lang::Nl)), None, "{text}");
        }
    }

    #[test]
    fn current_language_wins_unless_evidence_is_clear() {
        // "merci" is everyday Flemish: a Dutch session stays Dutch.
        assert_eq!(lang_of("merci", Some(Lang::Nl)), Some(Lang::Nl));
        assert_eq!(lang_of("merci", Some(Lang::Fr)), Some(Lang::Fr));
        assert_eq!(lang_of("sorry", Some(Lang::Fr)), Some(Lang::Fr));
        assert_eq!(lang_of("hallo", Some(Lang::En)), Some(Lang::En));
        assert_eq!(lang_of("ja", Some(Lang::En)), Some(Lang::En));
        // One very distinctive word, or two distinctive ones, switch.
        assert_eq!(lang_of("hello", Some(Lang::Fr)), Some(Lang::En));
        assert_eq!(lang_of("bonjour", Some(Lang::Nl)), Some(Lang::Fr));
        assert_eq!(lang_of("alstublieft", Some(Lang::Fr)), Some(Lang::Nl));
        assert_eq!(lang_of("je voudrais", Some(Lang::Nl)), Some(Lang::Fr));
        assert_eq!(
            lang_of("ik wil mijn kind inschrijven", Some(Lang::Fr)),
            Some(Lang::Nl)
        );
    }

    #[test]
    fn only_candidates_are_considered() {
        let input = Input::new("hello, thanks");
        assert_eq!(detect(&input, &[Lang::Fr, Lang::Nl], None), None);
        assert_eq!(detect(&input, &[], None), None);
        let input = Input::new("bonjour merci");
        let (lang, confidence) = detect(&input, &[Lang::Fr, Lang::Nl], Some(Lang::Nl)).unwrap();
        assert_eq!(lang, Lang::Fr);
        assert!(confidence > 0.5 && confidence <= 1.0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn byte_search_finds_what_contains_finds(word in "[aeijosuéë]{0,10}", pattern in "[aeijosuéë]{0,3}") {
            prop_assert_eq!(contains_bytes(&word, &pattern), word.contains(pattern.as_str()));
        }

        #[test]
        fn never_panics(text in "\\PC{0,80}") {
            for current in [None, Some(Lang::Fr)] {
                if let Some((_, c)) = detect(&Input::new(&text), &ALL, current) {
                    prop_assert!((0.0..=1.0).contains(&c));
                }
            }
        }
    }
}
