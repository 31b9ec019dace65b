//! Which option of a declared choice the citizen picked: any phrase of an
//! option (folded, whole words, one typo allowed in words of five letters or
//! more), the option key, or its position ("le premier", "the second", "2",
//! "de laatste"). Several options mentioned give several candidates.

use super::number;
use super::{Candidate, ChoiceOption, Context, Extraction};
use crate::understand::normalize::{fold, Input, Token};
use crate::understand::typo::within_one_edit;
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

/// Where `phrase` occurs in `tokens`: (first token, tokens, with a typo).
fn find_phrase(tokens: &[Token], phrase: &[String]) -> Option<(usize, bool)> {
    let n = phrase.len();
    if n == 0 || n > tokens.len() {
        return None;
    }
    let mut typo_hit = None;
    for t in 0..=tokens.len() - n {
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
) -> Option<Match> {
    let tokens = &input.tokens;
    let mut best: Option<Match> = None;
    for (lang, words) in &option.words {
        let (conf, rule) = match lang {
            Some(l) if *l == ctx.lang => (0.95, "choice.phrase"),
            Some(_) => (0.9, "choice.phrase"),
            None => (0.9, "choice.key"),
        };
        // A one-letter key ("a") is an answer only on its own.
        if words.len() == 1 && words[0].chars().count() < 2 && tokens.len() != 1 {
            continue;
        }
        let Some((t, typo)) = find_phrase(tokens, words) else {
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
    let mut matches: Vec<Match> = spec
        .options
        .iter()
        .enumerate()
        .filter_map(|(i, o)| phrase_matches(input, ctx, i, o))
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(s in "\\PC{0,60}") {
            for lang in Lang::ALL {
                let _ = picks(&s, lang);
            }
        }
    }
}
