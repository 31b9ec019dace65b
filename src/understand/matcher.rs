//! Trigger and FAQ matching: which flow or answer a citizen's free text is
//! about, given the bot's trigger patterns per language.
//!
//! Matching is a bag-of-words comparison, not a regular expression: the
//! citizen's word order, extra words, inflections, declared synonyms and
//! one typo per long word must not prevent a match. Each pattern's required
//! words are weighted by rarity (IDF) so that the word that tells triggers
//! apart counts more than a word they all share.
//!
//! The cost per message does not grow with the number of triggers: words are
//! looked up in an inverted index, typos through a deletion-neighbourhood
//! index of the vocabulary, and only triggers sharing a word are scored.

use crate::lookup::{FastMap, FastSet};
use crate::understand::normalize::{fold, tokenize, Input};
use crate::understand::stem::stem;
use crate::understand::typo::{for_each_deletion_key, within_one_edit};
use crate::values::Lang;
use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

#[path = "matcher_pattern.rs"]
mod pattern;

use pattern::{Node, MAX_BRANCHES};

/// A score at or above this starts the target.
pub const MATCH_THRESHOLD: f32 = 0.75;
/// Between this and `MATCH_THRESHOLD`: offered as a "did you mean" button.
pub const SUGGEST_THRESHOLD: f32 = 0.45;

/// A pattern in another language than the session's still matches (a Dutch
/// phrase in a French session) but loses against an equal one in the session's.
const OTHER_LANGUAGE_WEIGHT: f32 = 0.8;
/// Each message word the pattern does not explain costs this much, so a
/// short exact message scores above a long one, up to `MAX_EXTRA_PENALTY`.
const EXTRA_WORD_PENALTY: f32 = 0.04;
const MAX_EXTRA_PENALTY: f32 = 0.2;
/// A pattern made only of courtesy words ("bonjour", "merci") is about the
/// courtesy itself: any real content beside it means the message is not.
const COURTESY_EXTRA_PENALTY: f32 = 0.25;
/// Exponent applied to the weighted share of a pattern's words found.
const COVERAGE_CURVE: f32 = 0.7;
const STEM_QUALITY: f32 = 0.97;
const SYNONYM_QUALITY: f32 = 0.95;
const TYPO_QUALITY: f32 = 0.85;
/// At most this many triggers are scored per message (rarest words first):
/// keeps the cost bounded when a word is shared by a huge number of triggers.
const MAX_CANDIDATES: usize = 4096;
/// Below the match threshold only suggestions are sought: in a big bot
/// thousands of triggers share a message's common words and score alike,
/// so the rarest-word candidates are the ones worth offering.
const MAX_SUGGESTION_CANDIDATES: usize = 512;
/// A word that more targets (flows, FAQ entries) share than this suggests
/// none of them: three buttons picked among dozens alike would be a guess,
/// and the fallback serves the citizen better.
const MAX_SUGGESTING_TARGETS: u32 = 32;
/// Words beyond this are ignored: no trigger needs a novel.
const MAX_MESSAGE_WORDS: usize = 200;
/// Typo tolerance applies to message words of at least this many letters.
const MIN_TYPO_CHARS: usize = 5;
/// Vocabulary words shorter than this are not typo targets (an edit on a
/// three-letter word makes another word).
const MIN_TYPO_TARGET_CHARS: usize = 4;
const MAX_TYPO_CHARS: usize = 40;

/// One trigger pattern of a flow or FAQ entry.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerSpec {
    pub target: usize,
    pub lang: Lang,
    pub pattern: String,
}

/// Words or phrases a bot declares equivalent, per language
/// (garderie = crèche, "carte d'identité" = eid).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Synonyms {
    groups: Vec<(Lang, Vec<String>)>,
}

impl Synonyms {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add_group(&mut self, lang: Lang, words: &[String]) {
        if words.len() > 1 {
            self.groups.push((lang, words.to_vec()));
        }
    }
}

/// A pattern that cannot be read; `offset` is a byte offset in the pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternError {
    pub message: String,
    pub offset: usize,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

/// Whether a search says how each match came about. Explaining allocates
/// and formats, which costs more than the search itself: a host answering
/// citizens does not read the explanations, the REPL and the checker do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Explain {
    Yes,
    No,
}

/// One trigger that fits a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub target: usize,
    /// Index of the pattern in the specs given to `TriggerIndex::build`.
    pub spec: usize,
    pub score: f32,
    /// The message's words that matched (folded); empty unless explained.
    pub matched_words: Vec<String>,
    /// The pattern's required words the message lacks (folded); empty
    /// unless explained.
    pub missing_words: Vec<String>,
    /// Which words met which and the score; empty unless explained.
    pub explanation: String,
}

type TermId = u32;

#[derive(Debug, Clone)]
struct PatternWord {
    term: TermId,
    /// The folded word as the author wrote it, and its stem: tells an exact
    /// match from an inflection or a synonym in explanations.
    written: Arc<str>,
    written_stem: Arc<str>,
}

/// Each alternative is a set of words that must all be there.
#[derive(Debug, Clone)]
enum Slot {
    /// One word, one alternative: most slots, held in place rather than in
    /// two lists of one (two allocations per slot in a big bot).
    Word([PatternWord; 1]),
    Alternatives(Vec<Vec<PatternWord>>),
}

impl Slot {
    fn alternatives(&self) -> impl Iterator<Item = &[PatternWord]> + '_ {
        let (one, many): (Option<&[PatternWord]>, &[Vec<PatternWord>]) = match self {
            Slot::Word(w) => (Some(w), &[]),
            Slot::Alternatives(a) => (None, a),
        };
        one.into_iter().chain(many.iter().map(Vec::as_slice))
    }
}

#[derive(Debug, Clone)]
struct Compiled {
    spec: usize,
    target: usize,
    lang: Lang,
    pattern: String,
    slots: Vec<Slot>,
    /// Every term the pattern mentions, required or optional: message words
    /// among these are explained and not penalised.
    known: Vec<TermId>,
    /// Contains a `*`: extra words are expected.
    open: bool,
    /// Made only of stop words (a greeting or thanks trigger).
    courtesy: bool,
    /// One content word plus the words around it, all required (see `compile`).
    thin: bool,
    /// How many of `slots`, from the first, hold content words (a thin
    /// pattern's stop words come after them; a courtesy pattern has none).
    content_slots: usize,
    /// The pattern's own words, to check whether another pattern hides it.
    probe: String,
    /// The term of each word of `probe` as a message reads it, when its
    /// language has no multi-word synonym (which group words differently
    /// in a message than in a pattern).
    probe_terms: Option<Vec<TermId>>,
}

#[derive(Debug, Clone)]
struct Phrase {
    stems: Vec<String>,
    term: TermId,
}

/// The index of one language's patterns.
#[derive(Debug, Default)]
struct LangIndex {
    /// Each stem to its term; the key shares the stem's string with the
    /// vocabulary's forms.
    terms: FastMap<Arc<str>, TermId>,
    idf: Vec<f32>,
    /// The most a term can add to the coverage of any pattern holding it
    /// (its weight over the lightest reading of that pattern): lets `find`
    /// skip the patterns that share only such words with a message.
    reach: Vec<f32>,
    postings: Vec<Vec<u32>>,
    /// How many targets have a pattern requiring each term.
    targets: Vec<u32>,
    /// Multi-word synonyms by their first stem.
    phrases: FastMap<String, Vec<Phrase>>,
    /// Stem of a single-word synonym to its group's term.
    synonym_of: FastMap<String, TermId>,
    /// Folded words of the vocabulary that typos may be corrected to.
    typo_targets: Vec<(Arc<str>, TermId)>,
    /// The hash of each typo target and of its one-letter deletions, to
    /// the run of `deletion_targets` holding the targets that have it (a
    /// shared hash is checked by `within_one_edit`). One table and one list
    /// rather than a list per key: a big bot has hundreds of thousands.
    deletions: FastMap<u64, (u32, u32)>,
    deletion_targets: Vec<u32>,
    /// Every folded word of the patterns and synonyms, with its stem and
    /// whether it is a stop word. A message's words are mostly these:
    /// looking them up costs a fraction of stemming them again, and the
    /// patterns' words share the strings.
    forms: FastMap<Arc<str>, Form>,
}

