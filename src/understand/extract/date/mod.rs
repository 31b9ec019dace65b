//! Dates in a whole sentence, in French, Dutch and English, read as the
//! languages build them: a reading is a composition of parts, each in its
//! own file.
//!
//! - `tokens`: digits and number words, days of the month ("15", "1er",
//!   "21st", "vingt et un", "tweede"), weekdays with or without a dot
//!   ("ven.", "za"), years in words ("deux mille vingt-quatre").
//! - `absolute`: numeric dates (`15/03/2025`, `2025-03-15`, `20250315`) and
//!   dates with a month name in any order, abbreviated or not (`le 1er mai
//!   2024`, `March 15th`, `12 févr. 2019`, `2020/Sep/23`).
//! - `relative`: days named from today (`demain`, `overmorgen`, `the day
//!   before yesterday`) and a signed count (`tomorrow +3 days`).
//! - `weekday`: a weekday alone or modified (`next / this / last`,
//!   `prochain`, `volgende`, `komende`, `jongstleden`), with a week
//!   (`volgende week dinsdag`), a date (`mardi 4 mars`), a week or two
//!   after the coming one (`jeudi en huit`, `en quinze`, `Friday week`, `a
//!   week on Tuesday`), a week beyond the next or before the last one
//!   (`Saturday after next`, `overvolgende zaterdag`, `Tuesday before
//!   last`), or counted (`two Sundays from now`).
//! - `offset`: durations (`3 jours`, `quinze jours`, `twee weken`, `a
//!   fortnight`) before or after an anchor that is now, a date, a named day
//!   or a year (`dans 3 jours`, `2 weeks ago`, `three days after Easter
//!   Monday`, `drie dagen na paasmaandag`), or the nth unit after one (`the
//!   second week after this Friday`, `le troisième jour après Noël`).
//! - `year`: a year said relative to this one after a day and month (`le 3
//!   mars de l'année dernière`, `3 maart vorig jaar`, `the 12th of August
//!   next year`), and days counted from an anchor (`la veille de Noël`, `le
//!   lendemain de la Toussaint`, `de dag na Pasen`, `the day before
//!   Christmas`).
//! - `month_rank`: days by rank in a month (`le 15`, `de 20ste van volgende
//!   maand`, `the second Tuesday in May`, `le dernier vendredi d'avril`,
//!   `l'avant-dernier jour de juin`, `the fifth last day of May`), the month
//!   named or counted from this one (`le premier lundi dans deux mois`, `de
//!   eerste maandag over twee maanden`, `the first Monday of the month in 3
//!   months`).
//! - `anchor_weekday`: a weekday counted from a date or a named day (`the
//!   third Tuesday after Christmas 2014`, `le dimanche avant Pâques`, `de
//!   maandag het dichtst bij 5 oktober`).
//! - `holiday`: public holidays and named days (`lundi de Pâques 2026`,
//!   `Kerstmis`, `Thanksgiving`, `Suikerfeest`, `Roch Hachana`), in a year
//!   said in digits or words or shifted from now (`Christmas in two
//!   years`, `Pâques il y a deux ans`).
//! - `period_end`: the end of a month or a year as its last day (`fin du
//!   mois`, `eind maart 2026`, `by the end of next year`).
//! - `calendar`: the arithmetic and the resolution policy.
//! - `lexicon`: the words, from `lexicon/dates/` (one file per language):
//!   a new phrasing or a new language is an addition there.
//!
//! A word one typo away from a date word of the message's language
//! ("demian", "morgn", "tomorows") is read as that word (the lexicon's
//! `typo_ok` and `not_typo` lists).
//!
//! Every phrase is read relative to `ctx.now`; when a phrase could be in the
//! past or the future ("vendredi", "22/04") `ctx.policy` decides, except in
//! a sentence that says the date is awaited ("due", "expected", "prévu",
//! "attendu", "terme", "verwacht", "uitgerekend"), which is read in the
//! future whatever the slot prefers. Numbers are read day first unless
//! `ctx.order` says month first (US English): the bots serve Belgium.
//!
//! Only the date's own words are read: a number of something else (a
//! reference `CR-2025-0042`, a price, a plate, a postal code, a time `à
//! 14h`) is not taken for a day or a year.
//!
//! # Ambiguous readings
//!
//! When the words cannot tell which day is meant, the best reading is
//! `Extraction::best()` as always, and the others are in
//! `Extraction::ambiguous` (same span, best first; `readings_to_offer()`
//! lists them all, `is_ambiguous()` says whether there are any). A date
//! slot should then ask back with these dates as buttons rather than guess.
//! The cases:
//!
//! - a bare weekday that is today ("mercredi" on a Wednesday): today, or a
//!   week away (ahead under the future policy, back under the past one);
//! - "next" + a weekday still ahead this week ("mercredi prochain" said on
//!   a Tuesday, "next Friday" on a Tuesday): next week's (the best) or this
//!   week's; "Friday after next" then is a week after either;
//! - English "last" and Dutch "vorige" + a weekday already gone this week
//!   ("last Monday" said on a Sunday): last week's (the best) or the one
//!   just gone (Belgian Dutch says "vorige maandag" as "afgelopen
//!   maandag"); French "lundi dernier" is the one just gone;
//! - a day of the month alone whose policy reading is weeks away while the
//!   other reading is within a week ("le 27" said on the 29th under the
//!   future policy: next month's 27th, or two days ago).

