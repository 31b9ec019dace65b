//! Which option of a declared choice the citizen picked: any phrase of an
//! option (folded, whole words, one typo allowed in words of five letters or
//! more), the option key, or its position ("le premier", "the second", "2",
//! "de laatste"). Several options mentioned give several candidates.

use super::number;
use super::{Candidate, ChoiceOption, ChoiceSpec, Context, Extraction};
use crate::understand::normalize::{fold, Input, Token};
use crate::understand::typo::{for_each_deletion_key, within_one_edit};
use crate::values::Value;
use rust_decimal::prelude::ToPrimitive;
use std::sync::OnceLock;

/// Words of at least this many letters may carry one typo.
const TYPO_MIN_LEN: usize = 5;

fn last_words() -> &'static Vec<String> {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        include_str!("../lexicon/choice.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(fold)
            .collect()
    })
}

struct Match {
    option: usize,
    confidence: f32,
    start: usize,
    end: usize,
    rule: &'static str,
}

/// The words of a phrase as `tokenize` splits a message.
pub(super) fn phrase_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Where `phrase` occurs in `tokens`, trying only the places `starts`
/// lists (ascending): (first token, with a typo). An exact occurrence wins
/// over an earlier one with a typo.
fn find_phrase_at(
    tokens: &[Token],
    phrase: &[String],
    starts: impl Iterator<Item = usize>,
) -> Option<(usize, bool)> {
    let n = phrase.len();
    if n == 0 || n > tokens.len() {
        return None;
    }
    let mut typo_hit = None;
    for t in starts.filter(|&t| t + n <= tokens.len()) {
        let mut typos = 0;
        let all = (0..n).all(|k| {
            let (got, want) = (tokens[t + k].text.as_str(), phrase[k].as_str());
            if got == want {
                true
            } else if long_enough_for_a_typo(want) && within_one_edit(got, want) {
                typos += 1;
                true
            } else {
                false
            }
        });
        if all {
            if typos == 0 {
                return Some((t, false));
            }
            typo_hit.get_or_insert((t, true));
        }
    }
    typo_hit
}

/// The deletion keys of each message word that is short enough to begin a
/// phrase of `spec`, with the word's position.
fn start_keys(tokens: &[Token], spec: &ChoiceSpec) -> Vec<(u64, u32)> {
    let longest = spec
        .options
        .iter()
        .map(|o| o.longest_start)
        .max()
        .unwrap_or(0);
    let mut keys = Vec::new();
    let mut chars: Vec<char> = Vec::new();
    for (t, token) in tokens.iter().enumerate() {
        chars.clear();
        chars.extend(token.text.chars().take(longest + 2));
        // One edit adds at most one letter.
        if chars.len() > longest + 1 {
            continue;
        }
        for_each_deletion_key(&chars, |key| keys.push((key, t as u32)));
    }
    keys
}

fn long_enough_for_a_typo(word: &str) -> bool {
    // Bytes are at least as many as letters: most words are settled
    // without counting.
    word.len() >= TYPO_MIN_LEN && (word.is_ascii() || word.chars().count() >= TYPO_MIN_LEN)
}

fn phrase_matches(
    input: &Input,
    ctx: &Context,
    idx: usize,
    option: &ChoiceOption,
    keys: &[(u64, u32)],
) -> Option<Match> {
    let tokens = &input.tokens;
    // (phrase, place) pairs where a phrase's first word may stand.
    let mut places: Vec<(u32, u32)> = Vec::new();
    for &(key, t) in keys {
        if let Some(phrases) = option.starts.get(&key) {
            places.extend(phrases.iter().map(|&p| (p, t)));
        }
    }
    places.sort_unstable();
    places.dedup();
    let mut best: Option<Match> = None;
    for group in places.chunk_by(|a, b| a.0 == b.0) {
        let Some((lang, words)) = option.words.get(group[0].0 as usize) else {
            continue;
        };
        let (conf, rule) = match lang {
            Some(l) if *l == ctx.lang => (0.95, "choice.phrase"),
            Some(_) => (0.9, "choice.phrase"),
            None => (0.9, "choice.key"),
        };
        // A one-letter key ("a") is an answer only on its own.
        if words.len() == 1 && words[0].chars().count() < 2 && tokens.len() != 1 {
            continue;
        }
        let starts = group.iter().map(|&(_, t)| t as usize);
        let Some((t, typo)) = find_phrase_at(tokens, words, starts) else {
            continue;
        };
        let confidence = if typo { conf - 0.15 } else { conf };
        let (start, end) = (tokens[t].start, tokens[t + words.len() - 1].end);
        let better = best.as_ref().is_none_or(|b| {
            confidence > b.confidence
                || (confidence == b.confidence && end - start > b.end - b.start)
        });
        if better {
            best = Some(Match {
                option: idx,
                confidence,
                start,
                end,
                rule,
            });
        }
    }
    best
}