/// A word of the vocabulary as the stemmer reads it.
#[derive(Debug)]
struct Form {
    stem: Arc<str>,
    stop: bool,
    /// The term of its stem alone (a single-word synonym's group, or the
    /// stem's own term), settled once the index is built: a message word
    /// found here needs no further lookup.
    term: Option<TermId>,
}

/// All patterns, ready to match messages. Immutable once built.
#[derive(Debug)]
pub struct TriggerIndex {
    langs: [LangIndex; 3],
    patterns: Vec<Compiled>,
}

/// An index with the specs and synonyms it was built from. Loading a bot
/// checks it and then compiles it, and both need its triggers indexed: the
/// checker's index serves the compiler when their inputs are the same.
#[derive(Debug)]
pub struct BuiltIndex {
    specs: Vec<TriggerSpec>,
    synonyms: Synonyms,
    pub index: TriggerIndex,
}

impl BuiltIndex {
    pub fn build(
        specs: Vec<TriggerSpec>,
        synonyms: Synonyms,
    ) -> (BuiltIndex, Vec<(usize, PatternError)>) {
        let (index, errors) = TriggerIndex::build(&specs, &synonyms);
        let built = BuiltIndex {
            specs,
            synonyms,
            index,
        };
        (built, errors)
    }

    pub fn specs(&self) -> &[TriggerSpec] {
        &self.specs
    }

    /// The index of `specs` and `synonyms`: this one when it was built from
    /// them, a new one otherwise.
    pub fn reuse_for(
        prebuilt: Option<BuiltIndex>,
        specs: &[TriggerSpec],
        synonyms: &Synonyms,
    ) -> TriggerIndex {
        match prebuilt {
            Some(b) if b.specs == specs && b.synonyms == *synonyms => b.index,
            _ => TriggerIndex::build(specs, synonyms).0,
        }
    }
}

fn lang_slot(lang: Lang) -> usize {
    match lang {
        Lang::Fr => 0,
        Lang::Nl => 1,
        Lang::En => 2,
    }
}

fn stopwords(lang: Lang) -> &'static FastSet<&'static str> {
    static LISTS: OnceLock<[FastSet<&'static str>; 3]> = OnceLock::new();
    let parse = |text: &'static str| {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect::<FastSet<_>>()
    };
    &LISTS.get_or_init(|| {
        [
            parse(include_str!("lexicon/stopwords_fr.txt")),
            parse(include_str!("lexicon/stopwords_nl.txt")),
            parse(include_str!("lexicon/stopwords_en.txt")),
        ]
    })[lang_slot(lang)]
}

pub(crate) fn is_stopword(word: &str, lang: Lang) -> bool {
    stopwords(lang).contains(word)
}

/// A folded token with its stem and whether it is a stop word. A message's
/// words borrow from it; a pattern's own them.
#[derive(Debug, Clone)]
struct Word<'a> {
    text: Cow<'a, str>,
    stem: Cow<'a, str>,
    stop: bool,
}

impl<'a> Word<'a> {
    fn new(text: &'a str, lang: Lang) -> Word<'a> {
        Word {
            stop: is_stopword(text, lang),
            stem: stem(text, lang),
            text: Cow::Borrowed(text),
        }
    }

    fn into_owned(self) -> Word<'static> {
        Word {
            text: Cow::Owned(self.text.into_owned()),
            stem: Cow::Owned(self.stem.into_owned()),
            stop: self.stop,
        }
    }
}

fn words_of(text: &str, lang: Lang) -> Vec<Word<'static>> {
    tokenize(&fold(text))
        .iter()
        .take(MAX_MESSAGE_WORDS)
        .map(|t| Word::new(&t.text, lang).into_owned())
        .collect()
}

