//! The date reader's tests, part by part and language by language.

use super::*;
use chrono::Datelike;
use proptest::prelude::*;

/// A reading context said on `now` (YYYY-MM-DD) at 10:00; shared by the
/// other test files.
pub(super) fn ctx(lang: Lang, now: &str, policy: DatePolicy) -> Context<'static> {
    Context {
        lang,
        now: chrono::NaiveDateTime::parse_from_str(&format!("{now} 10:00"), "%Y-%m-%d %H:%M")
            .unwrap(),
        policy,
        order: Default::default(),
        choice: None,
    }
}

fn best(text: &str, lang: Lang, now: &str, policy: DatePolicy) -> Option<String> {
    let input = Input::new(text);
    let out = extract(&input, &ctx(lang, now, policy));
    out.best().map(|c| match &c.value {
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        other => format!("{other:?}"),
    })
}

/// Each text read with the future policy at NOW gives its date.
fn read_as_future(cases: &[(&str, Lang, &str)]) {
    for &(text, lang, date) in cases {
        assert_eq!(future(text, lang, NOW).as_deref(), Some(date), "{text}");
    }
}

fn future(text: &str, lang: Lang, now: &str) -> Option<String> {
    best(text, lang, now, DatePolicy::Future)
}

fn past(text: &str, lang: Lang, now: &str) -> Option<String> {
    best(text, lang, now, DatePolicy::Past)
}

// 2025-03-12 is a Wednesday.
const NOW: &str = "2025-03-12";

#[test]
fn french_dates() {
    use Lang::Fr;
    assert_eq!(
        future("mon fils est né le 3 mai 2024", Fr, NOW).as_deref(),
        Some("2024-05-03")
    );
    assert_eq!(future("le 1er mai", Fr, NOW).as_deref(), Some("2025-05-01"));
    assert_eq!(
        future("rendez-vous le 15/03/2025 svp", Fr, NOW).as_deref(),
        Some("2025-03-15")
    );
    assert_eq!(future("15-3-2025", Fr, NOW).as_deref(), Some("2025-03-15"));
    assert_eq!(
        future("après-demain", Fr, NOW).as_deref(),
        Some("2025-03-14")
    );
    assert_eq!(future("avant-hier", Fr, NOW).as_deref(), Some("2025-03-10"));
    assert_eq!(
        future("lundi prochain", Fr, NOW).as_deref(),
        Some("2025-03-17")
    );
    assert_eq!(
        future("ce vendredi", Fr, NOW).as_deref(),
        Some("2025-03-14")
    );
    assert_eq!(
        future("dans trois jours", Fr, NOW).as_deref(),
        Some("2025-03-15")
    );
    assert_eq!(
        future("il y a 5 jours", Fr, NOW).as_deref(),
        Some("2025-03-07")
    );
    assert_eq!(
        future("dans 2 semaines", Fr, NOW).as_deref(),
        Some("2025-03-26")
    );
    assert_eq!(
        future("lundi de Pâques 2026", Fr, NOW).as_deref(),
        Some("2026-04-06")
    );
    assert_eq!(
        future("à la Toussaint", Fr, NOW).as_deref(),
        Some("2025-11-01")
    );
    assert_eq!(
        future("mardi 4 mars 2025", Fr, NOW).as_deref(),
        Some("2025-03-04")
    );
    assert_eq!(
        future("le vingt et un juin", Fr, NOW).as_deref(),
        Some("2025-06-21")
    );
    assert_eq!(
        future("à partir de septembre", Fr, NOW).as_deref(),
        Some("2025-09-01")
    );
    assert_eq!(
        future("septembre 2025", Fr, NOW).as_deref(),
        Some("2025-09-01")
    );
}

#[test]
fn dutch_dates() {
    use Lang::Nl;
    assert_eq!(future("1 mei 2024", Nl, NOW).as_deref(), Some("2024-05-01"));
    assert_eq!(future("maart 15", Nl, NOW).as_deref(), Some("2025-03-15"));
    assert_eq!(
        future("volgende week dinsdag", Nl, NOW).as_deref(),
        Some("2025-03-18")
    );
    assert_eq!(
        future("over twee weken", Nl, NOW).as_deref(),
        Some("2025-03-26")
    );
    assert_eq!(
        future("3 dagen geleden", Nl, NOW).as_deref(),
        Some("2025-03-09")
    );
    assert_eq!(
        future("eergisteren", Nl, NOW).as_deref(),
        Some("2025-03-10")
    );
    assert_eq!(
        future("Pinkstermaandag", Nl, NOW).as_deref(),
        Some("2025-06-09")
    );
    assert_eq!(
        future("op eenentwintig mei", Nl, NOW).as_deref(),
        Some("2025-05-21")
    );
    assert_eq!(
        future("de eerste vrijdag van juli", Nl, NOW).as_deref(),
        Some("2025-07-04")
    );
}

