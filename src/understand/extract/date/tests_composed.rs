//! Tests of the parts that compose with an anchor: weekdays counted from a
//! date or a feast, feasts shifted by years, the nth last day of a month,
//! years in words, a weekday that picks a year, typos, spans from now, and
//! the feasts of other calendars. Sentences from grammars and usage, read
//! on Wednesday 14 May 2025 unless said.

use super::*;

const NOW: &str = "2025-05-14";

fn read(text: &str, lang: Lang, now: &str, policy: DatePolicy) -> Option<String> {
    let input = Input::new(text);
    let ctx = super::tests::ctx(lang, now, policy);
    extract(&input, &ctx).best().map(|c| match &c.value {
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        other => format!("{other:?}"),
    })
}

fn all_read(cases: &[(&str, Lang, &str)]) {
    for &(text, lang, date) in cases {
        assert_eq!(
            read(text, lang, NOW, DatePolicy::Future).as_deref(),
            Some(date),
            "{text}"
        );
    }
}

#[test]
fn a_weekday_counted_from_a_date_or_a_feast() {
    use Lang::*;
    all_read(&[
        // Whit Sunday 2025 is 8 June; Ascension Thursday 29 May.
        ("le premier lundi après la Pentecôte", Fr, "2025-06-09"),
        ("le deuxième dimanche après l'Ascension", Fr, "2025-06-08"),
        ("le vendredi avant le 1er juin", Fr, "2025-05-30"),
        ("de eerste maandag na Pinksteren", Nl, "2025-06-09"),
        ("de zaterdag voor 21 juli", Nl, "2025-07-19"),
        ("de tweede dinsdag na 15 augustus", Nl, "2025-08-26"),
        ("the first Monday after Whit Sunday", En, "2025-06-09"),
        ("the Friday before the 1st of June", En, "2025-05-30"),
        ("the second Thursday after 4 July 2026", En, "2026-07-16"),
        // 21 July 2025 is a Monday.
        ("le mardi le plus proche du 21 juillet", Fr, "2025-07-22"),
        ("de vrijdag het dichtst bij 21 juli", Nl, "2025-07-18"),
        ("the Sunday nearest to 21 July", En, "2025-07-20"),
        ("the closest Sat to July 21st", En, "2025-07-19"),
    ]);
    // Looking back, the anchor is the last one.
    assert_eq!(
        read(
            "le premier lundi après la Pentecôte",
            Lang::Fr,
            NOW,
            DatePolicy::Past
        )
        .as_deref(),
        Some("2024-05-20")
    );
    // A weekday followed by "après" and no date stays a weekday.
    assert_eq!(
        read("mardi après-midi", Lang::Fr, NOW, DatePolicy::Future).as_deref(),
        Some("2025-05-20")
    );
}

#[test]
fn a_feast_in_the_year_a_shift_from_now_lands_in() {
    use Lang::*;
    all_read(&[
        ("Noël dans trois ans", Fr, "2028-12-25"),
        ("la Toussaint il y a deux ans", Fr, "2023-11-01"),
        ("Pinksteren over een jaar", Nl, "2026-05-24"),
        ("Allerheiligen drie jaar geleden", Nl, "2022-11-01"),
        ("Easter in two years", En, "2027-03-28"),
        ("Halloween two years ago", En, "2023-10-31"),
        ("All Saints' Day four years hence", En, "2029-11-01"),
        // The shift lands in the year: said in May, six months ago is last November.
        ("All Saints' Day six months ago", En, "2024-11-01"),
    ]);
}