impl LangIndex {
    /// A message word as `Word::new` reads it, from the vocabulary's forms
    /// when the word is one of them, with what `term_of_stem` gives for it
    /// then (`None` for a word the vocabulary does not know).
    fn word<'a>(&'a self, text: &'a str, lang: Lang) -> (Word<'a>, Option<Option<TermId>>) {
        match self.forms.get(text) {
            Some(form) => (
                Word {
                    text: Cow::Borrowed(text),
                    stem: Cow::Borrowed(&form.stem),
                    stop: form.stop,
                },
                Some(form.term),
            ),
            None => (Word::new(text, lang), None),
        }
    }

    /// Settles each form's term, once every term and synonym is known.
    fn settle_form_terms(&mut self) {
        let LangIndex {
            forms,
            synonym_of,
            terms,
            ..
        } = self;
        for form in forms.values_mut() {
            form.term = synonym_of
                .get(&*form.stem)
                .or_else(|| terms.get(&*form.stem))
                .copied();
        }
    }

    /// The shared strings of a vocabulary word and its stem.
    fn form(&mut self, w: &Word) -> (Arc<str>, Arc<str>) {
        if let Some((text, form)) = self.forms.get_key_value(w.text.as_ref()) {
            return (text.clone(), form.stem.clone());
        }
        let text: Arc<str> = Arc::from(w.text.as_ref());
        let stem: Arc<str> = Arc::from(w.stem.as_ref());
        self.forms.insert(
            text.clone(),
            Form {
                stem: stem.clone(),
                stop: w.stop,
                term: None,
            },
        );
        (text, stem)
    }

    fn intern(&mut self, key: &Arc<str>) -> TermId {
        if let Some(&id) = self.terms.get(&**key) {
            return id;
        }
        let id = self.postings.len() as TermId;
        self.terms.insert(Arc::clone(key), id);
        self.postings.push(Vec::new());
        id
    }

    fn add_synonyms(&mut self, group: &[String], lang: Lang, group_no: usize) {
        let members: Vec<Vec<Word>> = group
            .iter()
            .map(|m| {
                let words = words_of(m, lang);
                let content: Vec<Word> = words.iter().filter(|w| !w.stop).cloned().collect();
                if content.is_empty() {
                    words
                } else {
                    content
                }
            })
            .filter(|w| !w.is_empty())
            .collect();
        if members.is_empty() {
            return;
        }
        // A key no stem can equal: the group is one concept of its own.
        let term = self.intern(&Arc::from(format!("\u{1}synonym{group_no}")));
        for member in &members {
            let mut written = None;
            for w in member {
                written = Some(self.form(w).0);
            }
            if let ([single], Some(written)) = (member.as_slice(), written) {
                self.synonym_of
                    .entry(single.stem.to_string())
                    .or_insert(term);
                self.add_typo_target(&written, term);
            } else {
                let stems: Vec<String> = member.iter().map(|w| w.stem.to_string()).collect();
                if let Some(head) = stems.first().cloned() {
                    self.phrases
                        .entry(head)
                        .or_default()
                        .push(Phrase { stems, term });
                }
            }
        }
    }

    fn add_typo_target(&mut self, word: &Arc<str>, term: TermId) {
        let n = word.chars().count();
        if (MIN_TYPO_TARGET_CHARS..=MAX_TYPO_CHARS).contains(&n)
            && word.chars().all(char::is_alphabetic)
        {
            self.typo_targets.push((Arc::clone(word), term));
        }
    }

    /// Whether a term is what one target is about: no other target requires
    /// it, and several of its phrasings do ("crèche", not the "sais" of a
    /// lone "que sais-tu faire").
    fn is_topic(&self, term: TermId) -> bool {
        self.targets.get(term as usize) == Some(&1)
            && self
                .postings
                .get(term as usize)
                .is_some_and(|p| p.len() >= 2)
    }

    /// Term of a single stem (a synonym group's term when it belongs to one).
    fn term_of_stem(&self, stem: &str) -> Option<TermId> {
        self.synonym_of
            .get(stem)
            .or_else(|| self.terms.get(stem))
            .copied()
    }

    /// Groups a run of words into terms: multi-word synonyms first, longest
    /// phrase wins. Returns, per word, the term and the index of the first
    /// word of its phrase.
    fn phrase_terms(&self, words: &[Word]) -> Vec<Option<(TermId, usize)>> {
        self.phrase_terms_of(words.len(), |i| (&words[i].stem, words[i].stop))
    }

    /// `phrase_terms` over `n` words, `word(i)` giving the stem of each
    /// and whether it is a stop word.
    fn phrase_terms_of<'w>(
        &self,
        n: usize,
        word: impl Fn(usize) -> (&'w str, bool),
    ) -> Vec<Option<(TermId, usize)>> {
        if self.phrases.is_empty() {
            // No multi-word synonym: no word belongs to a phrase (and an
            // empty list answers `None` for each).
            return Vec::new();
        }
        let mut out = vec![None; n];
        let content: Vec<usize> = (0..n).filter(|&i| !word(i).1).collect();
        let mut k = 0;
        while k < content.len() {
            let head = word(content[k]).0;
            let mut best: Option<&Phrase> = None;
            if let Some(candidates) = self.phrases.get(head) {
                for p in candidates {
                    let fits = p.stems.len() <= content.len() - k
                        && p.stems
                            .iter()
                            .zip(&content[k..])
                            .all(|(s, &i)| *s == word(i).0);
                    if fits && best.is_none_or(|b| p.stems.len() > b.stems.len()) {
                        best = Some(p);
                    }
                }
            }
            match best {
                Some(p) => {
                    for &i in &content[k..k + p.stems.len()] {
                        out[i] = Some((p.term, content[k]));
                    }
                    k += p.stems.len();
                }
                None => k += 1,
            }
        }
        out
    }

    fn build_typo_index(&mut self) {
        // By word, then term: the first eight bytes of a word order it as
        // the word does and spare most string comparisons.
        let mut keyed: Vec<(u64, Arc<str>, TermId)> = std::mem::take(&mut self.typo_targets)
            .into_iter()
            .map(|(word, term)| {
                let mut prefix = [0u8; 8];
                for (p, b) in prefix.iter_mut().zip(word.bytes()) {
                    *p = b;
                }
                (u64::from_be_bytes(prefix), word, term)
            })
            .collect();
        keyed.sort_unstable();
        self.typo_targets = keyed
            .into_iter()
            .map(|(_, word, term)| (word, term))
            .collect();
        self.typo_targets.dedup_by(|a, b| a.0 == b.0);
        let mut pairs: Vec<(u64, u32)> = Vec::with_capacity(self.typo_targets.len() * 8);
        let mut chars: Vec<char> = Vec::new();
        for (i, (word, _)) in self.typo_targets.iter().enumerate() {
            chars.clear();
            chars.extend(word.chars());
            for_each_deletion_key(&chars, |key| pairs.push((key, i as u32)));
        }
        // Each key's run holds its targets in the order they are listed,
        // once each. Counted, then filled, rather than sorted: the pairs of
        // a big bot number hundreds of thousands, and come by target
        // already. First the size of each run (and the last target counted).
        let mut deletions: FastMap<u64, (u32, u32)> = FastMap::default();
        deletions.reserve(pairs.len());
        for &(key, target) in &pairs {
            let run = deletions.entry(key).or_insert((0, u32::MAX));
            if run.1 != target {
                *run = (run.0 + 1, target);
            }
        }
        let mut start = 0;
        for run in deletions.values_mut() {
            let len = run.0;
            *run = (start, start);
            start += len;
        }
        let mut targets = vec![0u32; start as usize];
        for &(key, target) in &pairs {
            if let Some(run) = deletions.get_mut(&key) {
                let (first, end) = (run.0 as usize, run.1 as usize);
                if end == first || targets[end - 1] != target {
                    targets[end] = target;
                    run.1 += 1;
                }
            }
        }
        self.deletion_targets = targets;
        self.deletions = deletions;
    }

    /// The vocabulary word one edit away from `word`, if any.
    fn correct_typo(&self, word: &str) -> Option<(TermId, &str)> {
        let mut chars = ['\0'; MAX_TYPO_CHARS];
        let mut n = 0;
        for c in word.chars() {
            if n == MAX_TYPO_CHARS || !c.is_alphabetic() {
                return None;
            }
            chars[n] = c;
            n += 1;
        }
        if n < MIN_TYPO_CHARS {
            return None;
        }
        let mut best: Option<(u32, TermId, &str)> = None;
        for_each_deletion_key(&chars[..n], |key| {
            let targets = match self.deletions.get(&key) {
                Some(&(start, end)) => self
                    .deletion_targets
                    .get(start as usize..end as usize)
                    .unwrap_or_default(),
                None => &[],
            };
            for &i in targets {
                let Some((target, term)) = self.typo_targets.get(i as usize) else {
                    continue;
                };
                if **target == *word || !within_one_edit(word, target) {
                    continue;
                }
                let df = self.postings.get(*term as usize).map_or(0, |p| p.len()) as u32;
                // Among equally close words, the more used one is the likelier intent.
                if best.is_none_or(|(best_df, _, _)| df > best_df) {
                    best = Some((df, *term, &**target));
                }
            }
        });
        best.map(|(_, term, target)| (term, target))
    }
}

/// How a message word met a pattern word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Exact,
    Stem,
    Synonym,
    Typo,
}

impl Via {
    fn quality(self) -> f32 {
        match self {
            Via::Exact => 1.0,
            Via::Stem => STEM_QUALITY,
            Via::Synonym => SYNONYM_QUALITY,
            Via::Typo => TYPO_QUALITY,
        }
    }
}

/// A message word as seen by one language's index.
#[derive(Debug, Clone)]
struct MessageWord<'a> {
    text: &'a str,
    stem: Cow<'a, str>,
    stop: bool,
    number: bool,
    term: Option<TermId>,
    /// Whether the word is in the vocabulary, `term` then holding its
    /// stem's term.
    known: bool,
    /// The vocabulary word a typo was corrected to.
    corrected: Option<&'a str>,
}

struct Analysis<'a> {
    words: Vec<MessageWord<'a>>,
    /// Each term present, with the message word that carries it.
    present: FastMap<TermId, usize>,
}