#[test]
fn english_dates() {
    use Lang::En;
    assert_eq!(future("March 15th", En, NOW).as_deref(), Some("2025-03-15"));
    assert_eq!(
        future("the 15th of March", En, NOW).as_deref(),
        Some("2025-03-15")
    );
    assert_eq!(
        future("the day after tomorrow", En, NOW).as_deref(),
        Some("2025-03-14")
    );
    assert_eq!(
        future("next Friday", En, NOW).as_deref(),
        Some("2025-03-21")
    );
    assert_eq!(
        future("2 weeks ago", En, NOW).as_deref(),
        Some("2025-02-26")
    );
    assert_eq!(future("3/5/24", En, NOW).as_deref(), Some("2024-05-03"));
    assert_eq!(future("12/25", En, NOW).as_deref(), Some("2025-12-25"));
    assert_eq!(
        future("Easter Monday", En, NOW).as_deref(),
        Some("2025-04-21")
    );
}

fn with_order(text: &str, lang: Lang, order: DateOrder) -> Option<String> {
    let ctx = Context {
        order,
        ..ctx(lang, NOW, DatePolicy::Future)
    };
    extract(&Input::new(text), &ctx)
        .best()
        .map(|c| match &c.value {
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            other => format!("{other:?}"),
        })
}

#[test]
fn the_locale_decides_which_number_is_the_month() {
    use DateOrder::*;
    for lang in [Lang::Fr, Lang::Nl, Lang::En] {
        assert_eq!(
            with_order("3/7/2025", lang, DayFirst).as_deref(),
            Some("2025-07-03")
        );
        assert_eq!(
            with_order("3/7/2025", lang, MonthFirst).as_deref(),
            Some("2025-03-07")
        );
        assert_eq!(
            with_order("8-10-25", lang, MonthFirst).as_deref(),
            Some("2025-08-10")
        );
        assert_eq!(
            with_order("8/10", lang, MonthFirst).as_deref(),
            Some("2025-08-10")
        );
        // A number above 12 can only be the day, whatever the order.
        assert_eq!(
            with_order("25/12", lang, MonthFirst).as_deref(),
            Some("2025-12-25")
        );
        assert_eq!(
            with_order("12/25", lang, DayFirst).as_deref(),
            Some("2025-12-25")
        );
        // Year first is unambiguous.
        assert_eq!(
            with_order("2025-07-03", lang, MonthFirst).as_deref(),
            Some("2025-07-03")
        );
    }
    assert_eq!(
        with_order("Tuesday 11/3/2025", Lang::En, MonthFirst).as_deref(),
        Some("2025-11-03")
    );
}

#[test]
fn hedged_counts_and_day_of_month_phrases() {
    use Lang::*;
    read_as_future(&[
        ("il y a à peu près un mois", Fr, "2025-02-12"),
        ("dans environ 3 jours", Fr, "2025-03-15"),
        ("ongeveer twee weken geleden", Nl, "2025-02-26"),
        ("over ongeveer twee weken", Nl, "2025-03-26"),
        ("in about 3 days", En, "2025-03-15"),
        ("le troisième jour de mai", Fr, "2025-05-03"),
        ("de derde dag van mei", Nl, "2025-05-03"),
        ("the twenty third day of September", En, "2025-09-23"),
        ("le 4e jour de juillet de 1995", Fr, "1995-07-04"),
    ]);
}

#[test]
fn a_weekday_in_the_week_an_offset_lands_in() {
    use Lang::*;
    // NOW + 3 days is Saturday 15 March; that week's Friday is the 14th.
    read_as_future(&[
        ("dans 3 jours le vendredi", Fr, "2025-03-14"),
        ("jeudi dans deux semaines", Fr, "2025-03-27"),
        ("over twee weken op vrijdag", Nl, "2025-03-28"),
        ("maandag over twee weken", Nl, "2025-03-24"),
        ("in 3 days on Friday", En, "2025-03-14"),
        ("Monday two weeks from now", En, "2025-03-24"),
    ]);
}

