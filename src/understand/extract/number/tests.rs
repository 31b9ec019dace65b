//! The number reader's tests.

use super::*;
use chrono::NaiveDate;
use proptest::prelude::*;

fn ctx(lang: Lang) -> Context<'static> {
    Context {
        lang,
        now: NaiveDate::from_ymd_opt(2024, 5, 3)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
        policy: Default::default(),
        order: Default::default(),
        choice: None,
    }
}

fn best(text: &str, lang: Lang) -> Option<String> {
    let e = extract(&Input::new(text), &ctx(lang));
    e.best().map(|c| match &c.value {
        Value::Number(d) => d.normalize().to_string(),
        v => format!("{v:?}"),
    })
}

#[test]
fn digits_with_either_decimal_mark() {
    assert_eq!(
        best("ça fait 12,5 kilos", Lang::Fr).as_deref(),
        Some("12.5")
    );
    assert_eq!(best("12.5", Lang::Fr).as_deref(), Some("12.5"));
    assert_eq!(best("1.234,56", Lang::Fr).as_deref(), Some("1234.56"));
    assert_eq!(best("1 234", Lang::Nl).as_deref(), Some("1234"));
    assert_eq!(best("1,234.56", Lang::En).as_deref(), Some("1234.56"));
    assert_eq!(best("it is -3 outside", Lang::En).as_deref(), Some("-3"));
    assert_eq!(best("SCP-173", Lang::En).as_deref(), Some("173"));
}

#[test]
fn french_words() {
    assert_eq!(best("septante-cinq", Lang::Fr).as_deref(), Some("75"));
    assert_eq!(best("soixante-dix-sept", Lang::Fr).as_deref(), Some("77"));
    assert_eq!(
        best("quatre-vingt-dix-neuf", Lang::Fr).as_deref(),
        Some("99")
    );
    assert_eq!(
        best("j'ai vingt et un ans", Lang::Fr).as_deref(),
        Some("21")
    );
    assert_eq!(
        best("deux cent trente-quatre", Lang::Fr).as_deref(),
        Some("234")
    );
    assert_eq!(best("un million", Lang::Fr).as_deref(), Some("1000000"));
    assert_eq!(best("deux virgule cinq", Lang::Fr).as_deref(), Some("2.5"));
    assert_eq!(best("un demi", Lang::Fr).as_deref(), Some("0.5"));
    assert_eq!(best("le troisième", Lang::Fr).as_deref(), Some("3"));
    assert_eq!(best("au moins 3", Lang::Fr).as_deref(), Some("3"));
}

#[test]
fn dutch_words() {
    assert_eq!(best("drieëntwintig", Lang::Nl).as_deref(), Some("23"));
    assert_eq!(best("honderdvijftig", Lang::Nl).as_deref(), Some("150"));
    assert_eq!(best("duizend", Lang::Nl).as_deref(), Some("1000"));
    assert_eq!(best("twee komma vijf", Lang::Nl).as_deref(), Some("2.5"));
    assert_eq!(best("een half", Lang::Nl).as_deref(), Some("0.5"));
    assert_eq!(best("de derde", Lang::Nl).as_deref(), Some("3"));
    assert_eq!(best("tweeënhalf", Lang::Nl).as_deref(), Some("2.5"));
}

#[test]
fn fractions_with_compound_denominators() {
    use Lang::*;
    for (text, lang, value) in [
        ("three twenty-firsts", En, "0.1428571428571428571428571429"),
        ("twenty twenty fifths", En, "0.8"),
        (
            "one hundred thirty-fifths",
            En,
            "2.8571428571428571428571428571",
        ),
        // With "and", thirty belongs to the numerator.
        ("one hundred and thirty fifths", En, "26"),
        ("one hundred and thirty-two fifths", En, "26.4"),
        // French hyphenates the compound denominator.
        ("cent trente cinquièmes", Fr, "26"),
        (
            "cent trente-cinquièmes",
            Fr,
            "2.8571428571428571428571428571",
        ),
        ("trois vingt-cinquièmes", Fr, "0.12"),
        // Dutch writes the unit first, so "twintig vijfde" is twenty fifths.
        ("twintig vijfde", Nl, "4"),
        ("tweeëntwintig vijfde", Nl, "4.4"),
    ] {
        assert_eq!(best(text, lang).as_deref(), Some(value), "{text}");
    }
}