pub fn extract(input: &Input, ctx: &Context) -> Extraction {
    let Some(spec) = ctx.choice else {
        return Extraction::default();
    };
    let count = spec.options.len();
    let keys = start_keys(&input.tokens, spec);
    let mut matches: Vec<Match> = spec
        .options
        .iter()
        .enumerate()
        .filter_map(|(i, o)| phrase_matches(input, ctx, i, o, &keys))
        .collect();
    // A phrase inside a longer phrase of another option ("appartement" in
    // "grand appartement") is not a mention of its own.
    let spans: Vec<(usize, usize, usize)> =
        matches.iter().map(|m| (m.option, m.start, m.end)).collect();
    matches.retain(|m| {
        !spans.iter().any(|&(o, s, e)| {
            o != m.option && s <= m.start && m.end <= e && (e - s) > (m.end - m.start)
        })
    });

    // Positions: "le deuxième", "the 2nd", "2", "de laatste".
    let inside_phrase = |s: usize, e: usize| matches.iter().any(|m| m.start <= s && e <= m.end);
    let mut positions: Vec<Match> = Vec::new();
    let (_, found) = number::scan(input, ctx.lang);
    for f in found {
        let Some(n) = f
            .parsed
            .value
            .to_usize()
            .filter(|_| f.parsed.value.fract().is_zero())
        else {
            continue;
        };
        // "un", "een", "one" are mostly articles or pronouns ("the third one").
        if n == 0 || n > count || f.parsed.lone_one || inside_phrase(f.start, f.end) {
            continue;
        }
        let short = input.tokens.len() <= 3;
        let confidence = if f.parsed.ordinal {
            0.85
        } else if short {
            0.8
        } else {
            0.6
        };
        positions.push(Match {
            option: n - 1,
            confidence,
            start: f.start,
            end: f.end,
            rule: "choice.position",
        });
    }
    if count > 0 {
        for t in &input.tokens {
            if last_words().iter().any(|w| *w == t.text) && !inside_phrase(t.start, t.end) {
                positions.push(Match {
                    option: count - 1,
                    confidence: 0.85,
                    start: t.start,
                    end: t.end,
                    rule: "choice.position",
                });
            }
        }
    }
    matches.extend(positions);

    // One candidate per option, its best mention.
    let mut out = Extraction::default();
    for idx in 0..count {
        let best = matches.iter().filter(|m| m.option == idx).max_by(|a, b| {
            a.confidence
                .partial_cmp(&b.confidence)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        if let Some(m) = best {
            out.candidates.push(Candidate {
                value: Value::Text(spec.options[idx].key.clone()),
                span: input.folded.original_span(m.start..m.end),
                confidence: m.confidence,
                rule: m.rule.to_string(),
            });
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::extract::ChoiceSpec;
    use crate::values::Lang;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn spec() -> ChoiceSpec {
        let opt = |key: &str, fr: &str, nl: &str, en: &str| {
            ChoiceOption::new(
                key,
                vec![
                    (Lang::Fr, fr.to_string()),
                    (Lang::Nl, nl.to_string()),
                    (Lang::En, en.to_string()),
                ],
            )
        };
        ChoiceSpec {
            options: vec![
                opt("creche", "crèche", "kinderdagverblijf", "day nursery"),
                opt(
                    "gardienne",
                    "gardienne à domicile",
                    "onthaalouder",
                    "childminder",
                ),
                opt(
                    "ecole",
                    "école maternelle",
                    "kleuterschool",
                    "nursery school",
                ),
            ],
        }
    }

    fn picks(text: &str, lang: Lang) -> Vec<String> {
        let spec = spec();
        let ctx = Context {
            lang,
            now: NaiveDate::from_ymd_opt(2024, 5, 3)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            policy: Default::default(),
            order: Default::default(),
            choice: Some(&spec),
        };
        extract(&Input::new(text), &ctx)
            .candidates
            .into_iter()
            .map(|c| match c.value {
                Value::Text(t) => t,
                v => format!("{v:?}"),
            })
            .collect()
    }

    #[test]
    fn phrases_keys_and_typos() {
        assert_eq!(picks("plutôt une Creche svp", Lang::Fr), ["creche"]);
        assert_eq!(picks("een onthaalouder graag", Lang::Nl), ["gardienne"]);
        assert_eq!(picks("a nursery scohol", Lang::En), ["ecole"]);
        assert_eq!(picks("ecole", Lang::En), ["ecole"]);
    }

    #[test]
    fn positions() {
        assert_eq!(picks("le deuxième", Lang::Fr), ["gardienne"]);
        assert_eq!(picks("the third one", Lang::En), ["ecole"]);
        assert_eq!(picks("2", Lang::Nl), ["gardienne"]);
        assert_eq!(picks("de laatste", Lang::Nl), ["ecole"]);
    }

    #[test]
    fn several_options_and_none() {
        let mut got = picks("crèche ou école maternelle", Lang::Fr);
        got.sort();
        assert_eq!(got, ["creche", "ecole"]);
        assert!(picks("je ne sais pas", Lang::Fr).is_empty());
    }

    #[test]
    fn nothing_without_a_choice() {
        let ctx = Context {
            lang: Lang::Fr,
            now: NaiveDate::from_ymd_opt(2024, 5, 3)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            policy: Default::default(),
            order: Default::default(),
            choice: None,
        };
        assert!(extract(&Input::new("crèche"), &ctx).candidates.is_empty());
    }

    /// Every place of the message tried, as the search did before it kept
    /// to the places a phrase's first word may stand.
    fn find_phrase_everywhere(tokens: &[Token], phrase: &[String]) -> Option<(usize, bool)> {
        find_phrase_at(tokens, phrase, 0..tokens.len())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn phrases_are_found_where_trying_every_place_finds_them(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("creche"), Just("crech"), Just("cerche"), Just("ecole"), Just("ecoles"),
                    Just("maternelle"), Just("maternele"), Just("gardienne"), Just("a"),
                    Just("domicile"), Just("day"), Just("nursery"), Just("nursrey"), Just("x"),
                    Just("school"), Just("kleuterschool"), Just("kleuterschol"), Just("le"),
                ],
                0..8,
            ),
            lang in prop_oneof![Just(Lang::Fr), Just(Lang::Nl), Just(Lang::En)],
        ) {
            let input = Input::new(&words.join(" "));
            let spec = spec();
            let keys = start_keys(&input.tokens, &spec);
            for option in &spec.options {
                for (p, (_, phrase)) in option.words.iter().enumerate() {
                    let mut starts: Vec<usize> = keys
                        .iter()
                        .filter(|(k, _)| option.starts.get(k).is_some_and(|l| l.contains(&(p as u32))))
                        .map(|&(_, t)| t as usize)
                        .collect();
                    starts.sort_unstable();
                    starts.dedup();
                    prop_assert_eq!(
                        find_phrase_at(&input.tokens, phrase, starts.into_iter()),
                        find_phrase_everywhere(&input.tokens, phrase),
                        "{:?} in {:?} ({:?})", phrase, words, lang
                    );
                }
            }
        }

        #[test]
        fn never_panics(s in "\\PC{0,60}") {
            for lang in Lang::ALL {
                let _ = picks(&s, lang);
            }
        }
    }
}
