//! Tests of days counted from today by weeks and months: the nth weekday
//! of a month a count of months away, a weekday a week beyond the next
//! (or before the last) one, weeks on a weekday, the nth unit after an
//! anchor, and "last Monday" in each language. Sentences from grammars and
//! usage (Le Bon Usage, the ANS and taaladvies.net, British and American
//! usage guides), not from the public suites.

use super::*;

/// What `text` offers, best first, said on `now` under `policy`.
fn offered(text: &str, lang: Lang, now: &str, policy: DatePolicy) -> Vec<String> {
    let ctx = super::tests::ctx(lang, now, policy);
    extract(&Input::new(text), &ctx)
        .readings_to_offer()
        .iter()
        .map(|c| match &c.value {
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            other => format!("{other:?}"),
        })
        .collect()
}

/// Each text, said on `now`, offers exactly these dates (best first).
fn offers(now: &str, cases: &[(&str, Lang, &[&str])]) {
    for &(text, lang, dates) in cases {
        assert_eq!(
            offered(text, lang, now, DatePolicy::Future),
            dates,
            "{text} said on {now}"
        );
    }
}

#[test]
fn the_nth_weekday_of_a_month_counted_from_this_one() {
    use Lang::*;
    // Wednesday 14 May 2025: three months on is August (first Monday the
    // 4th, last Friday the 29th), two months on July (first Monday the 7th,
    // second Tuesday the 8th, last Friday the 25th).
    offers(
        "2025-05-14",
        &[
            ("the first Monday in 3 months", En, &["2025-08-04"]),
            (
                "the first Monday of the month in 3 months",
                En,
                &["2025-08-04"],
            ),
            ("first monday of month in three months", En, &["2025-08-04"]),
            (
                "the second Tuesday two months from now",
                En,
                &["2025-07-08"],
            ),
            ("le premier lundi dans deux mois", Fr, &["2025-07-07"]),
            (
                "le premier lundi du mois dans trois mois",
                Fr,
                &["2025-08-04"],
            ),
            ("le dernier vendredi dans deux mois", Fr, &["2025-07-25"]),
            ("de eerste maandag over twee maanden", Nl, &["2025-07-07"]),
            (
                "de laatste vrijdag van de maand over drie maanden",
                Nl,
                &["2025-08-29"],
            ),
            // Back: March 2025's last Friday is the 28th.
            (
                "the last Friday of the month two months ago",
                En,
                &["2025-03-28"],
            ),
            ("de eerste maandag van volgende maand", Nl, &["2025-06-02"]),
            // A day of the month a count of months away.
            ("le 15 dans deux mois", Fr, &["2025-07-15"]),
            ("de 20ste over drie maanden", Nl, &["2025-08-20"]),
        ],
    );
    // A count that is not of months leaves the month as it is.
    assert_ne!(
        offered(
            "the first Monday in 3 years",
            Lang::En,
            "2025-05-14",
            DatePolicy::Future
        )
        .first()
        .map(String::as_str),
        Some("2028-05-01")
    );
}

#[test]
fn a_weekday_a_week_beyond_the_next_or_before_the_last() {
    use Lang::*;
    // Tuesday 11 March 2025. Monday is gone this week: "next Monday" is
    // the 17th, the one after it the 24th. Friday is still ahead: "next
    // Friday" is the 21st or the 14th, so "Friday after next" is the 28th
    // or the 21st, and both are offered.
    offers(
        "2025-03-11",
        &[
            ("Monday after next", En, &["2025-03-24"]),
            ("the Monday after next", En, &["2025-03-24"]),
            ("overvolgende maandag", Nl, &["2025-03-24"]),
            ("Friday after next", En, &["2025-03-28", "2025-03-21"]),
            ("overvolgende vrijdag", Nl, &["2025-03-28", "2025-03-21"]),
            // Thursday is ahead: last week's is the 6th, the week before's the
            // 27th of February.
            ("Thursday before last", En, &["2025-02-27"]),
            ("voorvorige donderdag", Nl, &["2025-02-27"]),
            // The week after next, and a weekday in it.
            ("the week after next on Friday", En, &["2025-03-28"]),
            ("dinsdag van overvolgende week", Nl, &["2025-03-25"]),
            ("voorvorige week dinsdag", Nl, &["2025-02-25"]),
        ],
    );
    // Thursday 13 March: Tuesday is gone this week; "Tuesday before last"
    // is a week before last week's (25 February) or before the one just
    // gone (4 March).
    offers(
        "2025-03-13",
        &[("Tuesday before last", En, &["2025-02-25", "2025-03-04"])],
    );
}