#[test]
fn mixed_numbers_in_dutch_words() {
    use Lang::*;
    for (text, value) in [
        ("drie een vijfde", "3.2"),
        ("twintig drie vijfde", "20.6"),
        ("honderd driekwart", "100.75"),
        ("twee driekwart", "2.75"),
        ("honderd drie", "103"),
    ] {
        assert_eq!(best(text, Nl).as_deref(), Some(value), "{text}");
    }
    // English and French join a whole and a fraction with "and"/"et".
    assert_eq!(best("two and three quarters", En).as_deref(), Some("2.75"));
    assert_eq!(best("deux et trois quarts", Fr).as_deref(), Some("2.75"));
}

#[test]
fn ratios_and_ranks() {
    use Lang::*;
    assert_eq!(
        best("2000 over 3", En).as_deref(),
        Some("666.66666666666666666666666667")
    );
    assert_eq!(best("3 sur 10", Fr).as_deref(), Some("0.3"));
    // "1000 sur 3 ans" is a thousand over three years, no ratio.
    assert_eq!(best("1000 sur 3 ans", Fr).as_deref(), Some("1000"));
    for (text, lang) in [
        ("Book a first class seat", En),
        ("en première classe", Fr),
        ("reizen in eerste klas", Nl),
    ] {
        assert_eq!(best(text, lang), None, "{text}");
    }
    assert_eq!(best("the first of three", En).as_deref(), Some("1"));
}

#[test]
fn english_words() {
    assert_eq!(best("twenty-three", Lang::En).as_deref(), Some("23"));
    assert_eq!(
        best("one hundred and five", Lang::En).as_deref(),
        Some("105")
    );
    assert_eq!(best("two point five", Lang::En).as_deref(), Some("2.5"));
    assert_eq!(best("a dozen eggs", Lang::En).as_deref(), Some("12"));
    assert_eq!(best("three quarters", Lang::En).as_deref(), Some("0.75"));
    assert_eq!(best("the 3rd", Lang::En).as_deref(), Some("3"));
    assert_eq!(best("which one do you want", Lang::En), None);
    assert_eq!(best("1/2", Lang::En).as_deref(), Some("0.5"));
    assert_eq!(best("15/03", Lang::En), None);
}

#[test]
fn shared_word_parser() {
    let input = Input::new("douze euros");
    assert_eq!(
        parse_number_words(&input.tokens, Lang::Fr),
        Some((Decimal::from(12), 1))
    );
    let input = Input::new("vijfentwintig euro");
    assert_eq!(
        parse_number_words(&input.tokens, Lang::Nl),
        Some((Decimal::from(25), 1))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    // Without "z": "dz" is a dozen.
    fn no_number_in_text_without_vowels_or_digits(s in "[bcdfghjklmnpqrstvwx ,.!?'-]{0,60}") {
        for lang in Lang::ALL {
            prop_assert!(extract(&Input::new(&s), &ctx(lang)).candidates.is_empty());
        }
    }

    #[test]
    fn never_panics_on_fraction_phrases(s in "(minus )?((one|twenty|thirty|honderd|cent|vingt) ){0,4}(and |en |et )?((twenty|thirty|trente|twintig)[ -]?)?(fifths|firsts|cinquiemes|vijfde|kwart|driekwart|over 3|sur [0-9]{1,30})( class| klas)?") {
        for lang in Lang::ALL {
            let _ = extract(&Input::new(&s), &ctx(lang));
        }
    }

    #[test]
    fn never_panics(s in "\\PC{0,60}", digits in "[0-9.,/ ^e-]{0,80}") {
        for lang in Lang::ALL {
            let _ = extract(&Input::new(&s), &ctx(lang));
            let _ = extract(&Input::new(&digits), &ctx(lang));
        }
    }
}

// ----- numbers spelled out by each language's grammar, read back ------------

const FR_UNITS: [&str; 17] = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize",
];