impl TriggerIndex {
    /// Compiles the patterns; the ones that cannot be read are skipped and
    /// reported with their index in `specs`.
    pub fn build(
        specs: &[TriggerSpec],
        synonyms: &Synonyms,
    ) -> (TriggerIndex, Vec<(usize, PatternError)>) {
        let mut langs: [LangIndex; 3] = Default::default();
        for (group_no, (lang, group)) in synonyms.groups.iter().enumerate() {
            langs[lang_slot(*lang)].add_synonyms(group, *lang, group_no);
        }
        // Sized up front: a big bot's patterns grown by doubling copy
        // megabytes, and free blocks large enough to make the allocator
        // sweep its small free blocks each time.
        let mut patterns = Vec::with_capacity(specs.len());
        let mut errors = Vec::new();
        let mut read: [WordReader; 3] = Default::default();
        for (spec_no, spec) in specs.iter().enumerate() {
            let slot = lang_slot(spec.lang);
            match compile(spec_no, spec, &mut langs[slot], &mut read[slot]) {
                Ok(Some(compiled)) => patterns.push(compiled),
                Ok(None) => {}
                Err(e) => errors.push((spec_no, e)),
            }
        }
        let mut terms: Vec<TermId> = Vec::new();
        for (p_no, p) in patterns.iter().enumerate() {
            let index = &mut langs[lang_slot(p.lang)];
            terms.clear();
            terms.extend(p.slot_terms());
            terms.sort_unstable();
            terms.dedup();
            for &t in &terms {
                if let Some(list) = index.postings.get_mut(t as usize) {
                    list.push(p_no as u32);
                }
            }
        }
        // Rarity counts targets, not patterns: a word repeated across one
        // target's many phrasings ("crèche") still tells that target apart.
        // A term's postings list its patterns; each target is counted once
        // per term by remembering the last term that counted it.
        let target_count = patterns.iter().map(|p| p.target + 1).max().unwrap_or(0);
        let mut counted_by: Vec<TermId> = Vec::new();
        for index in langs.iter_mut() {
            counted_by.clear();
            counted_by.resize(target_count, TermId::MAX);
            let mut targets = vec![0u32; index.postings.len()];
            let mut all = 0usize;
            for (t, (list, n)) in index.postings.iter().zip(&mut targets).enumerate() {
                for &p in list {
                    let target = patterns[p as usize].target;
                    let by = &mut counted_by[target];
                    if *by != t as TermId {
                        if *by == TermId::MAX {
                            all += 1;
                        }
                        *by = t as TermId;
                        *n += 1;
                    }
                }
            }
            let n = all.max(1) as f32;
            index.idf = targets
                .iter()
                .map(|&df| (1.0 + n / df.max(1) as f32).ln())
                .collect();
            index.targets = targets;
            index.build_typo_index();
            index.settle_form_terms();
        }
        for p in &patterns {
            let index = &mut langs[lang_slot(p.lang)];
            if index.reach.len() < index.idf.len() {
                index.reach.resize(index.idf.len(), 0.0);
            }
            let idf = |t: TermId| index.idf.get(t as usize).copied().unwrap_or(1.0);
            // `evaluate` weighs each slot by one of its alternatives: the
            // lightest one bounds the total from below.
            let lightest: f32 = p
                .slots
                .iter()
                .filter_map(|s| {
                    s.alternatives()
                        .map(|alt| alt.iter().map(|w| idf(w.term)).sum::<f32>())
                        .filter(|w| *w > 0.0)
                        .min_by(f32::total_cmp)
                })
                .sum();
            terms.clear();
            terms.extend(p.slot_terms());
            terms.sort_unstable();
            // A term in several slots counts once per slot.
            let mut i = 0;
            while i < terms.len() {
                let t = terms[i];
                let times = terms[i..].iter().take_while(|&&u| u == t).count();
                i += times;
                let reach = if lightest > 0.0 {
                    (idf(t) * times as f32 / lightest).min(1.0)
                } else {
                    1.0
                };
                if let Some(r) = index.reach.get_mut(t as usize) {
                    *r = r.max(reach);
                }
            }
        }
        (TriggerIndex { langs, patterns }, errors)
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Each readable pattern as written, with its target and language, in
    /// declaration order: diagrams of a bot show how its flows are started.
    pub fn patterns(&self) -> impl Iterator<Item = (usize, Lang, &str)> + '_ {
        self.patterns
            .iter()
            .map(|p| (p.target, p.lang, p.pattern.as_str()))
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether a folded word is one of the patterns' words, in any language.
    pub fn knows(&self, folded: &str) -> bool {
        self.langs.iter().any(|l| l.forms.contains_key(folded))
    }

    /// The triggers that fit `input`, best first, one per target, at most
    /// `limit`. With `lang`, that language's patterns are preferred.
    pub fn find(&self, input: &Input, lang: Option<Lang>, limit: usize) -> Vec<Match> {
        self.find_above(input, lang, limit, SUGGEST_THRESHOLD, Explain::Yes)
    }

    /// The best matches scoring at least `floor`, at most `limit`, best
    /// first. A higher floor is faster: patterns that share only common
    /// words with the message cannot reach it and are not scored.
    pub fn find_above(
        &self,
        input: &Input,
        lang: Option<Lang>,
        limit: usize,
        floor: f32,
        explain: Explain,
    ) -> Vec<Match> {
        self.search(input, lang, limit, &[floor], explain)
    }

    /// What a message outside any question needs: the matches, or when
    /// there is none, the suggestions. Cheaper than `find`, since the
    /// search for a match skips the triggers that share only common words
    /// with the message.
    pub fn find_match_or_suggestions(
        &self,
        input: &Input,
        lang: Option<Lang>,
        limit: usize,
        explain: Explain,
    ) -> Vec<Match> {
        self.search(
            input,
            lang,
            limit,
            &[MATCH_THRESHOLD, SUGGEST_THRESHOLD],
            explain,
        )
    }

    /// The best `limit` matches above the first floor that has any.
    fn search(
        &self,
        input: &Input,
        lang: Option<Lang>,
        limit: usize,
        floors: &[f32],
        explain: Explain,
    ) -> Vec<Match> {
        // The message is analysed once per language the bot has triggers in.
        let analyses: [Option<(Lang, &LangIndex, Analysis)>; 3] = Lang::ALL.map(|l| {
            let index = &self.langs[lang_slot(l)];
            (!index.postings.is_empty()).then(|| (l, index, analyse(input, l, index)))
        });
        let weight_of = |pattern_lang: Lang| match lang {
            Some(l) if l != pattern_lang => OTHER_LANGUAGE_WEIGHT,
            _ => 1.0,
        };
        let mut all: Vec<Ranked> = Vec::new();
        for &floor in floors {
            let present = analyses
                .iter()
                .enumerate()
                .filter_map(|(a_no, a)| Some((a_no, a.as_ref()?)));
            for (a_no, (pattern_lang, index, analysis)) in present {
                let weight = weight_of(*pattern_lang);
                // Every candidate gets a cheap numeric score; only the winners
                // are explained (the explanation allocates).
                for &p_no in candidates(index, analysis, floor).iter() {
                    let Some(p) = self.patterns.get(p_no as usize) else {
                        continue;
                    };
                    let Some((score, matched_count)) =
                        evaluate(p, &self.patterns, index, analysis, weight, None)
                    else {
                        continue;
                    };
                    if score >= floor {
                        all.push(Ranked {
                            score,
                            matched_count,
                            spec: p.spec,
                            target: p.target,
                            pattern: p_no,
                            analysis: a_no,
                        });
                    }
                }
            }
            if !all.is_empty() {
                break;
            }
        }
        // The best pattern of each target (a spec is one pattern: no ties),
        // then the targets best first.
        all.sort_unstable_by(|a, b| a.target.cmp(&b.target).then(a.order(b)));
        all.dedup_by_key(|r| r.target);
        all.sort_unstable_by(Ranked::order);
        all.into_iter()
            .take(limit)
            .filter_map(|r| {
                let p = self.patterns.get(r.pattern as usize)?;
                if explain == Explain::No {
                    return Some(Match {
                        target: p.target,
                        spec: p.spec,
                        score: r.score,
                        matched_words: Vec::new(),
                        missing_words: Vec::new(),
                        explanation: String::new(),
                    });
                }
                let (pattern_lang, index, analysis) = analyses.get(r.analysis)?.as_ref()?;
                score(p, &self.patterns, index, analysis, weight_of(*pattern_lang)).map(|(m, _)| m)
            })
            .collect()
    }
}

/// A content word of a message that a target's phrasings do not have.
#[derive(Debug, Clone, PartialEq)]
pub struct Beside {
    /// Index of the word in the message's tokens.
    pub token: usize,
    /// Its stem in the language it was read in.
    pub stem: String,
    /// How many targets require the word (or the word a typo stands for)
    /// in a trigger: 0 when the bot does not know it at all.
    pub known_by: u32,
}

impl TriggerIndex {
    /// The content words of a message (no stop word, no number) that no
    /// trigger of `target` in `lang` requires and that its pattern `spec`,
    /// if any, does not mention: what the message says beside what the
    /// target is about.
    pub fn words_beside(
        &self,
        input: &Input,
        lang: Lang,
        target: usize,
        spec: Option<usize>,
    ) -> Vec<Beside> {
        /// A word shared by more patterns than this is not looked through.
        const MAX_POSTINGS: usize = 4096;
        let index = &self.langs[lang_slot(lang)];
        let analysis = analyse(input, lang, index);
        // Patterns are kept in the order of their specs.
        let matched = spec.and_then(|spec| {
            let at = self.patterns.binary_search_by_key(&spec, |p| p.spec).ok()?;
            self.patterns.get(at)
        });
        analysis
            .words
            .iter()
            .enumerate()
            .filter(|(_, w)| !w.stop && !w.number)
            .filter_map(|(i, w)| {
                let known_by = match w.term {
                    None => 0,
                    Some(t) => {
                        if matched.is_some_and(|p| p.known.binary_search(&t).is_ok()) {
                            return None;
                        }
                        let list = index
                            .postings
                            .get(t as usize)
                            .map_or(&[][..], Vec::as_slice);
                        let mine = list.len() <= MAX_POSTINGS
                            && list.iter().any(|&q| {
                                self.patterns
                                    .get(q as usize)
                                    .is_some_and(|q| q.target == target)
                            });
                        if mine {
                            return None;
                        }
                        index.targets.get(t as usize).copied().unwrap_or(0)
                    }
                };
                Some(Beside {
                    token: i,
                    stem: w.stem.to_string(),
                    known_by,
                })
            })
            .collect()
    }
}

/// A candidate's rank before it is explained.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: f32,
    matched_count: usize,
    spec: usize,
    target: usize,
    pattern: u32,
    /// Which of the message's analyses (one per language) scored it.
    analysis: usize,
}