#[test]
fn weeks_on_a_weekday_and_the_nth_unit_after_a_day() {
    use Lang::*;
    // Wednesday 12 March 2025: the coming Tuesday is the 18th, Friday the 14th.
    offers(
        "2025-03-12",
        &[
            // British: a week after the coming Tuesday, as "Tuesday week".
            ("a week on Tuesday", En, &["2025-03-25"]),
            ("a fortnight on Friday", En, &["2025-03-28"]),
            ("two weeks on Monday", En, &["2025-03-31"]),
            // A week (two) from this Friday.
            ("a week after this Friday", En, &["2025-03-21"]),
            ("the second week after this Friday", En, &["2025-03-28"]),
            // The nth day after a feast or a date.
            ("the third day after Christmas", En, &["2025-12-28"]),
            ("le troisième jour après Noël", Fr, &["2025-12-28"]),
            ("de derde dag na Kerstmis", Nl, &["2025-12-28"]),
            // 1 April 2025 is a Tuesday: its second working day after is Thursday.
            ("the second working day after 1 April", En, &["2025-04-03"]),
            (
                "le deuxième jour ouvrable après le 1er avril",
                Fr,
                &["2025-04-03"],
            ),
            ("de tweede werkdag na 1 april", Nl, &["2025-04-03"]),
        ],
    );
}

#[test]
fn last_monday_in_each_language() {
    use Lang::*;
    // Sunday 16 March 2025. French "lundi dernier" is the Monday just gone
    // (Le Bon Usage; moment's French calendar writes "lundi dernier" of
    // the last six days), as are "afgelopen maandag" and "maandag
    // jongstleden" (ANS). English "last Monday" and Dutch "vorige maandag"
    // are last week's (3 March) or the one just gone (10 March): in
    // Belgium "vorige maandag" is often "afgelopen maandag"
    // (taaladvies.net), in the Netherlands seldom said; both are offered.
    offers(
        "2025-03-16",
        &[
            ("lundi dernier", Fr, &["2025-03-10"]),
            ("mardi dernier à 12:00", Fr, &["2025-03-11"]),
            ("lundi passé", Fr, &["2025-03-10"]),
            ("afgelopen maandag", Nl, &["2025-03-10"]),
            ("maandag jongstleden", Nl, &["2025-03-10"]),
            ("last Monday", En, &["2025-03-03", "2025-03-10"]),
            ("vorige maandag", Nl, &["2025-03-03", "2025-03-10"]),
            // Last week's Monday said as such is clear.
            ("lundi de la semaine dernière", Fr, &["2025-03-03"]),
            ("last week's Monday", En, &["2025-03-03"]),
            ("vorige week maandag", Nl, &["2025-03-03"]),
        ],
    );
    // Said on a Monday, "lundi dernier" is a week ago; said on a Thursday,
    // "last Wednesday" is a week before yesterday or yesterday.
    offers("2025-03-10", &[("lundi dernier", Fr, &["2025-03-03"])]);
    offers(
        "2025-03-13",
        &[("last Wednesday", En, &["2025-03-05", "2025-03-12"])],
    );
    // "Friday" said on a Sunday in the past, and "last Friday" when the last
    // one was last week's, have one reading.
    offers("2025-03-12", &[("last Friday", En, &["2025-03-07"])]);
}