#[test]
fn weekdays_counted_from_today() {
    use Lang::*;
    // NOW is a Wednesday; the next Sundays are the 16th and the 23rd.
    read_as_future(&[
        ("dans deux dimanches", Fr, "2025-03-23"),
        ("il y a deux vendredis", Fr, "2025-02-28"),
        ("over twee zondagen", Nl, "2025-03-23"),
        ("twee zondagen vanaf nu", Nl, "2025-03-23"),
        ("drie vrijdagen geleden", Nl, "2025-02-21"),
        ("two sundays from now", En, "2025-03-23"),
        ("in 2 Sundays", En, "2025-03-23"),
        ("two wednesdays later", En, "2025-03-26"),
    ]);
    // A count and a weekday alone are no date offset.
    assert_eq!(future("two sundays", En, NOW), None);
}

#[test]
fn days_named_like_holidays() {
    use Lang::*;
    read_as_future(&[
        ("la fête des mères", Fr, "2025-05-11"),
        ("op moederdag", Nl, "2025-05-11"),
        ("on Mother's Day", En, "2025-05-11"),
        // Belgium's Father's Day is the second Sunday of June.
        ("pour la fête des pères 2026", Fr, "2026-06-14"),
        ("vaderdag", Nl, "2025-06-08"),
        ("on father's day", En, "2025-06-08"),
        ("le jour de Thanksgiving 2010", Fr, "2010-11-25"),
        ("op Thanksgiving", Nl, "2025-11-27"),
        ("on thanks giving day", En, "2025-11-27"),
        ("black friday 2010", En, "2010-11-26"),
        ("na Halloween", Nl, "2025-10-31"),
        ("la Saint-Valentin", Fr, "2026-02-14"),
        ("International Workers' Day", En, "2025-05-01"),
    ]);
    // US English names the US days.
    for (text, date) in [
        ("on father's day", "2025-06-15"),
        ("Labor Day", "2025-09-01"),
        ("independence day", "2025-07-04"),
    ] {
        assert_eq!(
            with_order(text, En, DateOrder::MonthFirst).as_deref(),
            Some(date),
            "{text}"
        );
    }
    assert_eq!(
        with_order("Labor Day", En, DateOrder::DayFirst).as_deref(),
        Some("2025-05-01")
    );
    assert_eq!(
        with_order("independence day", En, DateOrder::DayFirst),
        None
    );
}

#[test]
fn a_date_said_with_this_is_this_years() {
    use Lang::*;
    // NOW is 12 March 2025: "10/3" alone is next year's, "this 10/3" this year's.
    read_as_future(&[
        ("10/3", Fr, "2026-03-10"),
        ("c'était pour ce 10/3", Fr, "2025-03-10"),
        ("deze 10/3", Nl, "2025-03-10"),
        ("deze maandag 10/3 al gedaan", Nl, "2025-03-10"),
        ("this Monday (Mar 10)", En, "2025-03-10"),
        ("this Monday-Mar-10", En, "2025-03-10"),
    ]);
}

#[test]
fn dutch_days_generic_names_and_years_after_a_connector() {
    use Lang::*;
    read_as_future(&[
        // A Belgian's "Koningsdag" is the King's Feast; the Dutch one is named as such.
        ("op koningsdag", Nl, "2025-11-15"),
        ("de vorige koningsdag", Nl, "2024-11-15"),
        ("op de nederlandse koningsdag", Nl, "2025-04-27"),
        ("Bevrijdingsdag", Nl, "2025-05-05"),
        ("on Yuandan", En, "2026-01-01"),
        ("à l'Action de grâce", Fr, "2025-11-27"),
        ("Pâques de l'année prochaine", Fr, "2026-04-05"),
        ("Easter of next year", En, "2026-04-05"),
        ("pour la fête nationale", Fr, "2025-07-21"),
        ("nationale feestdag", Nl, "2025-07-21"),
        // A day's own name, or a date said, wins over "the national holiday".
        ("MLK day is an American national day", En, "2026-01-19"),
        ("on the national day, 4 July", En, "2025-07-04"),
    ]);
}

#[test]
fn amounts_brackets_and_short_years_after_a_comma() {
    use Lang::*;
    read_as_future(&[
        ("paid $12 March 20", En, "2025-03-20"),
        ("payé €12 mars 20", Fr, "2025-03-20"),
        ("(Sept) 4, 2014", En, "2014-09-04"),
        ("le 4 (avril) 2026", Fr, "2026-04-04"),
        ("[mei] 4, 2026", Nl, "2026-05-04"),
        ("Aug 9, 96", En, "1996-08-09"),
        ("born on May 3, 89.", En, "1989-05-03"),
        // A number after the comma that goes on is no year.
        ("March 20, 14 people", En, "2025-03-20"),
    ]);
}