impl Ranked {
    /// Higher score first, then more matched words, then the earlier spec.
    fn order(&self, other: &Ranked) -> std::cmp::Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(other.matched_count.cmp(&self.matched_count))
            .then(self.spec.cmp(&other.spec))
    }
}

/// The pattern words of each text already read while building an index
/// for a language with multi-word synonyms: a phrase may span the words of
/// a text, which is then read whole.
type ReadTexts = FastMap<String, (Vec<PatternWord>, Vec<PatternWord>)>;

fn read_text<'c>(
    text: &str,
    lang: Lang,
    index: &mut LangIndex,
    cache: &'c mut ReadTexts,
) -> &'c (Vec<PatternWord>, Vec<PatternWord>) {
    if !cache.contains_key(text) {
        let words = words_of(text, lang);
        cache.insert(text.to_string(), pattern_words(&words, index));
    }
    &cache[text]
}

/// What building an index remembers of the words of its patterns: big bots
/// repeat the same words ("je voudrais", "comment obtenir") across
/// thousands of triggers, and each is folded, split and stemmed once.
#[derive(Default)]
struct WordReader<'s> {
    /// Each word as a pattern writes it, to its run of `tokens`.
    raw: FastMap<&'s str, (u32, u32)>,
    tokens: Vec<ReadToken>,
    texts: ReadTexts,
}

struct ReadToken {
    written: Arc<str>,
    stem: Arc<str>,
    stop: bool,
    /// Set the first time the token is read within the first
    /// `MAX_MESSAGE_WORDS` of a text, where `words_of` reads it: terms are
    /// interned in the order the texts meet them.
    term: Option<TermId>,
}

impl<'s> WordReader<'s> {
    /// The content words and stop words of `words` read as one text: what
    /// `read_text` gives for the words joined by spaces (folding never joins
    /// two words, and splitting never splits inside a token). With
    /// `probe`, also each token's term in order, when terms are per token
    /// (no multi-word synonym).
    fn read(
        &mut self,
        words: &[&'s str],
        lang: Lang,
        index: &mut LangIndex,
        probe: Option<&mut Vec<TermId>>,
    ) -> (Vec<PatternWord>, Vec<PatternWord>) {
        if !index.phrases.is_empty() {
            let mut text = String::new();
            for w in words {
                text.push_str(w);
                text.push(' ');
            }
            let (content, courtesy) = read_text(&text, lang, index, &mut self.texts);
            return (content.clone(), courtesy.clone());
        }
        let mut probe = probe;
        let mut content: Vec<PatternWord> = Vec::new();
        let mut courtesy: Vec<PatternWord> = Vec::new();
        let mut read = 0;
        'words: for &w in words {
            let (start, end) = match self.raw.get(w) {
                Some(&run) => run,
                None => {
                    let start = self.tokens.len() as u32;
                    // What `words_of` reads, without its owned copies.
                    let folded = fold(w);
                    for token in tokenize(&folded).iter().take(MAX_MESSAGE_WORDS) {
                        let word = Word::new(&token.text, lang);
                        // Known forms spare messages the stemmer.
                        let (written, stem) = index.form(&word);
                        self.tokens.push(ReadToken {
                            written,
                            stem,
                            stop: word.stop,
                            term: None,
                        });
                    }
                    let run = (start, self.tokens.len() as u32);
                    self.raw.insert(w, run);
                    run
                }
            };
            for t in self
                .tokens
                .get_mut(start as usize..end as usize)
                .unwrap_or_default()
            {
                if read == MAX_MESSAGE_WORDS {
                    break 'words;
                }
                read += 1;
                let term = match t.term {
                    Some(term) => term,
                    None => {
                        let term = match index.synonym_of.get(t.stem.as_ref()) {
                            Some(&term) => term,
                            None => index.intern(&t.stem),
                        };
                        if !t.stop {
                            index.add_typo_target(&t.written, term);
                        }
                        t.term = Some(term);
                        term
                    }
                };
                if let Some(p) = probe.as_deref_mut() {
                    p.push(term);
                }
                let pw = PatternWord {
                    term,
                    written: Arc::clone(&t.written),
                    written_stem: Arc::clone(&t.stem),
                };
                if t.stop {
                    courtesy.push(pw);
                } else if !content.iter().any(|c| c.term == term) {
                    content.push(pw);
                }
            }
        }
        (content, courtesy)
    }
}

/// The stop words of a run of plain words (a slot per term), or a slot of
/// alternatives made only of stop words.
enum CourtesyPart {
    Run(Vec<PatternWord>),
    Slot(Slot),
}