/// French numerals (Grevisse, §§ 593 ff.), with Belgian septante and
/// nonante when `belgian`, or soixante-dix and quatre-vingt-dix.
fn french(n: u32, belgian: bool) -> String {
    fn below_100(n: u32, belgian: bool) -> String {
        let tens = [
            "",
            "",
            "vingt",
            "trente",
            "quarante",
            "cinquante",
            "soixante",
        ];
        match n {
            0..=16 => FR_UNITS[n as usize].to_string(),
            17..=19 => format!("dix-{}", FR_UNITS[(n - 10) as usize]),
            20..=69 => {
                let (t, u) = (n / 10, n % 10);
                match u {
                    0 => tens[t as usize].to_string(),
                    1 => format!("{} et un", tens[t as usize]),
                    _ => format!("{}-{}", tens[t as usize], FR_UNITS[u as usize]),
                }
            }
            70..=79 if belgian => match n % 10 {
                0 => "septante".to_string(),
                1 => "septante et un".to_string(),
                u => format!("septante-{}", FR_UNITS[u as usize]),
            },
            70..=79 => match n - 60 {
                11 => "soixante et onze".to_string(),
                r => format!("soixante-{}", below_100(r, belgian)),
            },
            80 => "quatre-vingts".to_string(),
            81..=89 => format!("quatre-vingt-{}", FR_UNITS[(n - 80) as usize]),
            90..=99 if belgian => match n % 10 {
                0 => "nonante".to_string(),
                1 => "nonante et un".to_string(),
                u => format!("nonante-{}", FR_UNITS[u as usize]),
            },
            _ => format!("quatre-vingt-{}", below_100(n - 80, belgian)),
        }
    }
    fn below_1000(n: u32, belgian: bool) -> String {
        let (h, r) = (n / 100, n % 100);
        let hundreds = match (h, r) {
            (0, _) => String::new(),
            (1, _) => "cent".to_string(),
            (_, 0) => format!("{} cents", FR_UNITS[h as usize]),
            _ => format!("{} cent", FR_UNITS[h as usize]),
        };
        match (hundreds.is_empty(), r) {
            (true, _) => below_100(r, belgian),
            (false, 0) => hundreds,
            (false, _) => format!("{hundreds} {}", below_100(r, belgian)),
        }
    }
    let (th, r) = (n / 1000, n % 1000);
    let thousands = match th {
        0 => String::new(),
        1 => "mille".to_string(),
        // "deux cents" and "quatre-vingts" lose their s before "mille".
        _ => {
            let count = below_1000(th, belgian);
            let count = match count.strip_suffix("cents").or(count.strip_suffix("vingts")) {
                Some(stem) if count.ends_with("cents") => format!("{stem}cent"),
                Some(stem) => format!("{stem}vingt"),
                None => count,
            };
            format!("{count} mille")
        }
    };
    match (thousands.is_empty(), r) {
        (true, _) => below_1000(r, belgian),
        (false, 0) => thousands,
        (false, _) => format!("{thousands} {}", below_1000(r, belgian)),
    }
}

/// Dutch numerals (ANS 4.3): units before tens joined by "en" ("ën" after
/// an e), hundreds and the rest in one word, "duizend" then a space.
fn dutch(n: u32) -> String {
    const UNITS: [&str; 20] = [
        "nul",
        "een",
        "twee",
        "drie",
        "vier",
        "vijf",
        "zes",
        "zeven",
        "acht",
        "negen",
        "tien",
        "elf",
        "twaalf",
        "dertien",
        "veertien",
        "vijftien",
        "zestien",
        "zeventien",
        "achttien",
        "negentien",
    ];
    const TENS: [&str; 10] = [
        "", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig",
        "negentig",
    ];
    fn below_100(n: u32) -> String {
        match n {
            0..=19 => UNITS[n as usize].to_string(),
            _ if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_string(),
            _ => {
                let unit = UNITS[(n % 10) as usize];
                let and = if unit.ends_with('e') { "ën" } else { "en" };
                format!("{unit}{and}{}", TENS[(n / 10) as usize])
            }
        }
    }
    fn below_1000(n: u32) -> String {
        let (h, r) = (n / 100, n % 100);
        let hundreds = match h {
            0 => String::new(),
            1 => "honderd".to_string(),
            _ => format!("{}honderd", UNITS[h as usize]),
        };
        match (hundreds.is_empty(), r) {
            (true, _) => below_100(r),
            (false, 0) => hundreds,
            (false, _) => format!("{hundreds}{}", below_100(r)),
        }
    }
    let (th, r) = (n / 1000, n % 1000);
    let thousands = match th {
        0 => String::new(),
        1 => "duizend".to_string(),
        _ => format!("{}duizend", below_1000(th)),
    };
    match (thousands.is_empty(), r) {
        (true, _) => below_1000(r),
        (false, 0) => thousands,
        (false, _) => format!("{thousands} {}", below_1000(r)),
    }
}