#[test]
fn last_days_and_weeks_of_a_month() {
    use Lang::*;
    read_as_future(&[
        ("le dernier vendredi de mars", Fr, "2025-03-28"),
        ("avant le dernier jour du mois", Fr, "2025-03-31"),
        ("le dernier jour du mois prochain", Fr, "2025-04-30"),
        ("de laatste zaterdag van juni", Nl, "2025-06-28"),
        ("op de laatste zaterdag in juni", Nl, "2025-06-28"),
        ("tegen de laatste dag van februari", Nl, "2026-02-28"),
        ("the last day of the month", En, "2025-03-31"),
        ("the last Monday of May 2026", En, "2026-05-25"),
        // Without a month, "last Friday" is still last week's.
        ("last Friday", En, "2025-03-07"),
        // 1 April 2025 is a Tuesday: the week of the 1st, but in April.
        ("the first week of April on Friday", En, "2025-04-04"),
        ("1st week of Apr. on Monday", En, "2025-04-07"),
        ("de tweede week van mei op maandag", Nl, "2025-05-05"),
        ("la première semaine de juin le mardi", Fr, "2025-06-03"),
    ]);
}

#[test]
fn counts_added_to_dates_and_years() {
    use Lang::*;
    read_as_future(&[
        ("tomorrow +3 days", En, "2025-03-16"),
        ("2025-04-01 -10 days", En, "2025-03-22"),
        ("2025-04-01 -10days", En, "2025-03-22"),
        ("demain +2 jours", Fr, "2025-03-15"),
        ("two years after 2011", En, "2013-01-01"),
        ("two weeks since the year 2011", En, "2011-01-15"),
        ("deux semaines après l'année 2011", Fr, "2011-01-15"),
        ("twee jaar na 2011", Nl, "2013-01-01"),
        // A count alone as the whole answer: from now.
        ("2 weeks", En, "2025-03-26"),
        ("3 jours", Fr, "2025-03-15"),
        ("een maand", Nl, "2025-04-12"),
    ]);
    // A count inside a sentence is a duration, not a date.
    assert_eq!(future("j'ai pris 3 jours de congé", Fr, NOW), None);
    assert_eq!(future("I stayed 2 weeks", En, NOW), None);
    // A dash inside a number run is no minus.
    assert_eq!(future("0470-12 jours", Fr, NOW), None);
}

#[test]
fn vague_names_of_today_and_yesterday() {
    use Lang::*;
    read_as_future(&[
        ("What does my day look like?", En, "2025-03-12"),
        ("I'm off for the day", En, "2025-03-12"),
        ("hoe ziet mijn dag eruit", Nl, "2025-03-12"),
        ("de afgelopen dag", Nl, "2025-03-11"),
        ("over the past day", En, "2025-03-11"),
        ("payments till date", En, "2025-03-12"),
        // Anything more precise wins.
        ("the day after", En, "2025-03-13"),
        ("the day I moved, 3 May", En, "2025-05-03"),
        ("the last day of May", En, "2025-05-31"),
        ("de dag erna", Nl, "2025-03-13"),
    ]);
}

#[test]
fn policy_decides_ambiguous_dates() {
    assert_eq!(
        future("vendredi", Lang::Fr, NOW).as_deref(),
        Some("2025-03-14")
    );
    assert_eq!(
        past("vendredi", Lang::Fr, NOW).as_deref(),
        Some("2025-03-07")
    );
    assert_eq!(
        future("mercredi", Lang::Fr, NOW).as_deref(),
        Some("2025-03-12")
    );
    assert_eq!(
        future("22/04", Lang::Fr, NOW).as_deref(),
        Some("2025-04-22")
    );
    assert_eq!(past("22/04", Lang::Fr, NOW).as_deref(), Some("2024-04-22"));
    assert_eq!(past("Noël", Lang::Fr, NOW).as_deref(), Some("2024-12-25"));
}

#[test]
fn impossible_dates_are_rejected() {
    let c = ctx(Lang::Fr, NOW, DatePolicy::Future);
    let out = extract(&Input::new("le 31 février"), &c);
    assert!(out.candidates.is_empty());
    assert_eq!(out.rejected[0].reason, Reason::NoSuchDate);
    let out = extract(&Input::new("30/02"), &c);
    assert_eq!(out.rejected[0].reason, Reason::NoSuchDate);
    let out = extract(&Input::new("15/13/2025"), &c);
    assert_eq!(out.rejected[0].reason, Reason::OutOfRange);
}