#[test]
fn the_nth_last_day_of_a_month() {
    use Lang::*;
    all_read(&[
        ("l'avant-dernier jour de juin", Fr, "2025-06-29"),
        ("l'avant-dernier vendredi d'août", Fr, "2025-08-22"),
        ("de voorlaatste dag van juni", Nl, "2025-06-29"),
        ("de op twee na laatste dag van augustus", Nl, "2025-08-29"),
        ("the second to last day of June", En, "2025-06-29"),
        ("the third last day of August", En, "2025-08-29"),
        ("the 2nd last Friday of August", En, "2025-08-22"),
        ("the penultimate day of February 2028", En, "2028-02-28"),
    ]);
    // No sixth last Friday in a month: no August date.
    let sixth = read(
        "the 6th last Friday of August",
        Lang::En,
        NOW,
        DatePolicy::Future,
    );
    assert!(!sixth.is_some_and(|d| d.contains("-08-")));
}

#[test]
fn years_said_in_words_after_a_feast_or_a_month() {
    use Lang::*;
    all_read(&[
        ("Pâques deux mille vingt-sept", Fr, "2027-03-28"),
        (
            "le dernier lundi de mai deux mille vingt-six",
            Fr,
            "2026-05-25",
        ),
        ("Kerstmis tweeduizend dertig", Nl, "2030-12-25"),
        ("Halloween two thousand and twenty", En, "2020-10-31"),
        (
            "the first Monday of June two thousand twenty-six",
            En,
            "2026-06-01",
        ),
    ]);
}

#[test]
fn a_weekday_puts_a_yearless_date_a_year_further() {
    use Lang::*;
    // 20 June 2025 is a Friday, 20 June 2026 a Saturday.
    all_read(&[
        ("samedi 20 juin", Fr, "2026-06-20"),
        ("zaterdag 20 juni", Nl, "2026-06-20"),
        ("Sat, June 20", En, "2026-06-20"),
        ("June 20, Sat", En, "2026-06-20"),
        // The weekday of this year's date: nothing moves.
        ("vendredi 20 juin", Fr, "2025-06-20"),
    ]);
    // A weekday that fits neither year leaves the date as the policy reads it.
    assert_eq!(
        read("mardi 20 juin", Lang::Fr, NOW, DatePolicy::Future).as_deref(),
        Some("2025-06-20")
    );
}

#[test]
fn weekdays_counted_back() {
    use Lang::*;
    all_read(&[
        ("2 Mondays back", En, "2025-05-05"),
        ("twee maandagen terug", Nl, "2025-05-05"),
        ("drie weken terug", Nl, "2025-04-23"),
        // "terug" after "over" is going back, not counting back.
        ("ik ga over 2 weken terug", Nl, "2025-05-28"),
    ]);
}

#[test]
fn small_typos_of_date_words() {
    use Lang::*;
    all_read(&[
        ("je passe demian", Fr, "2025-05-15"),
        ("rendez-vous venderdi", Fr, "2025-05-16"),
        ("kan ik morgn komen", Nl, "2025-05-15"),
        ("op donderdg", Nl, "2025-05-15"),
        ("tomorow please", En, "2025-05-15"),
        ("is thursay ok", En, "2025-05-15"),
    ]);
    // Words of their own, and other languages' date words, are left alone.
    for (text, lang) in [
        ("'s morgens ben ik thuis", Lang::Nl),
        ("waar kom je vandaan", Lang::Nl),
        ("my domain name", Lang::En),
        ("Morgan called", Lang::En),
        ("we mogen dat niet doen", Lang::Nl),
        ("we zorgen ervoor", Lang::Nl),
        ("vandaar dat ik bel", Lang::Nl),
        ("a sundae for Frida", Lang::En),
        ("I need to renew my eID", Lang::En),
        ("mijn eID-kaart is verlopen", Lang::Nl),
    ] {
        assert_eq!(read(text, lang, NOW, DatePolicy::Future), None, "{text}");
    }
}

#[test]
fn a_span_from_now_reads_as_its_last_day() {
    use Lang::*;
    all_read(&[
        ("dans les 3 prochains jours", Fr, "2025-05-17"),
        ("au cours des deux prochaines semaines", Fr, "2025-05-28"),
        ("de komende twee dagen", Nl, "2025-05-16"),
        ("the next 3 days", En, "2025-05-17"),
        ("upcoming two weeks", En, "2025-05-28"),
    ]);
}

