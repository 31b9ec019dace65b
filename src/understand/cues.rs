//! Words that say what a message is doing around its values: the link
//! between a slot's label and its value ("le prénom est Théo"), the
//! opening of a follow-up ("Et à Noël ?"), a language the citizen does
//! not speak ("I don't speak French"), words that name nothing ("quoi",
//! "please"), the words and turns of a question ("c'est quand", "wanneer
//! is", "when is"). The words are in `lexicon/cues.txt`.

use crate::understand::normalize::{tokenize, Token};
use crate::values::Lang;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    Link,
    FollowUp,
    NotSpoken,
    Filler,
    /// The name of a language ("French", "néerlandais", "Engels").
    LanguageName(Lang),
    /// A word that asks for something ("quand", "wanneer", "when").
    Question,
    /// A way of putting a question that asks even without "?" ("c'est
    /// quand", "wanneer is", "when is").
    Asking,
    /// What a question asks for ("quel jour", "welke datum", "what time").
    Asked,
    /// Saying one does not know or remember ("je ne sais plus").
    Unknowing,
    /// Words after which a question word asks nothing ("n'importe").
    Indefinite,
    /// A preposition that sets the day or time a question is about ("à
    /// Noël", "op kerstdag", "on Easter Monday").
    Circumstance,
}

type Phrases = Vec<Vec<String>>;

fn lexicon(cue: Cue, lang: Lang) -> &'static Phrases {
    static LISTS: OnceLock<Vec<((Cue, Lang), Phrases)>> = OnceLock::new();
    static EMPTY: Phrases = Vec::new();
    let lists = LISTS.get_or_init(|| {
        let mut lists: Vec<((Cue, Lang), Phrases)> = Vec::new();
        for line in include_str!("lexicon/cues.txt").lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.splitn(3, ' ');
            let (Some(code), Some(kind), Some(phrase)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let (Ok(lang), Some(cue)) = (
                code.parse::<Lang>(),
                match kind {
                    "link" => Some(Cue::Link),
                    "followup" => Some(Cue::FollowUp),
                    "notspoken" => Some(Cue::NotSpoken),
                    "filler" => Some(Cue::Filler),
                    "language-fr" => Some(Cue::LanguageName(Lang::Fr)),
                    "language-nl" => Some(Cue::LanguageName(Lang::Nl)),
                    "language-en" => Some(Cue::LanguageName(Lang::En)),
                    "question" => Some(Cue::Question),
                    "asking" => Some(Cue::Asking),
                    "asked" => Some(Cue::Asked),
                    "unknowing" => Some(Cue::Unknowing),
                    "indefinite" => Some(Cue::Indefinite),
                    "circumstance" => Some(Cue::Circumstance),
                    _ => None,
                },
            ) else {
                continue;
            };
            let words: Vec<String> = tokenize(phrase)
                .into_iter()
                .map(|t| t.text.into())
                .collect();
            match lists.iter_mut().find(|(key, _)| *key == (cue, lang)) {
                Some((_, list)) => list.push(words),
                None => lists.push(((cue, lang), vec![words])),
            }
        }
        // Longest first: "et pour le" before "et".
        for (_, list) in lists.iter_mut() {
            list.sort_by_key(|p| std::cmp::Reverse(p.len()));
        }
        lists
    });
    lists
        .iter()
        .find(|(key, _)| *key == (cue, lang))
        .map_or(&EMPTY, |(_, list)| list)
}

/// How many tokens from `at` make the longest phrase of this cue, if any.
pub fn at(tokens: &[Token], at: usize, cue: Cue, lang: Lang) -> Option<usize> {
    lexicon(cue, lang)
        .iter()
        .find(|phrase| {
            !phrase.is_empty()
                && tokens
                    .get(at..at + phrase.len())
                    .is_some_and(|run| run.iter().zip(phrase.iter()).all(|(t, w)| t.text == *w))
        })
        .map(Vec::len)
}

/// How many tokens before `end` make a phrase of this cue, if any: the
/// longest phrase that ends just before `tokens[end]`.
pub fn before(tokens: &[Token], end: usize, cue: Cue, lang: Lang) -> Option<usize> {
    lexicon(cue, lang)
        .iter()
        .find(|phrase| {
            !phrase.is_empty()
                && end >= phrase.len()
                && tokens
                    .get(end - phrase.len()..end)
                    .is_some_and(|run| run.iter().zip(phrase.iter()).all(|(t, w)| t.text == *w))
        })
        .map(Vec::len)
}

/// Whether a single folded word is a phrase of this cue ("quoi" a filler).
pub fn is(word: &str, cue: Cue, lang: Lang) -> bool {
    lexicon(cue, lang)
        .iter()
        .any(|phrase| matches!(phrase.as_slice(), [w] if w == word))
}

/// The language a citizen says they do not speak ("sorry, I don't speak
/// French"), with the byte range of the saying in the folded text and the
/// language the saying is written in.
pub fn not_spoken(tokens: &[Token]) -> Option<(Lang, Lang, std::ops::Range<usize>)> {
    /// Small words between the saying and the language ("le", "het").
    const BETWEEN: &[&str] = &[
        "le", "l", "het", "the", "a", "een", "un", "mot", "woord", "word", "de",
    ];
    for written in Lang::ALL {
        let Some((at, n)) = find(tokens, Cue::NotSpoken, written) else {
            continue;
        };
        let mut i = at + n;
        while tokens
            .get(i)
            .is_some_and(|t| BETWEEN.contains(&t.text.as_str()))
        {
            i += 1;
        }
        let Some(name) = tokens.get(i) else {
            continue;
        };
        let named = Lang::ALL.into_iter().find(|&l| {
            Lang::ALL
                .iter()
                .any(|&w| is(&name.text, Cue::LanguageName(l), w))
        });
        if let Some(refused) = named {
            return Some((refused, written, tokens[at].start..name.end));
        }
    }
    None
}

/// Where a phrase of this cue starts in `tokens`, and its length: the first.
pub fn find(tokens: &[Token], cue: Cue, lang: Lang) -> Option<(usize, usize)> {
    (0..tokens.len()).find_map(|i| at(tokens, i, cue, lang).map(|n| (i, n)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::understand::normalize::Input;

    #[test]
    fn the_longest_phrase_is_found() {
        let input = Input::new("Et pour le menu de lundi ?");
        assert_eq!(at(&input.tokens, 0, Cue::FollowUp, Lang::Fr), Some(3));
        let input = Input::new("Hi, sorry I don't speak French.");
        assert_eq!(find(&input.tokens, Cue::NotSpoken, Lang::En), Some((2, 4)));
        let input = Input::new("Goeiedag, ik spreek geen Frans. Ik wil...");
        let (refused, written, span) = not_spoken(&input.tokens).expect("a refusal");
        assert_eq!((refused, written), (Lang::Fr, Lang::Nl));
        assert_eq!(&input.folded.text[span], "ik spreek geen frans");
        let input = Input::new("je ne parle pas le néerlandais");
        assert_eq!(not_spoken(&input.tokens).map(|r| r.0), Some(Lang::Nl));
        assert!(not_spoken(&Input::new("je ne parle pas vite").tokens).is_none());
        let input = Input::new("de voornaam is Daan");
        assert_eq!(at(&input.tokens, 2, Cue::Link, Lang::Nl), Some(1));
        assert_eq!(at(&input.tokens, 0, Cue::Link, Lang::Nl), None);
    }
}