#[test]
fn numbers_that_are_not_dates() {
    assert_eq!(future("1150", Lang::Fr, NOW), None);
    assert_eq!(future("0470 12 34 56", Lang::Fr, NOW), None);
    assert_eq!(future("j'ai 3 enfants", Lang::Fr, NOW), None);
}

#[test]
fn spans_are_in_the_original_text() {
    let input = Input::new("Je viens le 1er Août, merci");
    let out = extract(&input, &ctx(Lang::Fr, NOW, DatePolicy::Future));
    let c = out.best().unwrap();
    assert_eq!(&input.original[c.span.clone()], "1er Août");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn never_panics(s in "\\PC{0,80}") {
        let input = Input::new(&s);
        let _ = extract(&input, &ctx(Lang::Fr, NOW, DatePolicy::Future));
        let _ = extract(&input, &ctx(Lang::Nl, "9999-12-31", DatePolicy::Past));
    }

    #[test]
    fn the_order_only_swaps_day_and_month(d in 1u32..=28, m in 1u32..=12, y in 1990i32..2090) {
        let expected = NaiveDate::from_ymd_opt(y, m, d).map(|x| x.format("%Y-%m-%d").to_string());
        for lang in [Lang::Fr, Lang::Nl, Lang::En] {
            prop_assert_eq!(with_order(&format!("{d}/{m}/{y}"), lang, DateOrder::DayFirst), expected.clone());
            prop_assert_eq!(with_order(&format!("{m}/{d}/{y}"), lang, DateOrder::MonthFirst), expected.clone());
        }
    }

    #[test]
    // Without d, m, n, r, s, t: "tmr" is tomorrow.
    fn no_date_in_text_without_vowels_or_digits(s in "[bcfghjklpqvwxz ,.!?'-]{0,60}") {
        for lang in [Lang::Fr, Lang::Nl, Lang::En] {
            for order in [DateOrder::DayFirst, DateOrder::MonthFirst] {
                let ctx = Context { order, ..ctx(lang, NOW, DatePolicy::Future) };
                prop_assert!(extract(&Input::new(&s), &ctx).candidates.is_empty());
            }
        }
    }

    #[test]
    fn never_panics_on_counted_and_named_days(s in "((in |over |dans |il y a )?(about |ongeveer )?[0-9]{1,7} (sundays|zondagen|dimanches|days|weken)( from now| later| geleden| on friday| op vrijdag)?)|((monday |maandag )?(in |over )?[0-9]{1,9} (weeks|jaar|years)( from now)?)|((thanksgiving|vaderdag|father s day|black friday|the [0-9]{1,3}th day of may) [0-9]{0,5})") {
        let input = Input::new(&s);
        for order in [DateOrder::DayFirst, DateOrder::MonthFirst] {
            for (now, policy) in [("1583-01-01", DatePolicy::Past), ("9999-12-31", DatePolicy::Future), (NOW, DatePolicy::Future)] {
                let ctx = Context { order, ..ctx(Lang::En, now, policy) };
                let _ = extract(&input, &ctx);
            }
        }
    }

    #[test]
    fn never_panics_on_date_like_text(s in "[0-9/ .-]{0,20}|(le |de |the )?[0-9]{1,9} (mars|mei|dagen|days ago|jours)") {
        let input = Input::new(&s);
        let _ = extract(&input, &ctx(Lang::En, "1583-01-01", DatePolicy::Past));
        let _ = extract(&input, &ctx(Lang::En, "9999-12-31", DatePolicy::Future));
    }
}

// ----- parts added for the compositional reader ---------------------------

#[test]
fn a_year_said_relative_to_this_one() {
    use Lang::*;
    for (text, lang, date) in [
        ("le 3 mars de l'année dernière", Fr, "2024-03-03"),
        ("né le 3 mars l'an dernier", Fr, "2024-03-03"),
        ("le 24 décembre de l'an prochain", Fr, "2026-12-24"),
        ("3 maart vorig jaar", Nl, "2024-03-03"),
        ("5 mei volgend jaar", Nl, "2026-05-05"),
        ("3 maart van verleden jaar", Nl, "2024-03-03"),
        ("the 3rd of March last year", En, "2024-03-03"),
        ("December 24 next year", En, "2026-12-24"),
        ("15/8 of next year", En, "2026-08-15"),
    ] {
        // The year said wins over either policy.
        assert_eq!(future(text, lang, NOW).as_deref(), Some(date), "{text}");
        assert_eq!(past(text, lang, NOW).as_deref(), Some(date), "{text}");
    }
}