/// Turns one spec into required slots and known words, or `None` when it has
/// nothing to match on (a lone `*`).
fn compile<'s>(
    spec_no: usize,
    spec: &'s TriggerSpec,
    index: &mut LangIndex,
    reader: &mut WordReader<'s>,
) -> Result<Option<Compiled>, PatternError> {
    let nodes = pattern::parse(&spec.pattern)?;
    let mut open = false;
    let mut raw_slots: Vec<Vec<pattern::Reading>> = Vec::new();
    let mut optional_words: Vec<&str> = Vec::new();
    // Consecutive plain words form one run so multi-word synonyms can span them.
    let mut run: pattern::Reading = Vec::new();
    for node in &nodes {
        match node {
            Node::Word(w) => run.push((w, false)),
            Node::Star => open = true,
            Node::Optional(_) => {
                for reading in
                    pattern::readings(std::slice::from_ref(node), &mut open).unwrap_or_default()
                {
                    optional_words.extend(reading.into_iter().map(|(w, _)| w));
                }
            }
            Node::Alternatives(branches) => {
                if !run.is_empty() {
                    raw_slots.push(vec![std::mem::take(&mut run)]);
                }
                let mut readings = Vec::new();
                for b in branches {
                    match pattern::readings(b, &mut open) {
                        Some(r) if readings.len() + r.len() <= MAX_BRANCHES => readings.extend(r),
                        _ => {
                            return Err(PatternError {
                                message: format!("too many alternatives (at most {MAX_BRANCHES})"),
                                offset: 0,
                            })
                        }
                    }
                }
                raw_slots.push(readings);
            }
        }
    }
    if !run.is_empty() {
        raw_slots.push(vec![run]);
    }

    let lang = spec.lang;
    let mut known: Vec<TermId> = Vec::new();
    let mut content_slots: Vec<Slot> = Vec::new();
    // Stop-word slots count only in a pattern without content words or a
    // thin one: they are split into slots only then.
    let mut courtesy_parts: Vec<CourtesyPart> = Vec::new();
    let mut probe = String::with_capacity(spec.pattern.len());
    let mut probe_terms = index.phrases.is_empty().then(Vec::new);
    let mut required: Vec<&str> = Vec::new();
    for (slot_no, readings) in raw_slots.iter().enumerate() {
        // A run of plain words is a single reading: each of its terms is a slot.
        let split_run = readings.len() == 1;
        // A run's words go straight to their slots: no lists of alternatives.
        let lists = if split_run { 0 } else { readings.len() };
        let mut alternatives: Vec<Vec<PatternWord>> = Vec::with_capacity(lists);
        let mut courtesy_alternatives: Vec<Vec<PatternWord>> = Vec::with_capacity(lists);
        for (r_no, reading) in readings.iter().enumerate() {
            required.clear();
            for &(w, optional) in reading {
                if optional {
                    optional_words.push(w);
                } else {
                    required.push(w);
                }
            }
            let probing = if r_no == 0 {
                if slot_no > 0 {
                    probe.push(' ');
                }
                for (i, w) in required.iter().enumerate() {
                    if i > 0 {
                        probe.push(' ');
                    }
                    probe.push_str(w);
                }
                probe_terms.as_mut()
            } else {
                None
            };
            let (content, courtesy) = reader.read(&required, lang, index, probing);
            known.extend(content.iter().chain(&courtesy).map(|w| w.term));
            if split_run {
                split_by_term(content, &mut content_slots);
                if !courtesy.is_empty() {
                    courtesy_parts.push(CourtesyPart::Run(courtesy));
                }
            } else {
                alternatives.push(content);
                courtesy_alternatives.push(courtesy);
            }
        }
        if split_run {
            // Its slots are in place already.
        } else if alternatives.iter().all(|a| !a.is_empty()) {
            content_slots.push(Slot::Alternatives(alternatives));
        } else if courtesy_alternatives.iter().all(|a| !a.is_empty())
            && alternatives.iter().all(|a| a.is_empty())
        {
            courtesy_parts.push(CourtesyPart::Slot(Slot::Alternatives(
                courtesy_alternatives,
            )));
        }
        // An alternative made only of stop words makes its slot optional.
    }
    for w in &optional_words {
        let (content, courtesy) = reader.read(std::slice::from_ref(w), lang, index, None);
        known.extend(content.iter().chain(&courtesy).map(|w| w.term));
    }
    let courtesy = content_slots.is_empty();
    // A pattern with a single content word ("je ne veux plus", "comment ça
    // marche") means its other words too: without them, any message with
    // that one word ("je ne sais plus") would start it.
    let thin = !courtesy
        && content_slots.len() == 1
        && content_slots[0].alternatives().all(|a| a.len() <= 1);
    let courtesy_slots = || {
        let mut slots = Vec::new();
        for part in courtesy_parts {
            match part {
                CourtesyPart::Run(words) => split_by_term(words, &mut slots),
                CourtesyPart::Slot(slot) => slots.push(slot),
            }
        }
        slots
    };
    let content_count = content_slots.len();
    let slots = if courtesy {
        courtesy_slots()
    } else if thin {
        content_slots.extend(courtesy_slots());
        content_slots
    } else {
        content_slots
    };
    if slots.is_empty() {
        return Ok(None);
    }
    known.sort_unstable();
    known.dedup();
    if let Some(terms) = probe_terms.as_mut() {
        // A message is read up to its first `MAX_MESSAGE_WORDS`.
        terms.truncate(MAX_MESSAGE_WORDS);
    }
    Ok(Some(Compiled {
        spec: spec_no,
        target: spec.target,
        lang,
        pattern: spec.pattern.clone(),
        slots,
        known,
        open,
        courtesy,
        thin,
        content_slots: content_count,
        probe,
        probe_terms,
    }))
}

impl Compiled {
    /// The terms of every alternative of every slot, once per time written.
    fn slot_terms(&self) -> impl Iterator<Item = TermId> + '_ {
        self.slots
            .iter()
            .flat_map(|s| s.alternatives().flatten().map(|w| w.term))
    }
}

/// Adds a slot per term of `words` to `slots`, a term written twice once.
fn split_by_term(words: Vec<PatternWord>, slots: &mut Vec<Slot>) {
    let start = slots.len();
    for w in words {
        let dup = slots[start..]
            .iter()
            .any(|s| s.alternatives().flatten().any(|x| x.term == w.term));
        if !dup {
            slots.push(Slot::Word([w]));
        }
    }
}

/// The pattern words of a reading, split into content words and stop words,
/// with multi-word synonyms folded into one term.
fn pattern_words(words: &[Word], index: &mut LangIndex) -> (Vec<PatternWord>, Vec<PatternWord>) {
    let phrases = index.phrase_terms(words);
    let mut content = Vec::new();
    let mut courtesy = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let (written, written_stem) = index.form(w);
        let term = match phrases.get(i).copied().flatten() {
            Some((term, head)) if head == i => term,
            Some(_) => continue,
            None => match index.synonym_of.get(w.stem.as_ref()) {
                Some(&t) => t,
                None => index.intern(&written_stem),
            },
        };
        if !w.stop {
            index.add_typo_target(&written, term);
        }
        let pw = PatternWord {
            term,
            written,
            written_stem,
        };
        if w.stop {
            courtesy.push(pw);
        } else {
            if !content.iter().any(|c: &PatternWord| c.term == term) {
                content.push(pw);
            }
        }
    }
    (content, courtesy)
}

fn analyse<'a>(input: &'a Input, lang: Lang, index: &'a LangIndex) -> Analysis<'a> {
    let mut words: Vec<MessageWord<'a>> = input
        .tokens
        .iter()
        .take(MAX_MESSAGE_WORDS)
        .map(|t| {
            let text: &'a str = &t.text;
            let (w, known) = index.word(text, lang);
            MessageWord {
                text,
                stem: w.stem,
                stop: w.stop,
                number: text.bytes().all(|b| b.is_ascii_digit()),
                term: known.flatten(),
                known: known.is_some(),
                corrected: None,
            }
        })
        .collect();
    let phrases = index.phrase_terms_of(words.len(), |i| (&words[i].stem, words[i].stop));
    let mut present: FastMap<TermId, usize> =
        FastMap::with_capacity_and_hasher(words.len(), Default::default());
    for i in 0..words.len() {
        let w = &words[i];
        let mut corrected = None;
        let term = match phrases.get(i).copied().flatten() {
            Some((t, _)) => Some(t),
            None => if w.known {
                w.term
            } else {
                index.term_of_stem(&w.stem)
            }
            .or_else(|| {
                if w.stop || w.number {
                    return None;
                }
                index.correct_typo(w.text).map(|(t, target)| {
                    corrected = Some(target);
                    t
                })
            }),
        };
        if let Some(t) = term {
            // An exact sighting beats a corrected one for explanations.
            let replace = match present.get(&t) {
                None => true,
                Some(&old) => {
                    words.get(old).is_some_and(|o| o.corrected.is_some()) && corrected.is_none()
                }
            };
            if replace {
                present.insert(t, i);
            }
        }
        words[i].term = term;
        words[i].corrected = corrected;
    }
    Analysis { words, present }
}