/// English numerals (Cambridge Grammar of English): hyphenated tens,
/// British "and" after the hundreds.
fn english(n: u32) -> String {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    fn below_100(n: u32) -> String {
        match n {
            0..=19 => UNITS[n as usize].to_string(),
            _ if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_string(),
            _ => format!("{}-{}", TENS[(n / 10) as usize], UNITS[(n % 10) as usize]),
        }
    }
    fn below_1000(n: u32) -> String {
        let (h, r) = (n / 100, n % 100);
        match (h, r) {
            (0, _) => below_100(r),
            (_, 0) => format!("{} hundred", UNITS[h as usize]),
            _ => format!("{} hundred and {}", UNITS[h as usize], below_100(r)),
        }
    }
    let (th, r) = (n / 1000, n % 1000);
    match (th, r) {
        (0, _) => below_1000(r),
        (_, 0) => format!("{} thousand", below_1000(th)),
        (_, 1..=99) => format!("{} thousand and {}", below_1000(th), below_100(r)),
        _ => format!("{} thousand {}", below_1000(th), below_1000(r)),
    }
}

#[test]
fn the_spellers_follow_the_grammars() {
    assert_eq!(french(71, true), "septante et un");
    assert_eq!(french(71, false), "soixante et onze");
    assert_eq!(french(97, false), "quatre-vingt-dix-sept");
    assert_eq!(french(280, false), "deux cent quatre-vingts");
    assert_eq!(french(2200, true), "deux mille deux cents");
    assert_eq!(dutch(23), "drieëntwintig");
    assert_eq!(dutch(250), "tweehonderdvijftig");
    assert_eq!(dutch(1250), "duizend tweehonderdvijftig");
    assert_eq!(english(1250), "one thousand two hundred and fifty");
}

#[test]
fn belgian_and_swiss_tens_and_dutch_compounds() {
    for (text, lang, n) in [
        ("septante-cinq", Lang::Fr, "75"),
        ("nonante-neuf euros", Lang::Fr, "99"),
        ("huitante", Lang::Fr, "80"),
        ("huitante-trois", Lang::Fr, "83"),
        ("octante", Lang::Fr, "80"),
        ("drieëntwintig", Lang::Nl, "23"),
        ("tweehonderdvijftig", Lang::Nl, "250"),
        ("anderhalf", Lang::Nl, "1.5"),
        ("deux et demi", Lang::Fr, "2.5"),
        ("one and a half", Lang::En, "1.5"),
    ] {
        assert_eq!(best(text, lang).as_deref(), Some(n), "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Every number below a million spelled out by each language's grammar
    /// (French both ways, with septante and nonante and without) reads back.
    #[test]
    fn spelled_numbers_read_back(n in 0u32..1_000_000) {
        let want = n.to_string();
        for (text, lang) in [
            (french(n, true), Lang::Fr),
            (french(n, false), Lang::Fr),
            (dutch(n), Lang::Nl),
            (english(n), Lang::En),
        ] {
            let got = best(&text, lang);
            prop_assert_eq!(got.as_deref(), Some(want.as_str()), "{}", text);
        }
    }

    /// Ordinals with each language's suffixes read back as ranks.
    #[test]
    fn ordinal_suffixes_read_back(n in 1u32..1000) {
        let en = match (n % 10, n % 100) {
            (_, 11..=13) => "th",
            (1, _) => "st",
            (2, _) => "nd",
            (3, _) => "rd",
            _ => "th",
        };
        let fr = if n == 1 { "er" } else { "e" };
        for (text, lang) in [
            (format!("le {n}{fr} étage"), Lang::Fr),
            (format!("le {n}ème"), Lang::Fr),
            (format!("de {n}de keer"), Lang::Nl),
            (format!("de {n}e keer"), Lang::Nl),
            (format!("the {n}{en} time"), Lang::En),
        ] {
            let e = extract(&Input::new(&text), &ctx(lang));
            let c = e.best();
            prop_assert!(c.is_some(), "{}", text);
            prop_assert_eq!(&c.unwrap().value, &Value::Number(n.into()), "{}", text);
        }
    }
}

/// The 1990 spelling reform hyphenates every compound numeral, "et"
/// included ("vingt-et-un", "trente-et-unième"); "mille" is often written
/// "milles" in the plural. Dutch and English have no such "and".
#[test]
fn french_numerals_hyphenated_with_et_and_plural_milles() {
    for (text, n) in [
        ("vingt-et-un", "21"),
        ("il a trente-et-un ans", "31"),
        ("soixante-et-onze euros", "71"),
        ("vingt-et-un mille onze", "21011"),
        ("deux milles euros", "2000"),
        ("trois cent milles", "300000"),
    ] {
        assert_eq!(best(text, Lang::Fr).as_deref(), Some(n), "{text}");
    }
    assert_eq!(
        best("le vingt-et-unième jour", Lang::Fr).as_deref(),
        Some("21")
    );
}