#[test]
fn what_is_due_or_expected_lies_ahead_under_either_policy() {
    use Lang::*;
    for (text, lang, date) in [
        ("due date is the 12th of August", En, "2025-08-12"),
        ("the baby is expected on 2 February", En, "2026-02-02"),
        ("l'accouchement est prévu le 12 août", Fr, "2025-08-12"),
        ("terme prévu le 2 février", Fr, "2026-02-02"),
        ("de uitgerekende datum is 12 augustus", Nl, "2025-08-12"),
        (
            "de bevalling wordt verwacht op 2 februari",
            Nl,
            "2026-02-02",
        ),
    ] {
        assert_eq!(past(text, lang, NOW).as_deref(), Some(date), "{text}");
        assert_eq!(future(text, lang, NOW).as_deref(), Some(date), "{text}");
    }
    // Without such a word a birth date stays in the past.
    assert_eq!(
        past("né le 12 août", Fr, NOW).as_deref(),
        Some("2024-08-12")
    );
}

#[test]
fn a_day_counted_from_a_named_day_or_a_date() {
    use Lang::*;
    read_as_future(&[
        ("la veille de Noël", Fr, "2025-12-24"),
        ("le lendemain de la Toussaint", Fr, "2025-11-02"),
        ("le surlendemain de Noël", Fr, "2025-12-27"),
        ("la veille du 1er mai", Fr, "2025-04-30"),
        ("trois jours après le lundi de Pâques", Fr, "2025-04-24"),
        ("de dag na Pasen", Nl, "2025-04-21"),
        ("de dag voor Kerstmis", Nl, "2025-12-24"),
        ("twee dagen voor Allerheiligen", Nl, "2025-10-30"),
        ("the day before Christmas", En, "2025-12-24"),
        ("the day after New Year's Day", En, "2026-01-02"),
        ("three days after Easter Monday", En, "2025-04-24"),
        ("the eve of All Saints", En, "2025-10-31"),
        // Without an anchor, from today.
        ("le lendemain", Fr, "2025-03-13"),
        ("le surlendemain", Fr, "2025-03-14"),
        ("the day after", En, "2025-03-13"),
    ]);
}

#[test]
fn weekdays_a_week_or_two_after_the_coming_one() {
    use Lang::*;
    // NOW is Wednesday 12 March.
    read_as_future(&[
        ("jeudi en huit", Fr, "2025-03-20"),
        ("jeudi en quinze", Fr, "2025-03-27"),
        // Said on a Wednesday, "mercredi en huit" is a week from today.
        ("mercredi en huit", Fr, "2025-03-19"),
        ("Friday week", En, "2025-03-21"),
        ("donderdag over een week", Nl, "2025-03-20"),
        ("vrijdag jongstleden", Nl, "2025-03-07"),
        ("zaterdag aanstaande", Nl, "2025-03-15"),
        ("dans quinze jours", Fr, "2025-03-26"),
        ("dans une quinzaine de jours", Fr, "2025-03-26"),
        ("over acht dagen", Nl, "2025-03-19"),
        ("binnen twee weken", Nl, "2025-03-26"),
        ("d'ici trois semaines", Fr, "2025-04-02"),
        ("in three weeks' time", En, "2025-04-02"),
    ]);
}

fn offered(text: &str, lang: Lang, now: &str, policy: DatePolicy) -> Vec<String> {
    let out = extract(&Input::new(text), &ctx(lang, now, policy));
    out.readings_to_offer()
        .iter()
        .map(|c| match &c.value {
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            other => format!("{other:?}"),
        })
        .collect()
}

#[test]
fn truly_ambiguous_readings_come_with_their_alternatives() {
    use DatePolicy::*;
    use Lang::*;
    // NOW is a Wednesday: "mercredi" is today or next week.
    assert_eq!(
        offered("mercredi", Fr, NOW, Future),
        ["2025-03-12", "2025-03-19"]
    );
    assert_eq!(
        offered("woensdag", Nl, NOW, Past),
        ["2025-03-12", "2025-03-05"]
    );
    // Said on Tuesday 11 March, "mercredi prochain" is tomorrow or the 19th.
    assert_eq!(
        offered("mercredi prochain", Fr, "2025-03-11", Future),
        ["2025-03-19", "2025-03-12"]
    );
    assert_eq!(
        offered("next Friday", En, "2025-03-11", Future),
        ["2025-03-21", "2025-03-14"]
    );
    // Said on the 29th, "le 27" is a month ahead or two days ago.
    assert_eq!(
        offered("le 27", Fr, "2025-03-29", Future),
        ["2025-04-27", "2025-03-27"]
    );
    // Clear readings offer only themselves.
    for (text, now) in [
        ("jeudi", NOW),
        ("mercredi prochain", "2025-03-13"),
        ("le 27", "2025-03-12"),
        ("le 3 mai 2026", NOW),
        ("demain", NOW),
    ] {
        let out = extract(&Input::new(text), &ctx(Fr, now, Future));
        assert!(!out.is_ambiguous(), "{text}: {:?}", out.ambiguous);
        assert_eq!(out.readings_to_offer().len(), 1, "{text}");
    }
}