/// The patterns that may score `floor` for the message, rarest terms first,
/// at most `MAX_CANDIDATES`. A pattern reached only through words whose
/// reaches add up to less than the floor cannot get there: the coverage of
/// a pattern is at most the sum of its present words' reaches, and the
/// score at most the coverage raised to `COVERAGE_CURVE`.
fn candidates<'i>(index: &'i LangIndex, analysis: &Analysis, floor: f32) -> Cow<'i, [u32]> {
    let reach = |t: TermId| index.reach.get(t as usize).copied().unwrap_or(1.0);
    let mut terms: Vec<TermId> = analysis.present.keys().copied().collect();
    terms.sort_by(|a, b| reach(*a).total_cmp(&reach(*b)).then(a.cmp(b)));
    let mut weak = 0.0f32;
    let mut skipped = 0;
    for &t in &terms {
        let with = weak + reach(t);
        // The margin covers rounding between this bound and `evaluate`.
        if floor <= 0.0 || with.powf(COVERAGE_CURVE) >= floor - 0.001 {
            break;
        }
        weak = with;
        skipped += 1;
    }
    terms.drain(..skipped);
    let postings = |t: TermId| index.postings.get(t as usize).map_or(0, |p| p.len());
    terms.sort_by_key(|&t| (postings(t), t));
    let cap = if floor < MATCH_THRESHOLD {
        terms.retain(|&t| {
            index.targets.get(t as usize).copied().unwrap_or(0) <= MAX_SUGGESTING_TARGETS
        });
        MAX_SUGGESTION_CANDIDATES
    } else {
        MAX_CANDIDATES
    };
    if let [only] = terms.as_slice() {
        // A term's patterns are listed once each: nothing to skip.
        let list = index
            .postings
            .get(*only as usize)
            .map_or(&[][..], Vec::as_slice);
        return Cow::Borrowed(&list[..list.len().min(cap)]);
    }
    // Sized once: growing a table step by step cost more than filling it.
    let reachable: usize = terms.iter().map(|&t| postings(t)).sum::<usize>().min(cap);
    let mut seen: FastSet<u32> = FastSet::with_capacity_and_hasher(reachable, Default::default());
    let mut out = Vec::with_capacity(reachable);
    'terms: for t in terms {
        for &p in index.postings.get(t as usize).into_iter().flatten() {
            if out.len() >= cap {
                break 'terms;
            }
            if seen.insert(p) {
                out.push(p);
            }
        }
    }
    Cow::Owned(out)
}

fn via(word: &MessageWord, pattern_word: &PatternWord) -> Via {
    if word.corrected.is_some() {
        Via::Typo
    } else if word.text == &*pattern_word.written {
        Via::Exact
    } else if *word.stem == *pattern_word.written_stem {
        Via::Stem
    } else {
        Via::Synonym
    }
}

/// What a pattern matched, for its explanation.
#[derive(Default)]
struct Detail<'p> {
    matched: Vec<(usize, &'p PatternWord, Via)>,
    missing: Vec<String>,
    extra: usize,
    /// Raised to a match: every content word of the message is the
    /// pattern's, and one is its target's topic.
    named: bool,
}

fn score(
    p: &Compiled,
    patterns: &[Compiled],
    index: &LangIndex,
    analysis: &Analysis,
    weight: f32,
) -> Option<(Match, usize)> {
    let mut detail = Detail::default();
    let (score, matched_count) = evaluate(p, patterns, index, analysis, weight, Some(&mut detail))?;
    let Detail {
        mut matched,
        missing,
        extra,
        named,
    } = detail;
    matched.sort_by_key(|(i, _, _)| *i);
    let mut explanation = explain(p, analysis, &matched, &missing, extra, weight, score);
    if named {
        explanation.push_str(
            " (named: every word of the message is in its target's phrasings, one is its topic or together they are no other target's)",
        );
    }
    let matched_words = matched
        .iter()
        .filter_map(|(i, _, _)| analysis.words.get(*i).map(|w| w.text.to_string()))
        .collect();
    Some((
        Match {
            target: p.target,
            spec: p.spec,
            score,
            matched_words,
            missing_words: missing,
            explanation,
        },
        matched_count,
    ))
}

/// The score of a pattern for a message and how many of its words
/// matched; with `detail`, also which words and how.
fn evaluate<'p>(
    p: &'p Compiled,
    patterns: &[Compiled],
    index: &LangIndex,
    analysis: &Analysis,
    weight: f32,
    mut detail: Option<&mut Detail<'p>>,
) -> Option<(f32, usize)> {
    let idf = |t: TermId| index.idf.get(t as usize).copied().unwrap_or(1.0);
    let mut total = 0.0f32;
    let mut got = 0.0f32;
    let mut matched_count = 0usize;
    let mut missing_any = false;
    // Whether a content word of the pattern is in the message, and one that
    // no other target requires (a word that tells this target apart).
    let mut evidence = false;
    let mut distinctive = false;
    for (slot_no, slot) in p.slots.iter().enumerate() {
        let content = slot_no < p.content_slots;
        let mut best: Option<(f32, f32, &[PatternWord])> = None;
        for alt in slot.alternatives() {
            let alt_weight: f32 = alt.iter().map(|w| idf(w.term)).sum();
            if alt_weight <= 0.0 {
                continue;
            }
            let alt_got: f32 = alt
                .iter()
                .filter_map(|w| {
                    let &i = analysis.present.get(&w.term)?;
                    let mw = analysis.words.get(i)?;
                    Some(idf(w.term) * via(mw, w).quality())
                })
                .sum();
            let coverage = alt_got / alt_weight;
            if best.is_none_or(|(c, _, _)| coverage > c) {
                best = Some((coverage, alt_weight, alt));
            }
        }
        let Some((coverage, alt_weight, alt)) = best else {
            continue;
        };
        total += alt_weight;
        got += coverage * alt_weight;
        for w in alt {
            match analysis.present.get(&w.term) {
                Some(&i) => {
                    if let Some(mw) = analysis.words.get(i) {
                        matched_count += 1;
                        if content {
                            evidence = true;
                            distinctive |= index.is_topic(w.term);
                        }
                        if let Some(d) = detail.as_deref_mut() {
                            d.matched.push((i, w, via(mw, w)));
                        }
                    }
                }
                None => {
                    missing_any = true;
                    if let Some(d) = detail.as_deref_mut() {
                        d.missing.push(w.written.to_string());
                    }
                }
            }
        }
    }
    // Words that carry no meaning ("je", "le", "à") are no evidence for a
    // pattern that has words that do: "le 25/12" is not "le menu *".
    if total <= 0.0 || matched_count == 0 || (!p.courtesy && !evidence) {
        return None;
    }
    let extra = analysis
        .words
        .iter()
        .filter(|w| !w.stop && !w.number)
        .filter(|w| w.term.is_none_or(|t| p.known.binary_search(&t).is_err()))
        .count();
    let penalty = if p.courtesy {
        (extra as f32 * COURTESY_EXTRA_PENALTY).min(1.0)
    } else if p.open {
        0.0
    } else {
        (extra as f32 * EXTRA_WORD_PENALTY).min(MAX_EXTRA_PENALTY)
    };
    // Softened so that most of a pattern is a match and one rare word of it
    // a suggestion (2 of 3 words: 0.75, 1 of 3: 0.46).
    let coverage = (got / total).clamp(0.0, 1.0).powf(COVERAGE_CURVE);
    let mut score = (coverage * weight - penalty).clamp(0.0, 1.0);
    if p.thin && missing_any {
        // "je ne sais plus" is not "je ne veux plus": offered, never started.
        score = score.min(MATCH_THRESHOLD - 0.05);
    } else if distinctive
        && !p.thin
        && score < MATCH_THRESHOLD
        && (extra == 0 || others_are_targets(p, patterns, index, analysis))
        || !p.thin && score < MATCH_THRESHOLD && words_point_at_target(p, patterns, index, analysis)
    {
        // Every content word of the message is this pattern's, and one of
        // them is its target's topic ("crèche", "where is my application"),
        // or they are together no other target's ("waar is mijn aanvraag"):
        // the citizen named the service, which starts it.
        score = MATCH_THRESHOLD;
        if let Some(d) = detail.as_deref_mut() {
            d.named = true;
        }
    }
    if score <= 0.0 {
        return None;
    }
    if let Some(d) = detail {
        d.extra = extra;
    }
    Some((score, matched_count))
}