mod absolute;
mod anchor_weekday;
mod calendar;
mod holiday;
pub(crate) mod lexicon;
mod month_rank;
mod offset;
mod period_end;
mod relative;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_composed;
#[cfg(test)]
mod tests_counted;
mod tokens;
mod weekday;
mod year;

use super::{longest_readings, Context, DateOrder, DatePolicy, Extraction, Reading, Reason};
use crate::understand::normalize::Input;
use crate::values::{Lang, Value};
use chrono::NaiveDate;
use lexicon::{lexicon, Tok, TokenEntries};

/// Longer texts are cut: nobody types a date after ten thousand bytes.
const MAX_INPUT: usize = 10_000;
/// Relative phrases nest ("two days after tomorrow") but not deeper.
const MAX_DEPTH: u8 = 2;

pub fn extract(input: &Input, ctx: &Context) -> Extraction {
    let mut toks = lexicon::words_of(input);
    toks.retain(|t| t.end <= MAX_INPUT);
    lexicon().correct_typos(&mut toks, ctx.lang);
    let entries = lexicon().index(&toks);
    // "due", "prévu", "verwacht": what is awaited lies ahead, whatever the slot prefers.
    let future_context = (0..toks.len()).any(|i| entries.kinds_at(i) & starts().future != 0);
    let parser = Parser {
        toks: &toks,
        folded: &input.folded.text,
        lex: &entries,
        today: ctx.now.date(),
        policy: if future_context {
            DatePolicy::Future
        } else {
            ctx.policy
        },
        order: ctx.order,
        lang: ctx.lang,
        this_year: false,
    };
    let found: Vec<Found> = (0..toks.len())
        .filter_map(|i| parser.parse_at(i, 0))
        .collect();
    let readings = found
        .into_iter()
        .filter_map(|f| {
            let (first, last) = (toks.get(f.start)?, toks.get(f.end.checked_sub(1)?)?);
            Some(Reading {
                value: f.date.map(Value::Date),
                folded: first.start..last.end,
                words: f.end - f.start,
                confidence: f.confidence,
                rule: format!("date:{}", f.rule),
                alternative: f.alt.filter(|_| f.date.is_ok()).map(Value::Date),
            })
        })
        .collect();
    longest_readings(input, readings)
}

/// The kinds of words each rule can start with (besides digits, which
/// `parse_at` knows), as bits of the lexicon's kinds.
struct Starts {
    month_name: u64,
    relative: u64,
    weekday_phrase: u64,
    holiday: u64,
    this: u64,
    /// A day: `bare_day`, `nth_weekday`, `week_of_month`.
    day: u64,
    last: u64,
    /// A count: `weekday_count`, `offset`.
    count: u64,
    weekday: u64,
    /// "la veille", "the day after": a day counted from an anchor.
    anchored: u64,
    /// Words that put a date in the future ("due", "prévu", "verwacht").
    future: u64,
    /// A weekday counted from an anchor: `anchor_weekday`.
    anchor_weekday: u64,
    /// "fin du mois", "the end of the year": `period_end`.
    period_end: u64,
}

fn starts() -> &'static Starts {
    static STARTS: std::sync::OnceLock<Starts> = std::sync::OnceLock::new();
    STARTS.get_or_init(|| {
        let lex = lexicon();
        Starts {
            month_name: lex.mask(&["month", "ord", "card"]),
            relative: lex.mask(&["rel", "rel_vague"]),
            weekday_phrase: lex.mask(&["wdmod", "week", "weekday", "weekday_short"]),
            holiday: lex.mask(&[
                "wdmod",
                "holiday",
                "holiday_us",
                "holiday_generic",
                "closest",
                "ord",
                "article",
            ]),
            this: lex.mask(&["wdmod"]),
            day: lex.mask(&["article", "ord", "card"]),
            last: lex.mask(&["article", "last", "last_nth", "ord"]),
            count: lex.mask(&["ago_before", "in", "num", "few", "count", "duration"]),
            weekday: lex.mask(&["weekday"]),
            anchored: lex.mask(&["anchor_shift"]),
            future: lex.mask(&["future_context"]),
            anchor_weekday: lex.mask(&["article", "ord", "weekday", "closest"]),
            period_end: lex.mask(&["period_end"]),
        }
    })
}

