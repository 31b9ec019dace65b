//! A light, conservative stemmer so that the inflections and derivations a
//! citizen writes meet the words a bot author wrote in a trigger
//! ("inscription" / "inscrire" / "inscrit", "inschrijving" / "ingeschreven",
//! "enrolment" / "enrolling").
//!
//! It is not a linguistic stemmer: it only has to map both sides of a
//! comparison to the same key, and must rather miss a pair than merge two
//! unrelated words. The rules live in `lexicon/stem_rules.txt`.

use crate::lookup::FastMap;
use crate::values::Lang;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Stems shorter than this are never produced: short words carry too little
/// to strip safely ("lit" and "lire" must not meet).
const MIN_STEM_CHARS: usize = 3;
/// Words shorter than this are returned as they are.
const MIN_WORD_CHARS: usize = 4;
/// Longer inputs are not words a trigger would contain; stemming them is waste.
const MAX_WORD_BYTES: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PostStep {
    UndoubleConsonant,
    SingleVowel,
    VToF,
    ZToS,
}

#[derive(Debug, Default)]
struct LangRules {
    /// Longest ending first.
    suffixes: Vec<(String, String)>,
    /// The suffixes (their positions, longest first) by the last letter of
    /// their ending: a word is tried only against the endings it can have.
    by_last_letter: FastMap<char, Vec<usize>>,
    separable: Vec<String>,
    exceptions: FastMap<String, Exception>,
    passes: usize,
    post: Vec<PostStep>,
}

#[derive(Debug, Clone)]
enum Exception {
    /// Stem this word instead.
    StemAs(String),
    /// Use this exact stem.
    Frozen(String),
}

fn lang_index(lang: Lang) -> usize {
    match lang {
        Lang::Fr => 0,
        Lang::Nl => 1,
        Lang::En => 2,
    }
}

fn rules(lang: Lang) -> &'static LangRules {
    static RULES: OnceLock<[LangRules; 3]> = OnceLock::new();
    &RULES.get_or_init(|| parse_rules(include_str!("lexicon/stem_rules.txt")))[lang_index(lang)]
}

fn parse_rules(text: &str) -> [LangRules; 3] {
    let mut all: [LangRules; 3] = Default::default();
    for rule in all.iter_mut() {
        rule.passes = 1;
    }
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let Some(lang) = fields.first().and_then(|c| c.parse::<Lang>().ok()) else {
            continue;
        };
        let target = &mut all[lang_index(lang)];
        match fields.get(1..).unwrap_or_default() {
            ["suffix", ending, replacement] => {
                let replacement = if *replacement == "-" { "" } else { replacement };
                target
                    .suffixes
                    .push((ending.to_string(), replacement.to_string()));
            }
            ["separable", prefix] => target.separable.push(prefix.to_string()),
            ["except", form, word] => {
                let exception = match word.strip_prefix('=') {
                    Some(frozen) => Exception::Frozen(frozen.to_string()),
                    None => Exception::StemAs(word.to_string()),
                };
                target.exceptions.insert(form.to_string(), exception);
            }
            ["passes", n] => target.passes = n.parse().unwrap_or(1).min(3),
            ["post", step] => {
                let step = match *step {
                    "undouble-consonant" => PostStep::UndoubleConsonant,
                    "single-vowel" => PostStep::SingleVowel,
                    "v-to-f" => PostStep::VToF,
                    "z-to-s" => PostStep::ZToS,
                    _ => continue,
                };
                target.post.push(step);
            }
            _ => {}
        }
    }
    for rule in all.iter_mut() {
        rule.suffixes
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        // An empty ending would fit every word: it is not a rule.
        rule.suffixes.retain(|(ending, _)| !ending.is_empty());
        for (i, (ending, _)) in rule.suffixes.iter().enumerate() {
            if let Some(last) = ending.chars().next_back() {
                rule.by_last_letter.entry(last).or_default().push(i);
            }
        }
    }
    all
}

/// The number of characters of `s`: the bytes that do not continue a
/// character. Inlined, as the stemmer counts short words many times;
/// `chars().count()` is an out-of-line call each time.
#[inline]
fn char_len(s: &str) -> usize {
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

/// The stem of a folded word (lower case, no accents) in `lang`.
/// Numbers, short words and anything that is not a plain word come back as
/// they are (borrowed: most words of a message are not changed).
pub fn stem(word: &str, lang: Lang) -> Cow<'_, str> {
    if word.len() > MAX_WORD_BYTES
        || char_len(word) < MIN_WORD_CHARS
        || !word.chars().all(char::is_alphabetic)
    {
        return Cow::Borrowed(word);
    }
    let rules = rules(lang);
    let start: &str = match rules.exceptions.get(word) {
        Some(Exception::Frozen(stem)) => return Cow::Borrowed(stem),
        Some(Exception::StemAs(other)) => other,
        None => word,
    };
    if let Some(participle) = strip_participle(start, rules) {
        // A participle's remaining ending belongs to the stem ("ingediend" ->
        // "indien" like "indienen" -> "indien"): stripping again would overshoot.
        return post_process(Cow::Owned(participle), rules);
    }
    let mut current = Cow::Borrowed(start);
    for _ in 0..rules.passes {
        let Some(stripped) = strip_suffix_once(&current, rules) else {
            break;
        };
        current = match (stripped, current) {
            // A prefix of a borrowed word still borrows from the message.
            (Stripped::Prefix(n), Cow::Borrowed(w)) => Cow::Borrowed(w.get(..n).unwrap_or(w)),
            (Stripped::Prefix(n), Cow::Owned(mut w)) => {
                w.truncate(n);
                Cow::Owned(w)
            }
            (Stripped::Replaced(shorter), _) => Cow::Owned(shorter),
        };
        if let Some(Exception::Frozen(stem)) = rules.exceptions.get(current.as_ref()) {
            return Cow::Borrowed(stem);
        }
    }
    post_process(current, rules)
}

