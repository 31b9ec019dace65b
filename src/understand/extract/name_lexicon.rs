//! Words around a person's name, per language, folded (lower case, no
//! accents). Extend here; the matching logic lives in `name.rs`.

/// Phrases that introduce a name, with how sure they make us: "ik ben" and
/// "i am" also introduce states ("i am tired").
pub const INTRODUCERS: &[(&str, f32)] = &[
    // French
    ("je m'appelle", 0.95),
    ("il s'appelle", 0.95),
    ("elle s'appelle", 0.95),
    ("mon nom est", 0.95),
    ("mon nom c'est", 0.95),
    ("mon nom de famille est", 0.95),
    ("mon prenom est", 0.95),
    ("son nom est", 0.95),
    ("nom", 0.8),
    ("moi c'est", 0.85),
    ("c'est", 0.7),
    ("je suis", 0.6),
    // Dutch
    ("mijn naam is", 0.95),
    ("ik heet", 0.95),
    ("hij heet", 0.95),
    ("zij heet", 0.95),
    ("ze heet", 0.95),
    ("mijn voornaam is", 0.95),
    ("mijn achternaam is", 0.95),
    ("naam", 0.8),
    ("ik ben", 0.6),
    // English
    ("my name is", 0.95),
    ("his name is", 0.95),
    ("her name is", 0.95),
    ("my first name is", 0.95),
    ("my surname is", 0.95),
    ("my last name is", 0.95),
    ("name", 0.8),
    ("call me", 0.85),
    ("this is", 0.7),
    ("i'm", 0.6),
    ("i am", 0.6),
];

/// Words about a child after which a capitalised word is its name ("ma
/// fille Louise"); a lower-case word there is the rest of the sentence
/// ("mon fils à la crèche").
pub const KIN: &[&str] = &[
    "ma fille",
    "mon fils",
    "notre fille",
    "notre fils",
    "mijn dochter",
    "mijn zoon",
    "onze dochter",
    "onze zoon",
    "my daughter",
    "my son",
    "our daughter",
    "our son",
];

/// Greetings and fillers around a bare answer ("Bonjour, Tom Dupont merci").
pub const FILLERS: &[&str] = &[
    "bonjour",
    "bonsoir",
    "salut",
    "coucou",
    "merci",
    "svp",
    "stp",
    "euh",
    "bon",
    "alors",
    "voila",
    "oui",
    "ok",
    "okay",
    "hallo",
    "dag",
    "goeiedag",
    "goedendag",
    "goedemorgen",
    "hoi",
    "dank",
    "bedankt",
    "aub",
    "ja",
    "eh",
    "uh",
    "um",
    "hello",
    "hi",
    "hey",
    "thanks",
    "thank",
    "you",
    "please",
    "yes",
    "well",
    "so",
];

/// Words that end a name after an introducer ("je m'appelle Tom et j'ai…").
pub const NAME_ENDERS: &[&str] = &[
    "et", "mais", "merci", "svp", "j", "je", "en", "maar", "bedankt", "aub", "ik", "and", "but",
    "thanks", "please", "i", "from", "uit", "ou", "of", "or", "qui", "die", "who",
    // "ma fille Louise née le 3 mai", "mijn zoon Tom geboren op...", "my son Tom born on..."
    "ne", "nee", "geboren", "born", "agee", "age", "aged",
];

/// Question words: "c'est quand ?", "it's where?" ask, they name no one,
/// so a name after an introducer never starts with one (words folded).
pub const QUESTION_WORDS: &[&str] = &[
    "quand", "ou", "combien", "quel", "quelle", "quels", "quelles", "qui", "quoi", "pourquoi",
    "comment", "lequel", "laquelle", "wanneer", "waar", "wie", "welke", "welk", "wat", "waarom",
    "hoe", "hoeveel", "when", "where", "who", "which", "what", "why", "how",
];

/// Particles of family names, kept as typed ("van den Broeck", "De Smet").
pub const PARTICLES: &[&str] = &[
    "van", "de", "den", "der", "del", "della", "di", "da", "du", "des", "le", "la", "von", "ter",
    "ten", "vande", "vanden", "vander", "d", "t", "zu", "dos", "das",
];

/// Words a name does not contain but sentences do: a bare answer holding
/// them is probably not a name ("je ne sais pas", "weet ik niet").
pub const SENTENCE_WORDS: &[&str] = &[
    "je", "ne", "sais", "pas", "veux", "suis", "est", "que", "quoi", "pourquoi", "comment", "non",
    "rien", "ai", "j", "il", "elle", "nous", "vous", "pour", "avec", "dans", "ik", "weet", "niet",
    "wil", "ben", "is", "wat", "waarom", "hoe", "nee", "geen", "het", "een", "voor", "met", "i",
    "don", "know", "not", "no", "what", "why", "how", "want", "the", "a", "to", "for", "with",
    "my", "mon", "ma", "mijn", "it", "do", "help", "aide", "hulp",
];