#[test]
fn feasts_of_other_calendars() {
    use Lang::*;
    all_read(&[
        ("Pâques orthodoxe 2024", Fr, "2024-05-05"),
        ("orthodoxe Pasen 2027", Nl, "2027-05-02"),
        ("Orthodox Easter", En, "2026-04-12"),
        ("Roch Hachana 2024", Fr, "2024-10-03"),
        ("Jom Kipoer 2025", Nl, "2025-10-02"),
        ("Hanukkah 2024", En, "2024-12-26"),
        ("la Pâque juive 2026", Fr, "2026-04-02"),
        // Tabular: 1 Shawwal 1446 was observed on 30 March 2025.
        ("l'Aïd el-Fitr 2025", Fr, "2025-03-30"),
        ("het Offerfeest 2025", Nl, "2025-06-06"),
        ("Islamic New Year 2024", En, "2024-07-07"),
        ("le Nouvel An chinois", Fr, "2026-02-17"),
        ("Chinees Nieuwjaar 2024", Nl, "2024-02-10"),
        ("last Chinese New Year", En, "2025-01-29"),
    ]);
}

#[test]
fn feasts_of_india_and_other_calendars_compose_like_any_named_day() {
    use Lang::*;
    all_read(&[
        ("Diwali 2025", En, "2025-10-20"),
        ("next diwali", En, "2025-10-20"),
        ("three days after Diwali", En, "2025-10-23"),
        ("Divali 2026", Nl, "2026-11-08"),
        ("deux jours avant Holi 2026", Fr, "2026-03-02"),
        ("Raksha Bandhan in two years", En, "2027-08-17"),
        ("Makar Sankranti 2026", En, "2026-01-14"),
        ("parsi new year 2024", En, "2024-08-15"),
        ("Tisha B'Av 2025", En, "2025-08-03"),
        ("Jumu'atul-Wida 2025", En, "2025-03-28"),
        ("Laylat al-Qadr 2025", En, "2025-03-27"),
        ("lundi pur 2026", Fr, "2026-02-23"),
        ("Schone Maandag 2026", Nl, "2026-02-23"),
        ("Whitsunday 2026", En, "2026-05-24"),
        ("white sunday 2026", En, "2026-05-24"),
        ("boss's day 2027", En, "2027-10-15"),
        ("the day after Guy Fawkes Night", En, "2025-11-06"),
        ("August bank holiday 2026", En, "2026-08-31"),
        ("journée mondiale du véganisme", Fr, "2025-11-01"),
    ]);
}

#[test]
fn the_nth_closest_feast_and_days_ahead() {
    use Lang::*;
    all_read(&[
        // Said on 14 May 2025: last Christmas is 140 days away, the next 225.
        ("the closest Christmas to today", En, "2024-12-25"),
        ("the second closest Christmas", En, "2025-12-25"),
        ("the 3rd closest Christmas to today", En, "2023-12-25"),
        ("two upcoming days", En, "2025-05-16"),
        ("les trois prochains jours", Fr, "2025-05-17"),
    ]);
}

#[test]
fn the_end_of_a_month_or_a_year_is_its_last_day() {
    use Lang::*;
    all_read(&[
        ("je paie à la fin du mois", Fr, "2025-05-31"),
        ("pour la fin du mois prochain", Fr, "2025-06-30"),
        ("fin mars", Fr, "2026-03-31"),
        ("fin juin 2026", Fr, "2026-06-30"),
        ("d'ici la fin de l'année", Fr, "2025-12-31"),
        ("à la fin de l'année prochaine", Fr, "2026-12-31"),
        ("le dernier jour de l'année", Fr, "2025-12-31"),
        ("eind van de maand", Nl, "2025-05-31"),
        ("tegen het einde van volgende maand", Nl, "2025-06-30"),
        ("eind maart 2026", Nl, "2026-03-31"),
        ("aan het einde van het jaar", Nl, "2025-12-31"),
        ("eind volgend jaar", Nl, "2026-12-31"),
        ("de laatste dag van het jaar", Nl, "2025-12-31"),
        ("by the end of the month", En, "2025-05-31"),
        ("at the end of next month", En, "2025-06-30"),
        ("end of March", En, "2026-03-31"),
        ("the end of the year", En, "2025-12-31"),
        ("by the end of 2027", En, "2027-12-31"),
        ("the last day of next year", En, "2026-12-31"),
    ]);
    // Looking back, a month's end is the last one gone.
    assert_eq!(
        read("fin mars", Fr, NOW, DatePolicy::Past).as_deref(),
        Some("2025-03-31")
    );
    // "end" and "fin" without a month or a year are no date.
    for (text, lang) in [
        ("c'est la fin", Fr),
        ("the end of the story", En),
        ("het einde van de film", Nl),
    ] {
        assert_eq!(read(text, lang, NOW, DatePolicy::Future), None, "{text}");
    }
}