/// What stripping an ending left: most endings are dropped without a
/// replacement, and the stem is then a prefix of the word (no allocation).
enum Stripped {
    /// The first this many bytes of the word.
    Prefix(usize),
    Replaced(String),
}

/// `word.strip_suffix(ending)`, comparing from the end: most endings tried
/// differ from the word in their second-to-last letter, found before a
/// call to `memcmp` would have started.
#[inline]
fn strip_ending<'w>(word: &'w str, ending: &str) -> Option<&'w str> {
    let cut = word.len().checked_sub(ending.len())?;
    let same = word.as_bytes()[cut..]
        .iter()
        .rev()
        .zip(ending.as_bytes().iter().rev())
        .all(|(a, b)| a == b);
    // Equal bytes at the end of a string are whole characters: `cut` is a boundary.
    if same {
        word.get(..cut)
    } else {
        None
    }
}

fn strip_suffix_once(word: &str, rules: &LangRules) -> Option<Stripped> {
    // The first (longest) ending that fits decides, even when it keeps the
    // word as it is: "ss" -> "ss" protects "class" from the plain "s" rule.
    let last = word.chars().next_back()?;
    let (base, replacement) = rules
        .by_last_letter
        .get(&last)?
        .iter()
        .filter_map(|&i| rules.suffixes.get(i))
        .find_map(|(ending, replacement)| {
            let base = strip_ending(word, ending)?;
            (char_len(base) + char_len(replacement) >= MIN_STEM_CHARS)
                .then_some((base, replacement))
        })?;
    if base.len() + replacement.len() == word.len() && word.ends_with(replacement.as_str()) {
        // The ending keeps the word as it is.
        return None;
    }
    if replacement.is_empty() {
        return Some(Stripped::Prefix(base.len()));
    }
    Some(Stripped::Replaced(format!("{base}{replacement}")))
}

/// Dutch past participles: "ge" after an optional separable prefix, and for
/// weak verbs a final d/t ("aangevraagd" -> "aanvraag", "gewerkt" -> "werk").
fn strip_participle(word: &str, rules: &LangRules) -> Option<String> {
    if rules.separable.is_empty() {
        return None;
    }
    for prefix in &rules.separable {
        if let Some(rest) = word
            .strip_prefix(prefix.as_str())
            .and_then(|r| r.strip_prefix("ge"))
        {
            if char_len(rest) >= 4 {
                let joined = format!("{prefix}{rest}");
                return Some(drop_weak_ending(&joined).unwrap_or(joined));
            }
        }
    }
    let rest = word.strip_prefix("ge")?;
    // Plain "ge..." words are often nouns (gemeente, gebouw, gezondheid):
    // only long words with a weak participle ending are taken.
    if char_len(rest) >= 5 && !word.ends_with("heid") {
        return drop_weak_ending(rest);
    }
    None
}

