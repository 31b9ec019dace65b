use super::*;
use proptest::prelude::*;

const CRECHE: usize = 0;
const PARKING: usize = 1;
const ID_CARD: usize = 2;
const GREETING: usize = 3;
const WASTE: usize = 4;

fn spec(target: usize, lang: Lang, pattern: &str) -> TriggerSpec {
    TriggerSpec {
        target,
        lang,
        pattern: pattern.to_string(),
    }
}

fn group(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

fn commune_bot() -> TriggerIndex {
    let specs = vec![
        spec(CRECHE, Lang::Fr, "inscrire mon enfant à la crèche"),
        spec(CRECHE, Lang::Fr, "inscription (crèche|garderie)"),
        spec(CRECHE, Lang::Fr, "place [en] crèche"),
        spec(CRECHE, Lang::Nl, "kind inschrijven kinderopvang"),
        spec(CRECHE, Lang::En, "enrol my child in daycare"),
        spec(PARKING, Lang::Fr, "carte de (stationnement|riverain)"),
        spec(PARKING, Lang::Nl, "parkeerkaart aanvragen"),
        spec(PARKING, Lang::En, "* parking card"),
        spec(
            ID_CARD,
            Lang::Fr,
            "(renouveler|perdu|nouvelle) carte d'identité",
        ),
        spec(ID_CARD, Lang::Nl, "identiteitskaart (aanvragen|verloren)"),
        spec(ID_CARD, Lang::En, "identity card"),
        spec(GREETING, Lang::Fr, "bonjour"),
        spec(GREETING, Lang::Nl, "goedendag"),
        spec(WASTE, Lang::Fr, "collecte des (déchets|poubelles)"),
        spec(WASTE, Lang::Nl, "afvalophaling"),
        spec(WASTE, Lang::En, "waste collection"),
    ];
    let mut synonyms = Synonyms::new();
    synonyms.add_group(
        Lang::Fr,
        &group(&["crèche", "garderie", "milieu d'accueil"]),
    );
    synonyms.add_group(Lang::Fr, &group(&["enfant", "fille", "fils", "bébé"]));
    synonyms.add_group(Lang::Fr, &group(&["carte d'identité", "eid"]));
    synonyms.add_group(
        Lang::Nl,
        &group(&["kinderopvang", "creche", "kinderdagverblijf"]),
    );
    synonyms.add_group(Lang::En, &group(&["child", "son", "daughter", "baby"]));
    synonyms.add_group(Lang::En, &group(&["daycare", "nursery", "creche"]));
    let (index, errors) = TriggerIndex::build(&specs, &synonyms);
    assert!(errors.is_empty(), "{errors:?}");
    index
}

fn best(index: &TriggerIndex, text: &str, lang: Option<Lang>) -> Option<Match> {
    index.find(&Input::new(text), lang, 5).into_iter().next()
}

fn assert_starts(index: &TriggerIndex, text: &str, lang: Option<Lang>, target: usize) -> Match {
    let m = best(index, text, lang).unwrap_or_else(|| panic!("nothing for {text:?}"));
    assert_eq!(m.target, target, "{text:?}: {}", m.explanation);
    assert!(
        m.score >= MATCH_THRESHOLD,
        "{text:?} should start the target: {}",
        m.explanation
    );
    m
}

#[test]
fn french_messages_in_citizens_own_words() {
    let bot = commune_bot();
    let fr = Some(Lang::Fr);
    assert_starts(
        &bot,
        "Bonjour je voudrais inscrire ma fille à la crèche svp",
        fr,
        CRECHE,
    );
    assert_starts(&bot, "INSCRIPTION GARDERIE", fr, CRECHE);
    assert_starts(&bot, "l'inscription à la crèche ?", fr, CRECHE);
    assert_starts(&bot, "inscirption creche", fr, CRECHE);
    assert_starts(&bot, "crèche: comment inscrire mon bébé", fr, CRECHE);
    assert_starts(&bot, "une place en crèche", fr, CRECHE);
    assert_starts(&bot, "j'ai perdu ma carte d'identité", fr, ID_CARD);
    assert_starts(&bot, "renouveler mon eid", fr, ID_CARD);
    assert_starts(&bot, "collecte des poubelles", fr, WASTE);
    assert_starts(&bot, "carte de riverain", fr, PARKING);
}

#[test]
fn dutch_and_english_messages() {
    let bot = commune_bot();
    assert_starts(
        &bot,
        "Ik wil mijn kind inschrijven in de kinderopvang",
        Some(Lang::Nl),
        CRECHE,
    );
    assert_starts(
        &bot,
        "inschrijving creche voor mijn kind",
        Some(Lang::Nl),
        CRECHE,
    );
    assert_starts(&bot, "parkeerkaart aanvraag", Some(Lang::Nl), PARKING);
    assert_starts(&bot, "identiteitskaart verloren!", Some(Lang::Nl), ID_CARD);
    assert_starts(
        &bot,
        "How can I enroll my son in a nursery?",
        Some(Lang::En),
        CRECHE,
    );
    assert_starts(
        &bot,
        "I need a parking card for my street please",
        Some(Lang::En),
        PARKING,
    );
    assert_starts(&bot, "when is the waste collection", Some(Lang::En), WASTE);
}

#[test]
fn explanation_tells_how_words_matched() {
    let bot = commune_bot();
    let m = assert_starts(&bot, "inscirption garderie", Some(Lang::Fr), CRECHE);
    assert!(
        m.explanation.contains("typo for \"inscription\""),
        "{}",
        m.explanation
    );
    assert!(m.explanation.contains("score"), "{}", m.explanation);
    assert_eq!(m.matched_words, ["inscirption", "garderie"]);
    let m = assert_starts(
        &bot,
        "inscrire mon fils à la crèche",
        Some(Lang::Fr),
        CRECHE,
    );
    assert!(
        m.explanation.contains("synonym of \"enfant\""),
        "{}",
        m.explanation
    );
    let m = best(&bot, "crèche", Some(Lang::Fr)).unwrap();
    assert_eq!(m.target, CRECHE);
    let m = best(&bot, "inscrivez enfant", Some(Lang::Fr)).unwrap();
    assert!(
        m.explanation.contains("form of \"inscrire\""),
        "{}",
        m.explanation
    );
    assert!(!m.missing_words.is_empty());
}

#[test]
fn a_pattern_with_one_content_word_needs_all_its_words() {
    let specs = vec![
        spec(0, Lang::Fr, "je ne veux plus"),
        spec(1, Lang::Fr, "comment (ça|ca) marche"),
    ];
    let (index, _) = TriggerIndex::build(&specs, &Synonyms::new());
    assert_starts(&index, "je ne veux plus", Some(Lang::Fr), 0);
    assert_starts(&index, "comment ça marche ?", Some(Lang::Fr), 1);
    for message in ["je ne sais plus", "je marche", "plus tard"] {
        let top = best(&index, message, Some(Lang::Fr));
        assert!(
            top.as_ref().is_none_or(|m| m.score < MATCH_THRESHOLD),
            "{message:?} must not start anything: {top:?}"
        );
    }
}

#[test]
fn partial_messages_are_suggestions_not_matches() {
    let bot = commune_bot();
    let m = best(&bot, "kinderopvang", Some(Lang::Nl)).unwrap();
    assert_eq!(m.target, CRECHE);
    assert!(
        m.score >= SUGGEST_THRESHOLD && m.score < MATCH_THRESHOLD,
        "{}",
        m.explanation
    );
    assert!(best(&bot, "quelle heure est-il", Some(Lang::Fr))
        .is_none_or(|m| m.score < SUGGEST_THRESHOLD));
    let school = best(&bot, "inscrire ma fille à l'école", Some(Lang::Fr)).unwrap();
    assert!(school.score < MATCH_THRESHOLD, "{}", school.explanation);
    let card = bot.find(&Input::new("carte"), Some(Lang::Fr), 5);
    assert!(card.iter().all(|m| m.score < MATCH_THRESHOLD));
}

#[test]
fn short_exact_message_scores_above_long_one() {
    let bot = commune_bot();
    let short = best(&bot, "inscription crèche", Some(Lang::Fr)).unwrap();
    let long = best(
        &bot,
        "inscription crèche pour septembre prochain avec horaires flexibles",
        Some(Lang::Fr),
    )
    .unwrap();
    assert_eq!(long.target, CRECHE);
    assert!(short.score > long.score);
    assert!(long.score >= MATCH_THRESHOLD, "{}", long.explanation);
}

#[test]
fn other_language_still_matches_at_lower_weight() {
    let bot = commune_bot();
    let in_nl = best(&bot, "kind inschrijven kinderopvang", Some(Lang::Nl)).unwrap();
    let in_fr = best(&bot, "kind inschrijven kinderopvang", Some(Lang::Fr)).unwrap();
    assert_eq!(in_fr.target, CRECHE);
    assert!(in_fr.score < in_nl.score);
    assert!(in_fr.score >= MATCH_THRESHOLD, "{}", in_fr.explanation);
    assert!(in_fr.explanation.contains("other language"));
}

#[test]
fn courtesy_patterns_only_win_alone() {
    let bot = commune_bot();
    assert_starts(&bot, "Bonjour !", Some(Lang::Fr), GREETING);
    let m = best(&bot, "bonjour, inscription crèche", Some(Lang::Fr)).unwrap();
    assert_eq!(m.target, CRECHE);
}

#[test]
fn star_alone_matches_nothing_and_bad_patterns_are_reported() {
    let specs = vec![
        spec(0, Lang::Fr, "*"),
        spec(1, Lang::Fr, "inscription (crèche|"),
        spec(2, Lang::Fr, "place [en crèche"),
        spec(3, Lang::Fr, "(a||b)"),
        spec(4, Lang::Fr, "état civil"),
    ];
    let (index, errors) = TriggerIndex::build(&specs, &Synonyms::new());
    assert_eq!(index.len(), 1);
    let at: Vec<(usize, usize)> = errors.iter().map(|(i, e)| (*i, e.offset)).collect();
    assert_eq!(at, [(1, 12), (2, 6), (3, 3)]);
    assert!(index
        .find(&Input::new("n'importe quoi"), None, 5)
        .is_empty());
    assert_eq!(best(&index, "etat civil", None).map(|m| m.target), Some(4));
}

#[test]
fn hidden_triggers_are_reported() {
    let specs = vec![
        spec(0, Lang::Fr, "inscription crèche"),
        // Exact words beat the synonym: not hidden.
        spec(1, Lang::Fr, "inscription garderie"),
        spec(2, Lang::Fr, "inscription école"),
        // Same words in another order, for another target: never wins.
        spec(3, Lang::Fr, "crèche l'inscription"),
        spec(4, Lang::Fr, "crèche [horaires]"),
        spec(5, Lang::Fr, "crèche"),
        spec(6, Lang::Fr, "école"),
    ];
    let mut synonyms = Synonyms::new();
    synonyms.add_group(Lang::Fr, &group(&["crèche", "garderie"]));
    let (index, _) = TriggerIndex::build(&specs, &synonyms);
    assert_eq!(hidden_triggers(&index), [(3, 0), (5, 4)]);
}

#[test]
fn index_is_shareable_between_threads() {
    fn shareable<T: Send + Sync + std::fmt::Debug>() {}
    shareable::<TriggerIndex>();
}

/// Pronounceable words that no stop list or suffix rule touches
/// differently from one another.
fn generated_word(n: usize) -> String {
    const CONSONANTS: &[u8] = b"bdfgklmnprtvz";
    const VOWELS: &[u8] = b"aiou";
    let mut x = n;
    let mut w = String::new();
    for _ in 0..4 {
        w.push(CONSONANTS[x % CONSONANTS.len()] as char);
        x /= CONSONANTS.len();
        w.push(VOWELS[x % VOWELS.len()] as char);
        x /= VOWELS.len();
    }
    w
}

fn generated_specs(count: usize) -> Vec<TriggerSpec> {
    // Three words per trigger from a vocabulary that grows with the count,
    // so each word is shared by a handful of triggers.
    let vocab = (count / 2).max(20);
    (0..count)
        .map(|i| {
            let a = generated_word(i % vocab);
            let b = generated_word((i * 7 + 3) % vocab + vocab);
            let c = generated_word(i + 2 * vocab);
            spec(i, Lang::En, &format!("{a} {b} {c}"))
        })
        .collect()
}

fn finds_generated_targets(count: usize) {
    let specs = generated_specs(count);
    let (index, errors) = TriggerIndex::build(&specs, &Synonyms::new());
    assert!(errors.is_empty());
    assert_eq!(index.len(), count);
    for i in (0..count).step_by((count / 50).max(1)) {
        let words: Vec<&str> = specs[i].pattern.split(' ').collect();
        let message = format!(
            "hello, please {} and {} {} thanks",
            words[2], words[0], words[1]
        );
        let m = best(&index, &message, Some(Lang::En)).unwrap();
        assert_eq!(m.target, i, "{message}: {}", m.explanation);
        assert!(m.score >= MATCH_THRESHOLD);
        // One typo in the rarest word still finds it.
        let mut typo: Vec<char> = words[2].chars().collect();
        typo.swap(2, 3);
        let typo: String = typo.into_iter().collect();
        let message = format!("{} {typo} {}", words[0], words[1]);
        let m = best(&index, &message, None).unwrap();
        assert_eq!(m.target, i, "{message}: {}", m.explanation);
    }
}

#[test]
fn finds_the_right_target_among_100_generated_triggers() {
    finds_generated_targets(100);
}

#[test]
fn finds_the_right_target_among_10000_generated_triggers() {
    finds_generated_targets(10_000);
}

#[test]
fn typo_tolerance_is_one_edit() {
    assert!(within_one_edit("inscirption", "inscription"));
    assert!(within_one_edit("inscripton", "inscription"));
    assert!(within_one_edit("inscriptioon", "inscription"));
    assert!(within_one_edit("inscroption", "inscription"));
    assert!(!within_one_edit("inscirptoin", "inscription"));
    assert!(!within_one_edit("garderie", "gardienne"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn any_message_is_safe(text in "\\PC{0,80}") {
        let bot = commune_bot();
        for lang in [None, Some(Lang::Fr), Some(Lang::Nl)] {
            for m in bot.find(&Input::new(&text), lang, 3) {
                prop_assert!(m.score > 0.0 && m.score <= 1.0);
            }
        }
    }

    #[test]
    fn any_pattern_is_safe(pattern in "[a-zé()\\[\\]|* ']{0,30}") {
        let specs = vec![spec(0, Lang::Fr, &pattern)];
        let (index, errors) = TriggerIndex::build(&specs, &Synonyms::new());
        for (_, e) in &errors {
            prop_assert!(e.offset <= pattern.len());
        }
        let _ = index.find(&Input::new(&pattern), None, 3);
        let _ = hidden_triggers(&index);
    }
}

/// A bot whose triggers share frame words, as big bots' do: "je voudrais
/// ... pour NAME", "comment obtenir NAME", "horaires ... NAME".
fn shared_words_bot() -> TriggerIndex {
    let names = [
        "bafadi", "lomure", "pitasu", "revoga", "sidule", "tomafe", "vupiro", "gesoli",
    ];
    let mut specs = Vec::new();
    for (i, name) in names.iter().enumerate() {
        specs.push(spec(
            i,
            Lang::Fr,
            &format!("je voudrais (un|une) * pour {name}"),
        ));
        specs.push(spec(
            i,
            Lang::Fr,
            &format!("comment (obtenir|demander) {name} *"),
        ));
        specs.push(spec(i, Lang::Fr, &format!("(horaires|adresse) * {name}")));
    }
    specs.push(spec(names.len(), Lang::Fr, "horaires"));
    specs.push(spec(names.len() + 1, Lang::Fr, "je voudrais"));
    TriggerIndex::build(&specs, &Synonyms::new()).0
}

fn targets_and_scores(found: &[Match]) -> Vec<(usize, String)> {
    found
        .iter()
        .map(|m| (m.target, format!("{:.4}", m.score)))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Skipping the triggers that share only common words with a message
    /// loses nothing: above the floor, the answer is the one a full search gives.
    #[test]
    fn a_floor_skips_only_what_cannot_reach_it(
        words in proptest::collection::vec(
            prop_oneof![
                Just("je"), Just("voudrais"), Just("une"), Just("pour"), Just("comment"),
                Just("obtenir"), Just("horaires"), Just("adresse"), Just("copie"),
                Just("bafadi"), Just("lomure"), Just("sidule"), Just("gesolli"), Just("zut"),
            ],
            0..8,
        ),
        floor in prop_oneof![Just(SUGGEST_THRESHOLD), Just(MATCH_THRESHOLD), Just(0.6f32)],
    ) {
        let bot = shared_words_bot();
        let input = Input::new(&words.join(" "));
        let full: Vec<Match> = bot
            .find_above(&input, Some(Lang::Fr), 50, 0.0, Explain::Yes)
            .into_iter()
            .filter(|m| m.score >= floor)
            .collect();
        // Unexplained, as a host runs it: the same matches, scored the same.
        let pruned = bot.find_above(&input, Some(Lang::Fr), 50, floor, Explain::No);
        prop_assert_eq!(targets_and_scores(&pruned), targets_and_scores(&full));
    }
}

#[test]
fn a_message_with_only_common_words_reaches_the_trigger_made_of_them() {
    let bot = shared_words_bot();
    let m = best(&bot, "horaires", Some(Lang::Fr)).expect("a match");
    assert_eq!(m.target, 8, "{}", m.explanation);
    let m = best(&bot, "je voudrais une copie pour lomure", Some(Lang::Fr)).expect("a match");
    assert_eq!(m.target, 1, "{}", m.explanation);
    let found = bot.find_match_or_suggestions(
        &Input::new("je voudrais une copie pour zut"),
        Some(Lang::Fr),
        5,
        Explain::No,
    );
    assert!(found
        .first()
        .is_some_and(|m| m.target == 9 || m.score < MATCH_THRESHOLD));
}

#[test]
fn only_an_explained_search_says_how_words_met() {
    let bot = shared_words_bot();
    let input = Input::new("je voudrais une copie pour lomure");
    let explained = bot.find_above(&input, Some(Lang::Fr), 5, 0.0, Explain::Yes);
    let bare = bot.find_above(&input, Some(Lang::Fr), 5, 0.0, Explain::No);
    assert_eq!(targets_and_scores(&explained), targets_and_scores(&bare));
    assert!(explained[0].explanation.contains("lomure"));
    assert!(!explained[0].matched_words.is_empty());
    assert!(bare
        .iter()
        .all(|m| m.explanation.is_empty() && m.matched_words.is_empty()));
}

#[test]
fn words_thousands_of_triggers_share_suggest_none_of_them() {
    // 40 triggers alike but for their last word: a message with their
    // common words and an unknown last word ties with all of them.
    let specs: Vec<TriggerSpec> = (0..40)
        .map(|i| {
            let word = generated_word(i);
            spec(i, Lang::Fr, &format!("je voudrais (un|une) * pour {word}"))
        })
        .collect();
    let bot = TriggerIndex::build(&specs, &Synonyms::new()).0;
    let unknown = Input::new("je voudrais une attestation pour quelqu'un");
    let found = bot.find_match_or_suggestions(&unknown, Some(Lang::Fr), 5, Explain::Yes);
    assert!(found.is_empty(), "{:?}", targets_and_scores(&found));
    // The word that tells them apart still starts its trigger.
    let known = Input::new(&format!(
        "je voudrais une attestation pour {}",
        generated_word(17)
    ));
    let found = bot.find_match_or_suggestions(&known, Some(Lang::Fr), 5, Explain::Yes);
    assert_eq!(found.first().map(|m| m.target), Some(17));
    // In a small bot too, words without meaning are no evidence.
    let small = TriggerIndex::build(&specs[..3], &Synonyms::new()).0;
    let found = small.find_match_or_suggestions(&unknown, Some(Lang::Fr), 5, Explain::Yes);
    assert!(found.is_empty(), "{:?}", targets_and_scores(&found));
}

#[test]
fn small_words_are_no_evidence() {
    let specs = vec![
        spec(0, Lang::Fr, "le menu *"),
        spec(0, Lang::Fr, "menu [de la] cantine"),
        spec(1, Lang::Fr, "à bientôt"),
        spec(2, Lang::Fr, "je ne veux plus"),
        spec(3, Lang::En, "i changed my mind"),
    ];
    let bot = TriggerIndex::build(&specs, &Synonyms::new()).0;
    for message in [
        "le 25/12",
        "Et à Noël ?",
        "je veux jeter un vieux frigo",
        "I want to throw my old fridge away",
    ] {
        let found = bot.find_match_or_suggestions(&Input::new(message), None, 5, Explain::Yes);
        assert!(
            found.is_empty(),
            "{message}: {:?}",
            targets_and_scores(&found)
        );
    }
    // A word that carries meaning is still worth a suggestion.
    let found = bot.find_match_or_suggestions(&Input::new("la cantine"), None, 5, Explain::Yes);
    assert_eq!(found.first().map(|m| m.target), Some(0));
}

#[test]
fn a_word_that_names_its_target_starts_it() {
    let specs = vec![
        spec(0, Lang::Fr, "inscription [en] crèche"),
        spec(0, Lang::Fr, "place en crèche"),
        spec(1, Lang::Fr, "carte de riverain"),
        spec(2, Lang::Fr, "que (sais-tu|savez-vous) faire"),
        spec(3, Lang::En, "where is my request"),
        spec(3, Lang::En, "status of my (request|application)"),
        spec(3, Lang::En, "track my (request|application)"),
        spec(4, Lang::En, "where is the town hall"),
    ];
    let bot = TriggerIndex::build(&specs, &Synonyms::new()).0;
    let best = |m: &str| {
        bot.find_match_or_suggestions(&Input::new(m), None, 5, Explain::Yes)
            .into_iter()
            .next()
    };
    // The service's own word, alone or with small words, starts it.
    for message in ["crèche", "creche ?", "une crèche"] {
        let m = best(message).expect(message);
        assert_eq!(m.target, 0, "{message}");
        assert!(m.score >= MATCH_THRESHOLD, "{message}: {}", m.explanation);
        assert!(m.explanation.contains("named"), "{}", m.explanation);
    }
    // "where" is in another phrasing of the same service.
    let m = best("where is my application?").expect("a match");
    assert_eq!(m.target, 3);
    assert!(m.score >= MATCH_THRESHOLD, "{}", m.explanation);
    // A word of a single phrasing is not what its target is about, and a
    // word of the message that the target does not know is not its.
    assert!(best("je sais pas").is_none_or(|m| m.score < MATCH_THRESHOLD));
    assert!(best("crèche privée").is_none_or(|m| m.score < MATCH_THRESHOLD));
    assert!(best("where is my bicycle application").is_none_or(|m| m.score < MATCH_THRESHOLD));
}

#[test]
fn a_built_index_serves_only_the_specs_it_was_built_from() {
    let specs = vec![
        spec(0, Lang::Fr, "inscription crèche"),
        spec(1, Lang::Fr, "carte riverain"),
    ];
    let (built, errors) = BuiltIndex::build(specs.clone(), Synonyms::new());
    assert!(errors.is_empty());
    let reused = BuiltIndex::reuse_for(Some(built), &specs, &Synonyms::new());
    assert_eq!(reused.len(), 2);
    // Other specs get their own index, whatever was built before.
    let (built, _) = BuiltIndex::build(specs.clone(), Synonyms::new());
    let other = vec![spec(0, Lang::Fr, "horaires piscine")];
    let rebuilt = BuiltIndex::reuse_for(Some(built), &other, &Synonyms::new());
    let patterns: Vec<_> = rebuilt.patterns().collect();
    assert_eq!(patterns, [(0, Lang::Fr, "horaires piscine")]);
    // So do other synonyms.
    let (built, _) = BuiltIndex::build(specs.clone(), Synonyms::new());
    let mut synonyms = Synonyms::new();
    synonyms.add_group(Lang::Fr, &["crèche".to_string(), "garderie".to_string()]);
    let rebuilt = BuiltIndex::reuse_for(Some(built), &specs, &synonyms);
    let m = rebuilt.find(&Input::new("inscription garderie"), Some(Lang::Fr), 1);
    assert_eq!(m.first().map(|m| m.target), Some(0));
}

#[test]
fn vocabulary_forms_read_as_the_stemmer_reads_them() {
    let index = commune_bot();
    let mut checked = 0;
    for (slot, lang) in [(0, Lang::Fr), (1, Lang::Nl), (2, Lang::En)] {
        let lang_index = &index.langs[slot];
        for (text, form) in &lang_index.forms {
            let fresh = Word::new(text, lang);
            assert_eq!(&*form.stem, fresh.stem.as_ref(), "{lang} {text}");
            assert_eq!(form.stop, fresh.stop, "{lang} {text}");
            // The settled term is the one a lookup of the stem finds.
            assert_eq!(
                form.term,
                lang_index.term_of_stem(&fresh.stem),
                "{lang} {text}"
            );
            checked += 1;
        }
    }
    // Pattern words ("inscrire") and synonym words ("garderie") alike.
    assert!(index.langs[0].forms.contains_key("inscrire"));
    assert!(index.langs[0].forms.contains_key("garderie"));
    assert!(checked > 40, "{checked}");
}

#[test]
fn a_term_lists_each_of_its_patterns_once() {
    // The candidate search takes a lone term's list as it is.
    let index = commune_bot();
    for lang in &index.langs {
        for list in &lang.postings {
            let mut sorted = list.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len(), "{list:?}");
        }
    }
}

/// Every pattern replayed through `find_above`, as `hidden_triggers` did
/// before it skipped the ones no other target can beat.
fn hidden_by_replaying_all(index: &TriggerIndex) -> Vec<(usize, usize)> {
    let mut hidden = Vec::new();
    for p in &index.patterns {
        if p.probe.trim().is_empty() {
            continue;
        }
        let found = index.find_above(
            &Input::new(&p.probe),
            Some(p.lang),
            1,
            MATCH_THRESHOLD,
            Explain::No,
        );
        if let Some(winner) = found.first() {
            if winner.target != p.target {
                hidden.push((p.spec, winner.spec));
            }
        }
    }
    hidden
}

#[test]
fn hidden_triggers_skip_only_patterns_no_other_target_can_beat() {
    let mut specs = Vec::new();
    for i in 0..200 {
        let a = generated_word(i % 7);
        let b = generated_word(i % 13 + 7);
        let c = generated_word(i % 50 + 20);
        let pattern = match i % 4 {
            0 => format!("je voudrais (un|une) * pour {a} {c}"),
            1 => format!("comment (obtenir|demander) {b} [{c}] *"),
            2 => format!("{a} {b}"),
            _ => format!("({a}|{b}) {c}"),
        };
        specs.push(spec(i % 60, Lang::Fr, &pattern));
    }
    specs.push(spec(60, Lang::Fr, "je voudrais"));
    let (index, errors) = TriggerIndex::build(&specs, &Synonyms::new());
    assert!(errors.is_empty(), "{errors:?}");
    let hidden = hidden_triggers(&index);
    assert!(!hidden.is_empty());
    assert_eq!(hidden, hidden_by_replaying_all(&index));
    for bot in [commune_bot(), shared_words_bot()] {
        assert_eq!(hidden_triggers(&bot), hidden_by_replaying_all(&bot));
    }
}

#[test]
fn words_that_together_point_at_one_target_start_it() {
    const STATUS: usize = 10;
    const ADDRESS: usize = 11;
    const APPLY: usize = 12;
    let specs = vec![
        spec(STATUS, Lang::En, "where stands my request"),
        spec(STATUS, Lang::En, "follow up my request"),
        spec(ADDRESS, Lang::En, "where is the town hall"),
        spec(ADDRESS, Lang::En, "address of the town hall"),
        spec(APPLY, Lang::En, "request a daycare place"),
        spec(APPLY, Lang::En, "daycare place"),
    ];
    let (index, errors) = TriggerIndex::build(&specs, &Synonyms::new());
    assert!(errors.is_empty(), "{errors:?}");
    // "where" is also the address's, "request" also the daycare's: only the
    // status knows both.
    let m = assert_starts(&index, "where is my request?", Some(Lang::En), STATUS);
    assert!(m.explanation.contains("named"), "{}", m.explanation);
    // One shared word alone, or a word no target knows, is only a suggestion.
    for text in ["my request?", "where is my parcel request?"] {
        assert!(
            best(&index, text, Some(Lang::En)).is_none_or(|m| m.score < MATCH_THRESHOLD),
            "{text}"
        );
    }
}