#[test]
fn numbers_that_belong_to_something_else_are_left_alone() {
    use Lang::*;
    read_as_future(&[
        (
            "ma référence est CR-2025-0042, je passe le 18 mars",
            Fr,
            "2025-03-18",
        ),
        ("RDV à 14h le 20 mars", Fr, "2025-03-20"),
        ("le loyer de 850 euros est dû le 5 avril", Fr, "2025-04-05"),
        ("om 14u op 20 maart", Nl, "2025-03-20"),
        (
            "le 20 mars au 24 rue de la Station, 1330 Rixensart",
            Fr,
            "2025-03-20",
        ),
        (
            "dossier 2025/1234 wordt behandeld op 12 november",
            Nl,
            "2025-11-12",
        ),
        ("at 9:30 on November 6", En, "2025-11-06"),
    ]);
    for text in [
        "ma référence est CR-2025-0042",
        "ça coûte 14,50 €",
        "plaque 1-ABC-234",
        "code postal 1330",
        "rendez-vous à 14h30",
    ] {
        assert_eq!(future(text, Fr, NOW), None, "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A date written out by the bot's own formatter, with or without its
    /// weekday, its month abbreviated with or without a dot, reads back.
    #[test]
    fn formatted_dates_read_back(days in 0i64..40_000, style in 0u8..4) {
        use crate::values::format::{format_date, format_date_long, weekday_name};
        let d = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(days);
        for lang in [Lang::Fr, Lang::Nl, Lang::En] {
            let text = match style {
                0 => format_date(d, lang),
                1 => format_date_long(d, lang),
                _ => {
                    // The abbreviations each language's style guides give.
                    let abbr: [&str; 12] = match lang {
                        Lang::Fr => ["janv", "févr", "mars", "avr", "mai", "juin", "juil", "août", "sept", "oct", "nov", "déc"],
                        Lang::Nl => ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
                        Lang::En => ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"],
                    };
                    let month = abbr[d.month0() as usize];
                    let dot = if style == 2 { "." } else { "" };
                    format!("{} {} {month}{dot} {}", weekday_name(d, lang), d.day(), d.year())
                }
            };
            let expected = d.format("%Y-%m-%d").to_string();
            prop_assert_eq!(future(&text, lang, NOW), Some(expected.clone()), "{}", text);
            prop_assert_eq!(past(&text, lang, NOW), Some(expected), "{}", text);
        }
    }

    /// "in N days" and "N days ago" land N days away, in every language.
    #[test]
    fn counted_days_read_back(n in 1i64..400) {
        let today = NaiveDate::from_ymd_opt(2025, 3, 12).unwrap();
        let ahead = (today + chrono::Duration::days(n)).format("%Y-%m-%d").to_string();
        let back = (today - chrono::Duration::days(n)).format("%Y-%m-%d").to_string();
        for (text, lang, want) in [
            (format!("dans {n} jours"), Lang::Fr, &ahead),
            (format!("il y a {n} jours"), Lang::Fr, &back),
            (format!("over {n} dagen"), Lang::Nl, &ahead),
            (format!("{n} dagen geleden"), Lang::Nl, &back),
            (format!("in {n} days"), Lang::En, &ahead),
            (format!("{n} days ago"), Lang::En, &back),
        ] {
            let got = future(&text, lang, NOW);
            prop_assert_eq!(got.as_ref(), Some(want), "{}", text);
        }
    }

    #[test]
    fn never_panics_on_anchors_and_modifiers(s in "((la veille|le lendemain|de dag na|the day before) (de |du |of |van )?(la |the )?)?(noel|paques|christmas|pasen|[0-9]{1,9} (mai|mei|may)|mercredi|friday)( en huit| en quinze| week| prochain| jl| jongstleden)?( de l annee derniere| vorig jaar| last year| next year)?") {
        let input = Input::new(&s);
        for (now, policy) in [("1583-01-01", DatePolicy::Past), ("9999-12-31", DatePolicy::Future), (NOW, DatePolicy::Past)] {
            for lang in [Lang::Fr, Lang::Nl, Lang::En] {
                let out = extract(&input, &ctx(lang, now, policy));
                prop_assert!(crate::fuzz_checks::check_extraction(&crate::values::SlotType::Date, &s, &out).is_ok());
            }
        }
    }
}

#[test]
fn more_weekday_modifiers_and_lone_abbreviations() {
    use Lang::*;
    // Said on Tuesday 11 March 2025.
    let tue = "2025-03-11";
    for (text, lang, date) in [
        ("ce lundi", Fr, "2025-03-17"),
        ("this Monday", En, "2025-03-17"),
        ("ce jeudi", Fr, "2025-03-13"),
        ("lundi en 8", Fr, "2025-03-24"),
        ("mardi en 15", Fr, "2025-03-25"),
        ("mardi suivant", Fr, "2025-03-18"),
        ("mercredi d'après", Fr, "2025-03-19"),
        ("mardi de la semaine d'après", Fr, "2025-03-18"),
        // "Friday after next": a week after "next Friday", next week's (the
        // 14th is offered too: see tests_counted).
        ("Friday after next", En, "2025-03-28"),
        ("Sunday from last week", En, "2025-03-09"),
        ("last week's Sunday", En, "2025-03-09"),
        ("lun.", Fr, "2025-03-17"),
        ("za.", Nl, "2025-03-15"),
        ("woe.", Nl, "2025-03-12"),
        ("Thu", En, "2025-03-13"),
    ] {
        assert_eq!(future(text, lang, tue).as_deref(), Some(date), "{text}");
    }
    // Looking back, "this Monday" is this week's.
    assert_eq!(past("ce lundi", Fr, tue).as_deref(), Some("2025-03-10"));
    // Inside a sentence a short form stays a word ("ma" is mum, "do" a verb).
    assert_eq!(future("ik ga met ma naar de markt", Nl, tue), None);
    assert_eq!(future("I do", En, tue), None);
}

#[test]
fn a_weekday_with_a_date_near_today_picks_the_year() {
    use Lang::*;
    // 10 February 2013 was a Sunday, two days before 12 February 2013.
    assert_eq!(
        future("Sunday, Feb 10", En, "2013-02-12").as_deref(),
        Some("2013-02-10")
    );
    assert_eq!(
        offered("zondag 10 februari", Nl, "2013-02-12", DatePolicy::Future),
        ["2013-02-10", "2014-02-10"]
    );
    // Far from today the policy decides, as for a date without a weekday.
    assert_eq!(
        future("Je reviendrai mardi 22 janvier", Fr, "2016-11-07").as_deref(),
        Some("2017-01-22")
    );
}

#[test]
fn days_of_a_month_said_without_an_article_and_counts_without_an_anchor() {
    use Lang::*;
    let tue = "2025-03-11";
    for (text, lang, date) in [
        ("20 of next month", En, "2025-04-20"),
        ("20 of this month", En, "2025-03-20"),
        ("derde dag in oktober", Nl, "2025-10-03"),
        ("third day of October", En, "2025-10-03"),
        ("le 17 04", Fr, "2025-04-17"),
        ("17 04", Fr, "2025-04-17"),
        ("deux jours après", Fr, "2025-03-13"),
        ("three weeks hence", En, "2025-04-01"),
        ("le jour d'après", Fr, "2025-03-12"),
        ("le jour précédent", Fr, "2025-03-10"),
    ] {
        assert_eq!(future(text, lang, tue).as_deref(), Some(date), "{text}");
    }
    // Two numbers apart inside a sentence are no date.
    assert_eq!(future("j'ai 17 04 choses", Fr, tue), None);
}

#[test]
fn movable_feasts_and_saint_nicholas() {
    use Lang::*;
    // Easter 2025 is 20 April.
    read_as_future(&[
        ("le mercredi des Cendres 2026", Fr, "2026-02-18"),
        ("mardi gras", Fr, "2026-02-17"),
        ("Palmzondag", Nl, "2025-04-13"),
        ("Maundy Thursday", En, "2025-04-17"),
        ("la Saint-Nicolas", Fr, "2025-12-06"),
        ("Sinterklaas", Nl, "2025-12-06"),
        ("pakjesavond", Nl, "2025-12-05"),
        ("trinity sunday", En, "2025-06-15"),
    ]);
}