fn drop_weak_ending(word: &str) -> Option<String> {
    let base = word.strip_suffix('d').or_else(|| word.strip_suffix('t'))?;
    (char_len(base) >= MIN_STEM_CHARS).then(|| base.to_string())
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

fn post_process<'a>(mut stem: Cow<'a, str>, rules: &LangRules) -> Cow<'a, str> {
    for step in &rules.post {
        let mut last = stem.chars().rev();
        let (Some(c1), Some(c2), Some(c3)) = (last.next(), last.next(), last.next()) else {
            break;
        };
        let c4 = last.next();
        let n = char_len(&stem);
        match step {
            PostStep::UndoubleConsonant => {
                if c1 == c2 && !is_vowel(c1) && n > MIN_STEM_CHARS {
                    stem.to_mut().pop();
                }
            }
            PostStep::SingleVowel => {
                if let Some(c4) = c4 {
                    if !is_vowel(c1)
                        && c2 == c3
                        && matches!(c2, 'a' | 'e' | 'o' | 'u')
                        && !is_vowel(c4)
                    {
                        let owned = stem.to_mut();
                        owned.pop();
                        owned.pop();
                        owned.push(c1);
                    }
                }
            }
            PostStep::VToF => {
                if c1 == 'v' {
                    let owned = stem.to_mut();
                    owned.pop();
                    owned.push('f');
                }
            }
            PostStep::ZToS => {
                if c1 == 'z' {
                    let owned = stem.to_mut();
                    owned.pop();
                    owned.push('s');
                }
            }
        }
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn all_meet(lang: Lang, words: &[&str]) {
        let first = stem(words[0], lang);
        for w in words {
            assert_eq!(
                stem(w, lang),
                first,
                "{w} should meet {} ({lang})",
                words[0]
            );
        }
    }

    fn apart(lang: Lang, a: &str, b: &str) {
        assert_ne!(stem(a, lang), stem(b, lang), "{a} and {b} must stay apart");
    }

    #[test]
    fn french_families_meet() {
        all_meet(
            Lang::Fr,
            &[
                "inscrire",
                "inscription",
                "inscriptions",
                "inscrit",
                "inscrite",
                "inscrits",
                "inscrivez",
                "inscrivons",
                "inscris",
            ],
        );
        all_meet(Lang::Fr, &["creche", "creches"]);
        all_meet(
            Lang::Fr,
            &["demander", "demande", "demandes", "demandez", "demandee"],
        );
        all_meet(Lang::Fr, &["declarer", "declaration", "declarations"]);
        all_meet(Lang::Fr, &["demenager", "demenagement", "demenage"]);
        all_meet(Lang::Fr, &["visite", "visiter", "visites"]);
        all_meet(Lang::Fr, &["modifier", "modification"]);
        all_meet(Lang::Fr, &["journal", "journaux"]);
        all_meet(Lang::Fr, &["enfant", "enfants"]);
    }

    #[test]
    fn dutch_families_meet() {
        all_meet(
            Lang::Nl,
            &[
                "inschrijven",
                "inschrijving",
                "inschrijvingen",
                "ingeschreven",
            ],
        );
        all_meet(Lang::Nl, &["aanvragen", "aanvraag", "aangevraagd"]);
        all_meet(Lang::Nl, &["parkeren", "parkeer"]);
        all_meet(Lang::Nl, &["kaart", "kaarten"]);
        all_meet(Lang::Nl, &["gemeente", "gemeenten"]);
        all_meet(Lang::Nl, &["invullen", "ingevuld"]);
        all_meet(Lang::Nl, &["kind", "kinderen"]);
        all_meet(Lang::Nl, &["indienen", "ingediend"]);
    }

    #[test]
    fn english_families_meet() {
        all_meet(
            Lang::En,
            &[
                "enrol",
                "enroll",
                "enrolment",
                "enrollment",
                "enrolling",
                "enrolled",
                "enrols",
            ],
        );
        all_meet(Lang::En, &["card", "cards"]);
        all_meet(Lang::En, &["parking", "parkings"]);
        all_meet(Lang::En, &["city", "cities"]);
        all_meet(Lang::En, &["move", "moved", "moving", "moves"]);
        all_meet(Lang::En, &["register", "registration", "registered"]);
        all_meet(Lang::En, &["class", "classes"]);
    }

    #[test]
    fn unrelated_words_stay_apart() {
        apart(Lang::Fr, "carte", "car");
        apart(Lang::Fr, "question", "quete");
        apart(Lang::Fr, "maison", "mais");
        apart(Lang::Fr, "lit", "lire");
        apart(Lang::Fr, "parent", "par");
        apart(Lang::Fr, "creche", "crete");
        apart(Lang::Nl, "huis", "hui");
        apart(Lang::Nl, "kaart", "kaars");
        apart(Lang::Nl, "gemeente", "meent");
        apart(Lang::Nl, "gezondheid", "zondheid");
        apart(Lang::En, "news", "new");
        apart(Lang::En, "card", "car");
        apart(Lang::En, "bus", "busy");
        apart(Lang::En, "address", "dress");
    }

    #[test]
    fn leaves_numbers_short_and_foreign_words_alone() {
        assert_eq!(stem("1150", Lang::Fr), "1150");
        assert_eq!(stem("les", Lang::Fr), "les");
        assert_eq!(stem("שלום", Lang::Nl), "שלום");
        assert_eq!(stem("b2b", Lang::En), "b2b");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(word in "\\PC{0,40}") {
            for lang in Lang::ALL {
                let _ = stem(&word, lang);
            }
        }

        #[test]
        fn strip_ending_is_strip_suffix(word in "\\PC{0,12}", ending in "\\PC{0,4}") {
            prop_assert_eq!(strip_ending(&word, &ending), word.strip_suffix(ending.as_str()));
            let joined = format!("{word}{ending}");
            prop_assert_eq!(strip_ending(&joined, &ending), Some(word.as_str()));
        }

        #[test]
        fn char_len_counts_characters(word in "\\PC{0,40}") {
            prop_assert_eq!(char_len(&word), word.chars().count());
        }
    }
}