/// Whether the message's content words, two or more, are all known to `p`'s
/// target and, taken together, to no other: in "waar is mijn aanvraag",
/// "waar" is also the town hall's address and "aanvraag" the crèche's, but
/// only the request status knows both. A question whose words point at one
/// service asks for it.
fn words_point_at_target(
    p: &Compiled,
    patterns: &[Compiled],
    index: &LangIndex,
    analysis: &Analysis,
) -> bool {
    /// A word shared by more patterns than this is not looked through.
    const MAX_POSTINGS: usize = 4096;
    let mut shared: Option<Vec<usize>> = None;
    let mut count = 0;
    for w in analysis.words.iter().filter(|w| !w.stop && !w.number) {
        let Some(list) = w.term.and_then(|t| index.postings.get(t as usize)) else {
            return false;
        };
        if list.len() > MAX_POSTINGS {
            return false;
        }
        let mut targets: Vec<usize> = list
            .iter()
            .filter_map(|&q| patterns.get(q as usize))
            .map(|q| q.target)
            .collect();
        targets.sort_unstable();
        targets.dedup();
        shared = Some(match shared {
            None => targets,
            Some(s) => s
                .into_iter()
                .filter(|t| targets.binary_search(t).is_ok())
                .collect(),
        });
        count += 1;
    }
    count >= 2 && shared.is_some_and(|s| s == [p.target])
}

/// Whether every content word of the message that `p` does not know is
/// required by another pattern of `p`'s target ("where is my
/// application": "where" is in "where is my request").
fn others_are_targets(
    p: &Compiled,
    patterns: &[Compiled],
    index: &LangIndex,
    analysis: &Analysis,
) -> bool {
    /// A word shared by more patterns than this is not looked through.
    const MAX_POSTINGS: usize = 4096;
    analysis
        .words
        .iter()
        .filter(|w| !w.stop && !w.number)
        .all(|w| match w.term {
            Some(t) if p.known.binary_search(&t).is_ok() => true,
            Some(t) => index.postings.get(t as usize).is_some_and(|list| {
                list.len() <= MAX_POSTINGS
                    && list.iter().any(|&q| {
                        patterns
                            .get(q as usize)
                            .is_some_and(|q| q.target == p.target)
                    })
            }),
            None => false,
        })
}

fn explain(
    p: &Compiled,
    analysis: &Analysis,
    matched: &[(usize, &PatternWord, Via)],
    missing: &[String],
    extra: usize,
    weight: f32,
    score: f32,
) -> String {
    let mut line = format!("{} \"{}\": ", p.lang, p.pattern);
    let parts: Vec<String> = matched
        .iter()
        .filter_map(|(i, pw, via)| {
            let w = analysis.words.get(*i)?;
            Some(match via {
                Via::Exact => w.text.to_string(),
                Via::Stem => format!("{} (form of \"{}\")", w.text, pw.written),
                Via::Synonym => format!("{} (synonym of \"{}\")", w.text, pw.written),
                Via::Typo => format!(
                    "{} (typo for \"{}\")",
                    w.text,
                    w.corrected.unwrap_or(&pw.written)
                ),
            })
        })
        .collect();
    let _ = write!(line, "matched {}", parts.join(", "));
    if !missing.is_empty() {
        let _ = write!(line, "; missing {}", missing.join(", "));
    }
    if extra > 0 {
        let _ = write!(
            line,
            "; {extra} other word{}",
            if extra == 1 { "" } else { "s" }
        );
    }
    if weight < 1.0 {
        line.push_str("; other language");
    }
    let _ = write!(line, "; score {score:.2}");
    line
}

/// Patterns hidden by another: on a message made of the hidden pattern's
/// own words, the other one (of another target) still wins. Each pair is
/// (hidden spec, winning spec), for the checker's warnings.
pub fn hidden_triggers(index: &TriggerIndex) -> Vec<(usize, usize)> {
    let mut hidden = Vec::new();
    let mut terms: Vec<TermId> = Vec::new();
    for p in &index.patterns {
        if p.probe.trim().is_empty() {
            continue;
        }
        if let Some(probe_terms) = &p.probe_terms {
            terms.clear();
            terms.extend(probe_terms);
            if !may_be_hidden(index, p, &mut terms) {
                continue;
            }
        }
        let input = Input::new(&p.probe);
        // A pattern scores about 1 on its own words: only a match can beat it.
        let found = index.find_above(&input, Some(p.lang), 1, MATCH_THRESHOLD, Explain::No);
        if let Some(winner) = found.first() {
            if winner.target != p.target {
                hidden.push((p.spec, winner.spec));
            }
        }
    }
    hidden
}

/// Whether a pattern of another target may score `MATCH_THRESHOLD` on a
/// message made of `p`'s own words, whose terms are `terms`: most patterns
/// share only common words with any other target, and replaying their
/// words through `find_above` is most of the time checking a big bot takes.
/// A pattern's coverage is at most the sum of the reaches of the terms it
/// shares with the message (see `candidates`): one reached only through
/// the weakest terms, adding up to less than the threshold, cannot match.
fn may_be_hidden(index: &TriggerIndex, p: &Compiled, terms: &mut Vec<TermId>) -> bool {
    let slot = lang_slot(p.lang);
    let others_empty = index
        .langs
        .iter()
        .enumerate()
        .all(|(i, l)| i == slot || l.postings.is_empty());
    if !others_empty {
        // The message is read in the other languages too, with other terms.
        return true;
    }
    let lang = &index.langs[slot];
    let reach = |t: TermId| lang.reach.get(t as usize).copied().unwrap_or(1.0);
    terms.sort_unstable();
    terms.dedup();
    terms.sort_by(|a, b| reach(*a).total_cmp(&reach(*b)).then(a.cmp(b)));
    let mut weak = 0.0f32;
    let mut skipped = 0;
    for &t in terms.iter() {
        let with = weak + reach(t);
        // The same margin as `candidates`, for rounding.
        if with.powf(COVERAGE_CURVE) >= MATCH_THRESHOLD - 0.001 {
            break;
        }
        weak = with;
        skipped += 1;
    }
    terms[skipped..].iter().any(|&t| {
        lang.postings
            .get(t as usize)
            .into_iter()
            .flatten()
            .any(|&q| {
                index
                    .patterns
                    .get(q as usize)
                    .is_none_or(|q| q.target != p.target)
            })
    })
}

#[cfg(test)]
#[path = "matcher_tests.rs"]
mod tests;