#[test]
fn a_year_named_before_its_digits() {
    use Lang::*;
    all_read(&[
        ("the 2nd of February in the year 1980", En, "1980-02-02"),
        ("the first of December of the year 1999", En, "1999-12-01"),
        ("le 14 juillet de l'an 1789", Fr, "1789-07-14"),
        ("né le 3 mars en l'an 2000", Fr, "2000-03-03"),
        ("21 juli in het jaar 1831", Nl, "1831-07-21"),
        ("op 4 oktober van het jaar 1830", Nl, "1830-10-04"),
    ]);
}

#[test]
fn dutch_days_written_with_their_part_of_the_day() {
    use Lang::*;
    all_read(&[
        ("kan het morgenavond?", Nl, "2025-05-15"),
        ("morgenvroeg om 8 uur", Nl, "2025-05-15"),
        ("ik heb gisteravond gebeld", Nl, "2025-05-13"),
        ("gistermiddag was het loket dicht", Nl, "2025-05-13"),
        ("overmorgenochtend", Nl, "2025-05-16"),
    ]);
}

#[test]
fn english_three_letter_weekdays_alone() {
    use Lang::*;
    all_read(&[
        ("on Tue", En, "2025-05-20"),
        ("can we meet Thu?", En, "2025-05-15"),
    ]);
    // French "tue" is a verb.
    assert_eq!(read("il tue le temps", Fr, NOW, DatePolicy::Future), None);
}

#[test]
fn a_numeric_date_beside_a_clock_time() {
    use Lang::*;
    all_read(&[
        ("15/03/2026 12:45", Fr, "2026-03-15"),
        ("rendez-vous 09:30 20/06/2025", Fr, "2025-06-20"),
        ("afspraak 15-3-2026 10:15", Nl, "2026-03-15"),
        ("14:00 1.7.2025", Nl, "2025-07-01"),
        ("22/05/2025 08:30", En, "2025-05-22"),
    ]);
    // Digits in groups stay a phone number, with or without a time after.
    for text in ["04 12 34 12:45", "0475 12 34 56", "02 511 12 12 14:30"] {
        assert_eq!(read(text, Fr, NOW, DatePolicy::Future), None, "{text}");
    }
}

#[test]
fn two_digits_after_an_apostrophe_are_a_year() {
    use Lang::*;
    all_read(&[
        ("the 2nd Thursday in Sept. '02", En, "2002-09-12"),
        ("Jan 10, '00", En, "2000-01-10"),
        ("on 3 March '98", En, "1998-03-03"),
        ("le 14 juillet '89", Fr, "1989-07-14"),
        ("op 21 juli '81", Nl, "1981-07-21"),
        ("eind juni '26", Nl, "2026-06-30"),
    ]);
}

#[test]
fn a_weekday_then_an_article_then_its_date() {
    use Lang::*;
    all_read(&[
        // 10 June 2025 is a Tuesday.
        ("Tuesday the 10th of June", En, "2025-06-10"),
        ("mardi le 10 juin", Fr, "2025-06-10"),
        ("dinsdag de 10de juni", Nl, "2025-06-10"),
    ]);
}
