//! Values a citizen sets aside: "c'est le 5, pas le 4", "niet de 4de",
//! "the 2nd instead of the 1st". A negated value must never fill a slot;
//! finding where negations are is this module's job, telling which
//! values they set aside is the caller's (it knows the slot's type).
//! The words are in `lexicon/negation.txt`.

use crate::understand::normalize::{tokenize, Input};
use crate::values::Lang;
use std::ops::Range;
use std::sync::OnceLock;

/// Most words read after a marker when no value follows it ("not Tom").
pub const MAX_NEGATED_WORDS: usize = 2;

#[derive(Debug, Default)]
struct Words {
    markers: Vec<Vec<String>>,
    fillers: Vec<String>,
    ends: Vec<String>,
}

fn lexicon(lang: Lang) -> &'static Words {
    static LISTS: OnceLock<[Words; 3]> = OnceLock::new();
    let lists = LISTS.get_or_init(|| {
        let mut lists: [Words; 3] = Default::default();
        for line in include_str!("lexicon/negation.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(3, ' ');
            let (Some(code), Some(kind), Some(phrase)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let Ok(lang) = code.parse::<Lang>() else {
                continue;
            };
            let list = &mut lists[slot(lang)];
            match kind {
                "marker" => list.markers.push(words_of(phrase)),
                "filler" => list.fillers.push(phrase.to_string()),
                "end" => list.ends.push(phrase.to_string()),
                _ => {}
            }
        }
        // Longest marker first: "non pas" before "pas".
        for words in lists.iter_mut() {
            words.markers.sort_by_key(|m| std::cmp::Reverse(m.len()));
        }
        lists
    });
    &lists[slot(lang)]
}

fn slot(lang: Lang) -> usize {
    match lang {
        Lang::Fr => 0,
        Lang::Nl => 1,
        Lang::En => 2,
    }
}

fn words_of(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.text.into()).collect()
}

/// One negation in a message, in byte offsets of the original text.
#[derive(Debug, Clone, PartialEq)]
pub struct Negation {
    /// The marker's words ("pas", "au lieu du").
    pub marker: Range<usize>,
    /// Where the words it may negate start: past the marker and the small
    /// words after it ("pas le |4").
    pub value_start: usize,
    /// Where its clause ends: punctuation, or a word like "mais".
    pub clause_end: usize,
    /// The end of the first `MAX_NEGATED_WORDS` words after the marker
    /// (within the clause): what is set aside when no value is found there.
    pub words_end: usize,
}

/// The negations of a message, in the order they come.
pub fn negations(input: &Input, lang: Lang) -> Vec<Negation> {
    let words = lexicon(lang);
    let tokens = &input.tokens;
    let text = &input.folded.text;
    let orig = |r: Range<usize>| input.folded.original_span(r);
    // Punctuation between two tokens ends a clause.
    let breaks = |a: usize, b: usize| {
        text.get(a..b)
            .is_some_and(|gap| gap.chars().any(|c| ",;.!?:()".contains(c)))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let found = words.markers.iter().find(|m| {
            tokens.get(i..i + m.len()).is_some_and(|run| {
                run.iter().zip(m.iter()).all(|(t, w)| t.text == *w)
                    && run.windows(2).all(|p| !breaks(p[0].end, p[1].start))
            })
        });
        let Some(marker) = found else {
            i += 1;
            continue;
        };
        let last = i + marker.len() - 1;
        let mut j = last + 1;
        // The small words right after the marker.
        while j < tokens.len()
            && !breaks(tokens[j - 1].end, tokens[j].start)
            && words.fillers.iter().any(|f| *f == tokens[j].text)
        {
            j += 1;
        }
        let mut end = j;
        while end < tokens.len()
            && !breaks(tokens[end - 1].end, tokens[end].start)
            && !words.ends.iter().any(|e| *e == tokens[end].text)
        {
            end += 1;
        }
        let marker_span = orig(tokens[i].start..tokens[last].end);
        let value_start = match tokens.get(j) {
            Some(t) if j < end => orig(t.start..t.end).start,
            _ => marker_span.end,
        };
        let clause_end = match tokens.get(end.saturating_sub(1)) {
            Some(t) if end > j => orig(t.start..t.end).end,
            _ => value_start,
        };
        let words_end = match tokens.get((j + MAX_NEGATED_WORDS).min(end).saturating_sub(1)) {
            Some(t) if end > j => orig(t.start..t.end).end,
            _ => value_start,
        };
        out.push(Negation {
            marker: marker_span,
            value_start,
            clause_end,
            words_end,
        });
        i = last + 1;
    }
    out
}

/// Whether any word of the message may be a negation: most messages have
/// none, and then nothing else needs doing.
pub fn may_negate(input: &Input, lang: Lang) -> bool {
    let words = lexicon(lang);
    input.tokens.iter().any(|t| {
        words
            .markers
            .iter()
            .any(|m| m.first().is_some_and(|w| *w == t.text))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn negated(text: &str, lang: Lang) -> Vec<(String, String)> {
        let input = Input::new(text);
        negations(&input, lang)
            .into_iter()
            .map(|n| {
                (
                    text[n.marker.clone()].to_string(),
                    text[n.value_start..n.clause_end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn markers_and_what_follows_them() {
        use Lang::*;
        assert_eq!(
            negated("c'est le 5 pas le 4", Fr),
            [("pas".into(), "4".into())]
        );
        assert_eq!(
            negated("le 5 avril 2024, non pas le 4 mais le 5", Fr),
            [("non pas".into(), "4".into())]
        );
        assert_eq!(
            negated("le 3 septembre au lieu du 1er septembre", Fr),
            [("au lieu du".into(), "1er septembre".into())]
        );
        assert_eq!(
            negated("wacht, de geboortedatum is 6 april, niet de 4de", Nl),
            [("niet".into(), "4de".into())]
        );
        assert_eq!(
            negated("2 september in plaats van 1 september", Nl),
            [("in plaats van".into(), "1 september".into())]
        );
        assert_eq!(
            negated("the 2nd of September instead of the 1st", En),
            [("instead of".into(), "1st".into())]
        );
        assert_eq!(
            negated("his first name is Theo not Tom", En),
            [("not".into(), "Tom".into())]
        );
    }

    #[test]
    fn a_clause_ends_a_negation() {
        // "je sais pas, le 4": the comma ends the negation; nothing follows it.
        let found = negations(&Input::new("je sais pas, le 4"), Lang::Fr);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].value_start, found[0].clause_end);
        // A bare "non" corrects rather than negates.
        assert!(negations(&Input::new("non, le 5"), Lang::Fr).is_empty());
        // "pas" means "only" in Dutch: markers are per language.
        assert!(negations(&Input::new("pas in september"), Lang::Nl).is_empty());
        assert!(!may_negate(&Input::new("le 5 mai"), Lang::Fr));
        assert!(may_negate(&Input::new("le 5 pas le 4"), Lang::Fr));
    }

    #[test]
    fn odd_text_does_not_break_it() {
        for text in [
            "pas",
            "not",
            "au lieu de",
            "pas pas pas",
            "🙂 pas 🙂",
            "niet,",
        ] {
            for lang in Lang::ALL {
                let input = Input::new(text);
                for n in negations(&input, lang) {
                    assert!(n.marker.end <= text.len() && n.clause_end <= text.len());
                    assert!(text.is_char_boundary(n.value_start));
                }
            }
        }
    }
}
