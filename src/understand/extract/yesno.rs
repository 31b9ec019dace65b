//! Yes/no answers in French, Dutch and English, colloquial forms and emoji
//! included. Every language's phrases count in any session (a Dutch speaker
//! in a French session still says "ja"), the session's language first.
//! A negation before a "yes" word makes it a "no" ("pas d'accord",
//! "niet akkoord", "not correct"), and a negated "yes" outranks a soft one:
//! "agree, it is not ok" is a no. Otherwise the first clear answer wins:
//! "Oui. J'ai dit non" answers the question with its first word.

use super::{Candidate, Context, Extraction};
use crate::understand::normalize::{fold, tokenize, Input};
use crate::values::{Lang, Value};
use std::sync::OnceLock;

#[derive(Debug, Clone)]
struct Phrase {
    lang: Option<Lang>,
    yes: bool,
    strength: f32,
    /// Folded words, or the phrase itself when it has no letters (emoji).
    words: Vec<String>,
    symbol: Option<String>,
    alone: bool,
}

#[derive(Debug, Default)]
struct Lexicon {
    phrases: Vec<Phrase>,
    negators: Vec<String>,
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut lex = Lexicon::default();
        for line in include_str!("../lexicon/yesno.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let (Some(lang), Some(answer)) = (parts.next(), parts.next()) else {
                continue;
            };
            let lang = lang.parse::<Lang>().ok();
            if answer == "negator" {
                lex.negators.extend(parts.map(fold));
                continue;
            }
            let Some(strength) = parts.next().and_then(|s| s.parse::<f32>().ok()) else {
                continue;
            };
            let mut rest: Vec<&str> = parts.collect();
            let alone = rest.last() == Some(&"alone");
            if alone {
                rest.pop();
            }
            let text = rest.join(" ");
            let words: Vec<String> = tokenize(&fold(&text))
                .into_iter()
                .map(|t| t.text.into())
                .collect();
            let symbol = words.is_empty().then(|| text.clone());
            if words.is_empty() && text.is_empty() {
                continue;
            }
            lex.phrases.push(Phrase {
                lang,
                yes: answer == "yes",
                strength,
                words,
                symbol,
                alone,
            });
        }
        // Longest phrases first so "non merci" beats "non".
        lex.phrases
            .sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        lex
    })
}

struct Hit {
    yes: bool,
    confidence: f32,
    start: usize,
    end: usize,
    rule: &'static str,
}

pub fn extract(input: &Input, ctx: &Context) -> Extraction {
    let lex = lexicon();
    let tokens = &input.tokens;
    let text = &input.folded.text;
    let lang_factor = |p: &Phrase| match p.lang {
        None => 1.0,
        Some(l) if l == ctx.lang => 1.0,
        Some(_) => 0.9,
    };
    let mut hits: Vec<Hit> = Vec::new();

    let mut t = 0;
    while t < tokens.len() {
        let mut best: Option<(&Phrase, usize)> = None;
        for p in lex.phrases.iter().filter(|p| !p.words.is_empty()) {
            let n = p.words.len();
            if t + n > tokens.len() || (p.alone && tokens.len() != n) {
                continue;
            }
            if !(0..n).all(|k| tokens[t + k].text == p.words[k]) {
                continue;
            }
            // Longest first; among equals, the session's language.
            let better = match best {
                None => true,
                Some((b, _)) => {
                    n > b.words.len() || (n == b.words.len() && lang_factor(p) > lang_factor(b))
                }
            };
            if better {
                best = Some((p, n));
            }
        }
        let Some((p, n)) = best else {
            t += 1;
            continue;
        };
        let start = tokens[t].start;
        let end = tokens[t + n - 1].end;
        let negated = p.yes && negated_before(input, t, &lex.negators);
        let (yes, confidence, rule) = if negated {
            (false, 0.95 * lang_factor(p), "yesno.negated")
        } else {
            (p.yes, p.strength * lang_factor(p), "yesno.phrase")
        };
        hits.push(Hit {
            yes,
            confidence,
            start,
            end,
            rule,
        });
        t += n;
    }
    for p in lex.phrases.iter() {
        let Some(sym) = &p.symbol else { continue };
        if let Some(at) = text.find(sym.as_str()) {
            hits.push(Hit {
                yes: p.yes,
                confidence: p.strength,
                start: at,
                end: at + sym.len(),
                rule: "yesno.emoji",
            });
        }
    }
    hits.sort_by_key(|h| h.start);
    let mut out = Extraction::default();
    for (order, h) in hits.into_iter().enumerate() {
        // The first answer in the message is the answer to the question.
        let decay = 0.97f32.powi(order.min(30) as i32);
        out.candidates.push(Candidate {
            value: Value::Bool(h.yes),
            span: input.folded.original_span(h.start..h.end),
            confidence: (h.confidence * decay).clamp(0.0, 1.0),
            rule: h.rule.to_string(),
        });
    }
    out.sort();
    out
}

/// A negator among the three words before token `t`, in the same clause.
fn negated_before(input: &Input, t: usize, negators: &[String]) -> bool {
    let tokens = &input.tokens;
    let text = &input.folded.text;
    let mut k = t;
    for _ in 0..3 {
        if k == 0 {
            return false;
        }
        let between = text.get(tokens[k - 1].end..tokens[k].start).unwrap_or("");
        if between
            .chars()
            .any(|c| matches!(c, '.' | ',' | '!' | '?' | ';' | ':'))
        {
            return false;
        }
        k -= 1;
        if negators.iter().any(|n| *n == tokens[k].text) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn answer(text: &str, lang: Lang) -> Option<bool> {
        let ctx = Context {
            lang,
            now: NaiveDate::from_ymd_opt(2024, 5, 3)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            policy: Default::default(),
            order: Default::default(),
            choice: None,
        };
        match extract(&Input::new(text), &ctx).best().map(|c| &c.value) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    #[test]
    fn french() {
        assert_eq!(answer("Oui bien sûr", Lang::Fr), Some(true));
        assert_eq!(answer("ouais", Lang::Fr), Some(true));
        assert_eq!(answer("non merci", Lang::Fr), Some(false));
        assert_eq!(answer("pas d'accord", Lang::Fr), Some(false));
        assert_eq!(answer("Je ne pense pas.", Lang::Fr), Some(false));
        assert_eq!(answer("pas vraiment", Lang::Fr), Some(false));
        assert_eq!(answer("ja", Lang::Fr), Some(true));
    }

    #[test]
    fn dutch() {
        assert_eq!(answer("ja hoor", Lang::Nl), Some(true));
        assert_eq!(answer("Klopt!", Lang::Nl), Some(true));
        assert_eq!(answer("neen", Lang::Nl), Some(false));
        assert_eq!(answer("niet akkoord", Lang::Nl), Some(false));
        assert_eq!(answer("liever niet", Lang::Nl), Some(false));
    }

    #[test]
    fn english_and_emoji() {
        assert_eq!(answer("yep", Lang::En), Some(true));
        assert_eq!(answer("that's right", Lang::En), Some(true));
        assert_eq!(answer("not correct", Lang::En), Some(false));
        assert_eq!(answer("no thanks", Lang::En), Some(false));
        assert_eq!(answer("Yes. I said no", Lang::En), Some(true));
        assert_eq!(answer("👍", Lang::En), Some(true));
        assert_eq!(answer("👎", Lang::Fr), Some(false));
        assert_eq!(answer("the weather", Lang::En), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(s in "\\PC{0,60}") {
            for lang in Lang::ALL {
                let _ = answer(&s, lang);
            }
        }
    }
}