/// A date (or an impossible one) read over tokens `start..end`.
#[derive(Debug, Clone)]
struct Found {
    date: Result<NaiveDate, Reason>,
    start: usize,
    end: usize,
    confidence: f32,
    rule: &'static str,
    /// Month and day, when the year was not said: a year modifier after
    /// ("l'année dernière", "vorig jaar") may still set it.
    yearless: Option<(u32, u32)>,
    /// Another date the same words mean as plausibly (see `Extraction::ambiguous`).
    alt: Option<NaiveDate>,
}

fn found(
    date: Result<NaiveDate, Reason>,
    start: usize,
    end: usize,
    confidence: f32,
    rule: &'static str,
) -> Option<Found> {
    Some(Found {
        date,
        start,
        end,
        confidence,
        rule,
        yearless: None,
        alt: None,
    })
}

/// A piece of a date written with a month name.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    /// Digits, with how many there were.
    Number(u32, usize),
    /// An ordinal or a number word: only ever a day.
    Day(u32),
    Month(u32),
}

/// Up to three pieces of a date, each with its first and end token (on
/// the stack: this runs at every word).
struct Parts {
    items: [(Part, usize, usize); 3],
    len: usize,
}

impl Default for Parts {
    fn default() -> Parts {
        Parts {
            items: [(Part::Day(0), 0, 0); 3],
            len: 0,
        }
    }
}

impl Parts {
    fn push(&mut self, part: (Part, usize, usize)) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = part;
            self.len += 1;
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn as_slice(&self) -> &[(Part, usize, usize)] {
        self.items.get(..self.len).unwrap_or(&[])
    }
}

/// A span of time to add: months and days apart (a month is not 30 days).
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    months: i64,
    days: i64,
    working_days: i64,
}

struct Parser<'a> {
    toks: &'a [Tok<'a>],
    folded: &'a str,
    lex: &'a TokenEntries<'static>,
    today: NaiveDate,
    policy: DatePolicy,
    order: DateOrder,
    lang: Lang,
    /// Day and month without a year are this year's ("this 5/12").
    this_year: bool,
}

impl Parser<'_> {
    pub(super) fn parse_at(&self, i: usize, depth: u8) -> Option<Found> {
        // Every rule starts with digits or with a word of some kinds: only
        // the rules that can start at token `i` are tried.
        let digits = self.tok(i)?.digits;
        let kinds = self.lex.kinds_at(i);
        if !digits && kinds == 0 {
            return None;
        }
        let s = starts();
        let can = |mask: u64, with_digits: bool| (with_digits && digits) || kinds & mask != 0;
        let all = [
            can(0, true).then(|| self.numeric(i)).flatten(),
            can(0, true).then(|| self.compact(i)).flatten(),
            can(s.month_name, true)
                .then(|| self.month_name(i))
                .flatten(),
            can(s.relative, false)
                .then(|| self.relative_word(i))
                .flatten(),
            can(s.weekday_phrase, false)
                .then(|| self.weekday_phrase(i))
                .flatten(),
            can(s.holiday, false)
                .then(|| self.holiday(i, depth))
                .flatten(),
            can(s.this, false).then(|| self.this_date(i)).flatten(),
            can(s.day, true).then(|| self.bare_day(i)).flatten(),
            can(s.day, true).then(|| self.nth_weekday(i)).flatten(),
            can(s.last, true).then(|| self.last_of_month(i)).flatten(),
            can(s.day, true).then(|| self.week_of_month(i)).flatten(),
            can(s.count, true).then(|| self.weekday_count(i)).flatten(),
            can(s.period_end, false)
                .then(|| self.period_end(i))
                .flatten(),
        ];
        let nested = if depth < MAX_DEPTH {
            [
                can(s.count, true).then(|| self.offset(i, depth)).flatten(),
                can(s.weekday, false)
                    .then(|| self.weekday_offset(i, depth))
                    .flatten(),
                can(s.anchored, false)
                    .then(|| self.anchored_day(i, depth))
                    .flatten(),
                can(s.anchor_weekday, true)
                    .then(|| self.anchor_weekday(i, depth))
                    .flatten(),
                can(s.day, true)
                    .then(|| self.ordinal_offset(i, depth))
                    .flatten(),
            ]
        } else {
            [None, None, None, None, None]
        };
        // The longest, then the surest; the last of equals.
        let best = all.into_iter().chain(nested).flatten().max_by(|a, b| {
            a.end
                .cmp(&b.end)
                .then(a.confidence.total_cmp(&b.confidence))
        })?;
        Some(self.plus_minus(self.weekday_after(self.year_modifier(best))))
    }
}
