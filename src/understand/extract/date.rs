//! Dates in a whole sentence, in French, Dutch and English: numeric
//! (`15/03/2025`, `2025-03-15`), with month names (`le 1er mai`,
//! `March 15th`), relative (`demain`, `over twee weken`, `3 days ago`),
//! weekdays (`lundi prochain`, `volgende week dinsdag`) and public holidays
//! (`lundi de Pâques 2026`).
//!
//! Every phrase is read relative to `ctx.now`; when a phrase could be in the
//! past or the future ("vendredi", "22/04") `ctx.policy` decides.
//! Numbers are read day first unless `ctx.order` says month first (US
//! English): the bots serve Belgium.

#[path = "date_lexicon.rs"]
pub(crate) mod lexicon;

use super::{longest_readings, Context, DateOrder, DatePolicy, Extraction, Reading, Reason};
use crate::understand::normalize::Input;
use crate::values::{holidays, Lang, Value};
use chrono::{Datelike, Duration, Months, NaiveDate, Weekday};
use lexicon::{lexicon, Tok, TokenEntries};

/// Longer texts are cut: nobody types a date after ten thousand bytes.
const MAX_INPUT: usize = 10_000;
/// Relative phrases nest ("two days after tomorrow") but not deeper.
const MAX_DEPTH: u8 = 2;

pub fn extract(input: &Input, ctx: &Context) -> Extraction {
    let mut toks = lexicon::words_of(input);
    toks.retain(|t| t.end <= MAX_INPUT);
    let entries = lexicon().index(&toks);
    let parser = Parser {
        toks: &toks,
        folded: &input.folded.text,
        lex: &entries,
        today: ctx.now.date(),
        policy: ctx.policy,
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
}

fn starts() -> &'static Starts {
    static STARTS: std::sync::OnceLock<Starts> = std::sync::OnceLock::new();
    STARTS.get_or_init(|| {
        let lex = lexicon();
        Starts {
            month_name: lex.mask(&["month", "ord", "card"]),
            relative: lex.mask(&["rel", "rel_vague"]),
            weekday_phrase: lex.mask(&["wdmod", "week", "weekday", "weekday_short"]),
            holiday: lex.mask(&["wdmod", "holiday", "holiday_us", "holiday_generic"]),
            this: lex.mask(&["wdmod"]),
            day: lex.mask(&["article", "ord", "card"]),
            last: lex.mask(&["article", "last"]),
            count: lex.mask(&["ago_before", "in", "num", "few", "count"]),
            weekday: lex.mask(&["weekday"]),
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
    // ----- token helpers -------------------------------------------------

    fn tok(&self, i: usize) -> Option<&Tok<'_>> {
        self.toks.get(i)
    }

    fn longest(&self, i: usize, kind: &str) -> Option<(&'static lexicon::Entry, usize)> {
        self.lex.longest(i, kind, self.lang)
    }

    fn word(&self, i: usize, kind: &str) -> Option<usize> {
        self.longest(i, kind).map(|(_, end)| end)
    }

    fn number_word(&self, i: usize, kind: &str) -> Option<(i64, usize)> {
        let (e, end) = self.longest(i, kind)?;
        Some((e.number()?, end))
    }

    fn text_word(&self, i: usize, kind: &str) -> Option<(&'static str, usize)> {
        let (e, end) = self.longest(i, kind)?;
        Some((e.value.as_str(), end))
    }

    fn is_text(&self, i: usize, words: &[&str]) -> bool {
        self.tok(i)
            .is_some_and(|t| words.contains(&t.text.as_ref()))
    }

    /// Digits at `i` (at most 8 of them, so no overflow).
    fn digits(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.tok(i)?;
        if !t.digits || t.text.len() > 8 {
            return None;
        }
        Some((t.text.parse().ok()?, t.text.len()))
    }

    /// What separates token `i` from the one before: ' ' for blanks only,
    /// the punctuation otherwise; None when it is something else.
    fn separator(&self, i: usize) -> Option<char> {
        let (prev, cur) = (self.tok(i.checked_sub(1)?)?, self.tok(i)?);
        let between = self.folded.get(prev.end..cur.start)?.trim();
        match between {
            "" if prev.end < cur.start => Some(' '),
            "/" | "-" | "." | "," => between.chars().next(),
            ". " | ", " => between.chars().next(),
            _ if between.chars().all(|c| c == '.' || c == ' ') && !between.is_empty() => Some('.'),
            _ => None,
        }
    }

    /// Whether tokens `i-1` and `i` are in the same phrase (only blanks,
    /// dashes, commas, dots or brackets between them: "[Sept] 04, 2014").
    fn close(&self, i: usize) -> bool {
        let (Some(prev), Some(cur)) = (i.checked_sub(1).and_then(|p| self.tok(p)), self.tok(i))
        else {
            return false;
        };
        self.folded
            .get(prev.end..cur.start)
            .is_some_and(|s| s.len() <= 4 && s.chars().all(|c| " -,.'/()[]".contains(c)))
    }

    fn after_comma(&self, i: usize) -> bool {
        self.separator(i) == Some(',')
    }

    /// A year said in words: "nineteen eighty six", "dix-neuf cent
    /// soixante-douze", "tweeduizend achttien", "two thousand and thirty two".
    fn year_words(&self, i: usize) -> Option<(i32, usize)> {
        if let Some((thousands, end)) = self.number_word(i, "thousand") {
            let mut k = end;
            let mut year = thousands;
            if let Some((h, hend)) = self
                .number_word(k, "num")
                .filter(|(h, _)| (1..=9).contains(h))
            {
                if self.word(hend, "hundred").is_some() {
                    year += h * 100;
                    k = hend + 1;
                }
            }
            if let Some(e) = self.word(k, "and") {
                k = e;
            }
            if let Some((n, nend)) = self.number_word(k, "num") {
                return Some(((year + n) as i32, nend));
            }
            return Some((year as i32, end));
        }
        let (century, mut k) = self.number_word(i, "num")?;
        if !(10..=29).contains(&century) {
            return None;
        }
        if let Some(e) = self.word(k, "hundred") {
            k = e;
        }
        if let Some(e) = self.word(k, "and") {
            k = e;
        }
        let (mut n, mut end) = self.number_word(k, "num")?;
        if n == 0 {
            // "nineteen oh one".
            let (units, uend) = self.number_word(end, "num")?;
            if units > 9 {
                return None;
            }
            (n, end) = (units, uend);
        }
        Some(((century * 100 + n) as i32, end))
    }

    /// A day of the month: `15`, `15e`, `1er`, `21st`, `premier`, `tweede`, `vingt et un`.
    fn day(&self, i: usize) -> Option<(u32, usize, bool)> {
        if let Some((n, len)) = self.digits(i) {
            if len > 2 || !(1..=31).contains(&n) {
                return None;
            }
            if let Some(suffix) = self.tok(i + 1) {
                let s: &str = &suffix.text;
                let ordinal = [
                    "er", "re", "e", "eme", "de", "ste", "st", "nd", "rd", "th", "me", "ieme",
                ];
                if !suffix.digits && ordinal.contains(&s) && (suffix.joined || s == "ste") {
                    return Some((n, i + 2, true));
                }
                if suffix.joined && !suffix.digits {
                    // "15h", "15kg": not a day.
                    self.longest(i + 1, "month")?;
                }
            }
            return Some((n, i + 1, false));
        }
        if let Some((n, end)) = self.number_word(i, "ord") {
            return Some((n as u32, end, true));
        }
        if let Some((n, end)) = self.number_word(i, "card") {
            if (1..=31).contains(&n) {
                return Some((n as u32, end, false));
            }
        }
        None
    }

    fn weekday(&self, i: usize, short_too: bool) -> Option<(Weekday, usize)> {
        let (n, end) = self.number_word(i, "weekday").or_else(|| {
            short_too
                .then(|| self.number_word(i, "weekday_short"))
                .flatten()
        })?;
        // "ven." and "zat." carry a dot that is no separator.
        let wd = match n {
            1 => Weekday::Mon,
            2 => Weekday::Tue,
            3 => Weekday::Wed,
            4 => Weekday::Thu,
            5 => Weekday::Fri,
            6 => Weekday::Sat,
            7 => Weekday::Sun,
            _ => return None,
        };
        Some((wd, end))
    }

    // ----- calendar helpers ----------------------------------------------

    fn future(&self) -> bool {
        self.policy == DatePolicy::Future
    }

    fn two_digit_year(&self, yy: u32) -> i32 {
        let this_year = self.today.year();
        let year = 2000 + yy as i32;
        let limit = if self.future() {
            this_year + 20
        } else {
            this_year
        };
        if year <= limit {
            year
        } else {
            year - 100
        }
    }

    fn ymd(&self, year: i32, month: u32, day: u32) -> Result<NaiveDate, Reason> {
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1..=9999).contains(&year) {
            return Err(Reason::OutOfRange);
        }
        NaiveDate::from_ymd_opt(year, month, day).ok_or(Reason::NoSuchDate)
    }

    /// Day and month without a year: the next (or last) time it comes.
    fn month_day(&self, month: u32, day: u32) -> Result<NaiveDate, Reason> {
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(Reason::OutOfRange);
        }
        // 29 February exists only every four years, 30 February never.
        if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
            return Err(Reason::NoSuchDate);
        }
        let year = self.today.year();
        if self.this_year {
            return self.ymd(year, month, day);
        }
        for k in 0..9 {
            let y = if self.future() { year + k } else { year - k };
            if let Some(d) = NaiveDate::from_ymd_opt(y, month, day) {
                if (self.future() && d >= self.today) || (!self.future() && d <= self.today) {
                    return Ok(d);
                }
            }
        }
        Err(Reason::OutOfRange)
    }

    /// A day of the month alone: this month, or the next (or last) one that has it.
    fn day_alone(&self, day: u32) -> Result<NaiveDate, Reason> {
        let first = self.today.with_day(1).ok_or(Reason::OutOfRange)?;
        for k in 0..4u32 {
            let month = if self.future() {
                first.checked_add_months(Months::new(k))
            } else {
                first.checked_sub_months(Months::new(k))
            };
            if let Some(d) = month.and_then(|m| m.with_day(day)) {
                if (self.future() && d >= self.today) || (!self.future() && d <= self.today) {
                    return Ok(d);
                }
            }
        }
        Err(Reason::NoSuchDate)
    }

    /// "vrijdag de 22ste": this month if it fits, else the nearest month
    /// (by the policy) where that day is that weekday.
    fn weekday_and_day(&self, wd: Weekday, day: u32) -> Result<NaiveDate, Reason> {
        let first = self.today.with_day(1).ok_or(Reason::OutOfRange)?;
        if let Some(d) = first.with_day(day) {
            if d.weekday() == wd {
                return Ok(d);
            }
        }
        for k in 1..=36u32 {
            let month = if self.future() {
                first.checked_add_months(Months::new(k))
            } else {
                first.checked_sub_months(Months::new(k))
            };
            if let Some(d) = month.and_then(|m| m.with_day(day)) {
                if d.weekday() == wd {
                    return Ok(d);
                }
            }
        }
        Err(Reason::NoSuchDate)
    }

    /// Whether `d` is today or on the side of today the policy reads.
    fn on_the_policy_side(&self, d: NaiveDate) -> bool {
        if self.future() {
            d >= self.today
        } else {
            d <= self.today
        }
    }

    fn week_start(&self, weeks: i64) -> Option<NaiveDate> {
        let monday =
            self.today - Duration::days(self.today.weekday().num_days_from_monday() as i64);
        monday.checked_add_signed(Duration::weeks(weeks))
    }

    fn in_week(&self, weeks: i64, wd: Weekday) -> Result<NaiveDate, Reason> {
        self.week_start(weeks)
            .and_then(|m| m.checked_add_signed(Duration::days(wd.num_days_from_monday() as i64)))
            .ok_or(Reason::OutOfRange)
    }

    /// The next `wd` after today (or today itself when `today_counts`), or the last one before.
    fn nearest_weekday(&self, wd: Weekday, forward: bool, today_counts: bool) -> NaiveDate {
        let mut d = self.today;
        for k in 0..8 {
            if (k > 0 || today_counts) && d.weekday() == wd {
                return d;
            }
            d = if forward { d.succ_opt() } else { d.pred_opt() }.unwrap_or(d);
        }
        self.today
    }

    fn shift(&self, from: NaiveDate, span: Span, sign: i64) -> Result<NaiveDate, Reason> {
        let months = span.months.checked_mul(sign).ok_or(Reason::OutOfRange)?;
        let months_u = u32::try_from(months.unsigned_abs()).map_err(|_| Reason::OutOfRange)?;
        let mut d = if months >= 0 {
            from.checked_add_months(Months::new(months_u))
        } else {
            from.checked_sub_months(Months::new(months_u))
        }
        .ok_or(Reason::OutOfRange)?;
        let days = span.days.checked_mul(sign).ok_or(Reason::OutOfRange)?;
        if days.abs() > 3_000_000 {
            return Err(Reason::OutOfRange);
        }
        d = d
            .checked_add_signed(Duration::days(days))
            .ok_or(Reason::OutOfRange)?;
        let mut left = span.working_days.min(10_000);
        while left > 0 {
            d = if sign > 0 { d.succ_opt() } else { d.pred_opt() }.ok_or(Reason::OutOfRange)?;
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                left -= 1;
            }
        }
        Ok(d)
    }

    // ----- rules ---------------------------------------------------------

    fn parse_at(&self, i: usize, depth: u8) -> Option<Found> {
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
            can(s.holiday, false).then(|| self.holiday(i)).flatten(),
            can(s.this, false).then(|| self.this_date(i)).flatten(),
            can(s.day, true).then(|| self.bare_day(i)).flatten(),
            can(s.day, true).then(|| self.nth_weekday(i)).flatten(),
            can(s.last, false).then(|| self.last_of_month(i)).flatten(),
            can(s.day, true).then(|| self.week_of_month(i)).flatten(),
            can(s.count, true).then(|| self.weekday_count(i)).flatten(),
        ];
        let nested = if depth < MAX_DEPTH {
            [
                can(s.count, true).then(|| self.offset(i, depth)).flatten(),
                can(s.weekday, false)
                    .then(|| self.weekday_offset(i, depth))
                    .flatten(),
            ]
        } else {
            [None, None]
        };
        // The longest, then the surest; the last of equals.
        let best = all.into_iter().chain(nested).flatten().max_by(|a, b| {
            a.end
                .cmp(&b.end)
                .then(a.confidence.total_cmp(&b.confidence))
        })?;
        Some(self.plus_minus(best))
    }

    /// "next tuesday +10 days", "2023-12-29 -10days": a date shifted by a
    /// signed count of units.
    fn plus_minus(&self, f: Found) -> Found {
        let Some(sign) = self.signed_count(f.end) else {
            return f;
        };
        let Some((span, end)) = self.span(f.end) else {
            return f;
        };
        Found {
            date: f.date.and_then(|d| self.shift(d, span, sign)),
            end,
            rule: "date_arithmetic",
            ..f
        }
    }

    /// +1 or -1 when token `i` is a count written "+10" or "-10" (a sign
    /// right before it, a blank before the sign) followed by a unit.
    fn signed_count(&self, i: usize) -> Option<i64> {
        let (prev, cur) = (self.tok(i.checked_sub(1)?)?, self.tok(i)?);
        let between = self.folded.get(prev.end..cur.start)?;
        if !cur.digits || !between.starts_with(' ') || self.word(i + 1, "unit").is_none() {
            return None;
        }
        match between.trim_start() {
            "+" => Some(1),
            "-" => Some(-1),
            _ => None,
        }
    }

    /// A full date with a month and/or year: numeric or with a month name.
    fn full_date(&self, i: usize) -> Option<Found> {
        [self.numeric(i), self.month_name(i)]
            .into_iter()
            .flatten()
            .max_by_key(|f| f.end)
    }

    /// 15/03/2025, 15-3-25, 2025-03-15, 15.3, 22/04, 02 04 2009.
    fn numeric(&self, i: usize) -> Option<Found> {
        let (a, la) = self.digits(i)?;
        if la > 4 {
            return None;
        }
        // Inside a longer run of numbers (a phone number, an amount): not a date.
        if i > 0 && self.tok(i - 1).is_some_and(|t| t.digits) && self.separator(i).is_some() {
            return None;
        }
        let s1 = self.separator(i + 1)?;
        if s1 == ',' {
            return None;
        }
        let (b, lb) = self.digits(i + 1)?;
        if lb > 2 && la != 4 {
            return None;
        }
        let third = self.digits(i + 2).and_then(|(c, lc)| {
            let s2 = self.separator(i + 2)?;
            (s2 == s1 || (s2 == ',' && s1 != ' ')).then_some((c, lc))
        });
        let longer = |k: usize| {
            self.tok(k).is_some_and(|t| t.digits)
                && self.separator(k).is_some()
                && self.signed_count(k).is_none()
        };
        if let Some((c, lc)) = third {
            if longer(i + 3) {
                return None;
            }
            let (year, month, day) = if la == 4 && lb <= 2 && lc <= 2 {
                (a as i32, b, c)
            } else if la <= 2 && lb <= 2 && (lc == 4 || lc == 2) {
                let y = if lc == 2 {
                    self.two_digit_year(c)
                } else {
                    c as i32
                };
                match self.order {
                    DateOrder::DayFirst => (y, b, a),
                    DateOrder::MonthFirst => (y, a, b),
                }
            } else {
                return None;
            };
            let (month, day) = if month > 12 && day <= 12 {
                (day, month)
            } else {
                (month, day)
            };
            let date = self.ymd(year, month, day);
            if date.is_err() && s1 == ' ' {
                return None;
            }
            return found(date, i, i + 3, 0.95, "numeric");
        }
        if la > 2 || lb > 2 || s1 == ' ' || s1 == ',' || longer(i + 2) {
            return None;
        }
        let (day, month) = match self.order {
            DateOrder::DayFirst => (a, b),
            DateOrder::MonthFirst => (b, a),
        };
        let (day, month) = if month > 12 && day <= 12 {
            (month, day)
        } else {
            (day, month)
        };
        let date = self.month_day(month, day);
        if date.is_err() && s1 != '/' {
            return None;
        }
        let confidence = match s1 {
            '/' => 0.85,
            '-' => 0.8,
            _ => 0.7,
        };
        found(date, i, i + 2, confidence, "numeric_day_month")
    }

    /// 20200701 inside a file name or a reference.
    fn compact(&self, i: usize) -> Option<Found> {
        let t = self.tok(i)?;
        if !t.digits || t.text.len() != 8 {
            return None;
        }
        let (n, _) = self.digits(i)?;
        let (y, m, d) = ((n / 10_000) as i32, n / 100 % 100, n % 100);
        if !(1900..=2100).contains(&y) {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(y, m, d)?;
        found(Ok(date), i, i + 1, 0.75, "compact")
    }

    /// Whether token `i` follows a currency sign: "$12", "€ 12" are amounts.
    fn after_currency(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| {
            self.folded
                .get(..t.start)
                .is_some_and(|before| before.trim_end().ends_with(['$', '€', '£']))
        })
    }

    /// The pieces of a date written with a month name, in any order.
    fn parts(&self, i: usize) -> Parts {
        let mut parts = Parts::default();
        if self.after_currency(i) {
            return parts;
        }
        let mut j = i;
        let mut months = 0;
        while parts.len() < 3 {
            let start = j;
            if !parts.is_empty() {
                if !self.close(j) {
                    break;
                }
                if let Some(end) = self.word(j, "connector") {
                    if self.longest(j, "month").is_none() && self.close(end) {
                        j = end;
                    }
                }
            }
            let part = if let Some((m, end)) = self.number_word(j, "month") {
                months += 1;
                if months > 1 {
                    break;
                }
                // "Oct." ends with a dot that is not a separator.
                Some((Part::Month(m as u32), end))
            } else if let Some((n, len)) = self.digits(j) {
                match self.day(j) {
                    Some((d, end, true)) => Some((Part::Day(d), end)),
                    _ if len <= 4
                        && !self.tok(j + 1).is_some_and(|t| {
                            t.joined && !t.digits && self.longest(j + 1, "month").is_none()
                        }) =>
                    {
                        Some((Part::Number(n, len), j + 1))
                    }
                    _ => None,
                }
            } else if let Some((d, end, _)) = self.day(j) {
                Some((Part::Day(d), end))
            } else {
                None
            };
            let Some((part, end)) = part else {
                let _ = start;
                break;
            };
            parts.push((part, if parts.is_empty() { i } else { j }, end));
            j = end;
        }
        parts
    }

    /// Reads day, month and year out of pieces; None when they do not fit.
    fn read_parts(
        &self,
        parts: &[(Part, usize, usize)],
    ) -> Option<(Result<NaiveDate, Reason>, f32)> {
        let mut months = parts.iter().filter_map(|p| match p.0 {
            Part::Month(m) => Some(m),
            _ => None,
        });
        let (Some(month), None) = (months.next(), months.next()) else {
            return None;
        };
        let mut day = None;
        let mut year = None;
        let month_at = parts.iter().position(|p| matches!(p.0, Part::Month(_)))?;
        for (k, p) in parts.iter().enumerate() {
            match p.0 {
                Part::Month(_) => {}
                Part::Day(d) if day.is_none() => day = Some(d),
                Part::Number(n, 4) | Part::Number(n, 3) if year.is_none() => year = Some(n as i32),
                Part::Number(n, len) if len <= 2 && day.is_none() && (1..=31).contains(&n) => {
                    day = Some(n)
                }
                Part::Number(n, 2)
                    if year.is_none()
                        && day.is_some()
                        && k > month_at
                        && (!self.after_comma(p.1) || !self.close(p.2)) =>
                {
                    year = Some(self.two_digit_year(n))
                }
                _ => return None,
            }
        }
        match (day, year) {
            (Some(d), Some(y)) => Some((self.ymd(y, month, d), 0.95)),
            (Some(d), None) => Some((self.month_day(month, d), 0.9)),
            (None, Some(y)) => Some((self.ymd(y, month, 1), 0.6)),
            (None, None) => None,
        }
    }

    /// 15 mars, le 1er mai 2024, March 15th, 15th of March, maart 15, 2020/Sep/23.
    fn month_name(&self, i: usize) -> Option<Found> {
        let parts = self.parts(i);
        let parts = parts.as_slice();
        for n in (1..=parts.len()).rev() {
            if let Some((date, confidence)) = self.read_parts(&parts[..n]) {
                let end = parts[n - 1].2;
                let has_year = parts[..n]
                    .iter()
                    .any(|p| matches!(p.0, Part::Number(_, 3..)));
                if !has_year {
                    let k = if self.is_text(end, &["a", "in", "of", "van", "de"]) {
                        end + 1
                    } else {
                        end
                    };
                    if let Some((year, yend)) = self.year_words(k) {
                        let day = parts[..n].iter().find_map(|p| match p.0 {
                            Part::Day(d) => Some(d),
                            Part::Number(d, 1..=2) => Some(d),
                            _ => None,
                        });
                        let month = parts[..n].iter().find_map(|p| match p.0 {
                            Part::Month(m) => Some(m),
                            _ => None,
                        });
                        if let (Some(d), Some(m)) = (day, month) {
                            return found(
                                self.ymd(year, m, d),
                                i,
                                yend,
                                0.9,
                                "month_name_year_words",
                            );
                        }
                    }
                }
                return found(date, i, end, confidence, "month_name");
            }
        }
        // A month alone after "en", "in", "vanaf", "à partir de": its first day.
        let (m, end) = self.number_word(i, "month")?;
        let month_word = self.tok(i).map(|t| t.text.len()).unwrap_or(0);
        let before = i.checked_sub(1)?;
        if month_word < 4
            || !self.is_text(
                before,
                &[
                    "en", "in", "vanaf", "sinds", "from", "since", "depuis", "de", "des",
                    "starting", "begin", "debut",
                ],
            )
        {
            return None;
        }
        if self.is_text(before, &["de"]) && !self.is_text(before.wrapping_sub(1), &["partir"]) {
            return None;
        }
        let m = m as u32;
        let this = self.today.month();
        let year = self.today.year()
            + match (self.future(), m >= this, m <= this) {
                (true, true, _) | (false, _, true) => 0,
                (true, false, _) => 1,
                (false, _, false) => -1,
            };
        found(self.ymd(year, m, 1), i, end, 0.5, "month_alone")
    }

    /// "this 5/12", "deze vrijdag 12/5", "this Friday (Jun 15)": a date said
    /// with "this" is this year's, on whichever side of today it falls.
    fn this_date(&self, i: usize) -> Option<Found> {
        let (modifier, mut k) = self.text_word(i, "wdmod")?;
        if modifier != "this" {
            return None;
        }
        if let Some((_, end)) = self.weekday(k, true) {
            k = end;
        }
        let this_year = Parser {
            this_year: true,
            ..*self
        };
        let full = this_year.full_date(k)?;
        found(full.date, i, full.end, full.confidence, "this_date")
    }

    /// aujourd'hui, morgen, the day after tomorrow... and the vaguer "my
    /// day", "de afgelopen dag", read only when nothing more precise is said.
    fn relative_word(&self, i: usize) -> Option<Found> {
        let (n, end, confidence) = match self.number_word(i, "rel") {
            Some((n, end)) => (n, end, 0.9),
            None => {
                let (n, end) = self.number_word(i, "rel_vague")?;
                (n, end, 0.5)
            }
        };
        let date = self
            .today
            .checked_add_signed(Duration::days(n))
            .ok_or(Reason::OutOfRange);
        found(date, i, end, confidence, "relative_word")
    }

    /// Weekdays alone, with a modifier, with a week, or with a date.
    fn weekday_phrase(&self, i: usize) -> Option<Found> {
        let mut best: Vec<Found> = Vec::new();
        // Modifiers before: "next Friday", "ce vendredi", "deze aankomende vrijdag".
        let mut j = i;
        let mut modifier = None;
        for _ in 0..2 {
            if let Some((m, end)) = self.text_word(j, "wdmod") {
                modifier = Some(m);
                j = end;
            }
        }
        // "volgende week (op) dinsdag", "next week on Friday".
        {
            if let Some((weeks, end)) = self.number_word(i, "week") {
                let mut k = end;
                if self.is_text(k, &["op", "on", "le"]) {
                    k += 1;
                }
                if let Some((wd, end)) = self.weekday(k, false) {
                    best.push(found(self.in_week(weeks, wd), i, end, 0.9, "week_weekday")?);
                }
            }
        }
        if let Some((wd, end)) = self.weekday(j, true) {
            let full_name = self.weekday(j, false).is_some();
            // A modifier after: "dimanche prochain", "vendredi dernier".
            let after = self
                .text_word(end, "wdmod")
                .filter(|(m, _)| full_name && matches!(*m, "next" | "prev"));
            // A week after: "dinsdag van vorige week", "vendredi la semaine prochaine".
            let mut k = end;
            if self.word(k, "connector").is_some() && self.number_word(k, "week").is_none() {
                k += 1;
            }
            if self.is_text(k, &["la", "the"]) && self.number_word(k, "week").is_none() {
                k += 1;
            }
            if modifier.is_none() {
                if let Some((weeks, wend)) = self.number_word(k, "week") {
                    best.push(found(
                        self.in_week(weeks, wd),
                        i,
                        wend,
                        0.9,
                        "weekday_week",
                    )?);
                }
            }
            let modifier = modifier.or(after.map(|(m, _)| m));
            let end = after.map(|(_, e)| e).unwrap_or(end);
            let date = match modifier {
                Some("next") => self.in_week(1, wd),
                Some("this") => self.in_week(0, wd),
                Some("prev") => self.in_week(-1, wd),
                Some("coming") => Ok(self.nearest_weekday(wd, true, false)),
                Some("past") => Ok(self.nearest_weekday(wd, false, false)),
                _ => Ok(self.nearest_weekday(wd, self.future(), true)),
            };
            let plain = modifier.is_none();
            if plain || j == i {
                // Weekday with a date: "mardi 4 mars", "vrijdag de 22ste", "Monday 21".
                let mut k = end;
                if let Some(full) = self.full_date(k) {
                    best.push(found(
                        full.date,
                        i,
                        full.end,
                        full.confidence,
                        "weekday_date",
                    )?);
                }
                if self.is_text(k, &["de", "the", "le"]) {
                    k += 1;
                }
                let long_enough = self.tok(j).is_some_and(|t| t.text.len() >= 3);
                if let Some((day, dend, _)) = self.day(k).filter(|_| long_enough) {
                    if self.longest(dend, "month").is_none() {
                        best.push(found(
                            self.weekday_and_day(wd, day),
                            i,
                            dend,
                            0.85,
                            "weekday_day",
                        )?);
                    }
                }
            }
            if !full_name && (plain || self.tok(j).is_some_and(|t| t.text.len() < 3)) {
                // A lone abbreviation ("ma", "do") is too often another word.
            } else {
                let confidence = if plain { 0.8 } else { 0.9 };
                best.push(found(date, i, end, confidence, "weekday")?);
            }
        }
        best.into_iter().max_by_key(|f| f.end)
    }

    /// Holidays by name, in the year given or the next (last) one.
    fn holiday(&self, i: usize) -> Option<Found> {
        let (modifier, j) = match self.text_word(i, "wdmod") {
            Some((m, end)) => (Some(m), end),
            None => (None, i),
        };
        // "Father's Day" is another Sunday in the US than in Belgium.
        let us = if self.order == DateOrder::MonthFirst {
            self.text_word(j, "holiday_us")
        } else {
            None
        };
        let (id, mut end, confidence) = match us.or_else(|| self.text_word(j, "holiday")) {
            Some((id, end)) => (id, end, 0.9),
            // "la fête nationale" names what the day is: any other date said wins.
            None => {
                let (id, end) = self.text_word(j, "holiday_generic")?;
                (id, end, 0.7)
            }
        };
        let mut year = None;
        let mut k = end;
        if self.word(k, "connector").is_some() && self.number_word(k, "yearref").is_none() {
            k += 1;
        }
        if let Some((n, 4)) = self.digits(k) {
            year = Some(n as i32);
            end = k + 1;
        } else if let Some((offset, yend)) = self
            .number_word(end, "yearref")
            .or_else(|| self.number_word(k, "yearref"))
        {
            year = Some(self.today.year() + offset as i32);
            end = yend;
        }
        let date = if let Some(y) = year {
            holidays::holiday_date(id, y).ok_or(Reason::OutOfRange)
        } else {
            let this = self.today.year();
            let (forward, strict) = match modifier {
                Some("next" | "coming") => (true, true),
                Some("prev" | "past") => (false, true),
                Some(_) => (self.future(), false),
                None => (self.future(), false),
            };
            let candidates = (this - 1..=this + 1).filter_map(|y| holidays::holiday_date(id, y));
            let pick = if forward {
                candidates
                    .filter(|d| *d > self.today || (!strict && *d == self.today))
                    .min()
            } else {
                candidates
                    .filter(|d| *d < self.today || (!strict && *d == self.today))
                    .max()
            };
            pick.ok_or(Reason::OutOfRange)
        };
        found(date, i, end, confidence, "holiday")
    }

    /// "le 15", "de 27ste", "the 21st", "de 20ste van volgende maand", "le 25 mardi".
    fn bare_day(&self, i: usize) -> Option<Found> {
        let article = self.word(i, "article");
        let j = article.unwrap_or(i);
        let (day, end, ordinal) = self.day(j)?;
        let word = !self.tok(j).is_some_and(|t| t.digits);
        if article.is_none() && (word || !ordinal) {
            return None;
        }
        if word && !ordinal && !self.is_text(i, &["the", "le"]) {
            return None;
        }
        // "15 jours", "15 minutes": a count, not a day.
        if self.word(end, "unit").is_some() && !self.is_text(end, &["day", "dag", "jour"]) {
            return None;
        }
        if self.tok(end).is_some_and(|t| t.digits) && self.separator(end) == Some(' ') {
            return None;
        }
        if let Some((wd, wend)) = self.weekday(end, false) {
            return found(self.weekday_and_day(wd, day), i, wend, 0.85, "day_weekday");
        }
        let mut k = end;
        let day_word = self.is_text(k, &["day", "dag", "jour"]);
        if day_word {
            k += 1;
        }
        if self.word(k, "connector").is_some() && self.number_word(k, "monthref").is_none() {
            k += 1;
        }
        // "the twenty-third day of September", "le troisième jour de mai".
        if let Some((m, mend)) = self.number_word(k, "month").filter(|_| day_word && ordinal) {
            let at_year = if self.word(mend, "connector").is_some() {
                mend + 1
            } else {
                mend
            };
            if let Some((y, 4)) = self.digits(at_year) {
                return found(
                    self.ymd(y as i32, m as u32, day),
                    i,
                    at_year + 1,
                    0.85,
                    "day_of_month_name",
                );
            }
            return found(
                self.month_day(m as u32, day),
                i,
                mend,
                0.85,
                "day_of_month_name",
            );
        }
        if let Some((offset, mend)) = self.number_word(k, "monthref") {
            let first = self.today.with_day(1)?;
            let month = if offset >= 0 {
                first.checked_add_months(Months::new(offset as u32))
            } else {
                first.checked_sub_months(Months::new(offset.unsigned_abs() as u32))
            }?;
            return found(
                self.ymd(month.year(), month.month(), day),
                i,
                mend,
                0.85,
                "day_of_month",
            );
        }
        let confidence = if word { 0.5 } else { 0.6 };
        found(self.day_alone(day), i, end, confidence, "day_alone")
    }

    /// "premier vendredi de juillet", "de tweede maandag van de volgende maand", "third Tuesday".
    fn nth_weekday(&self, i: usize) -> Option<Found> {
        let j = self
            .word(i, "article")
            .filter(|_| !self.is_text(i, &["en", "on", "op"]))
            .unwrap_or(i);
        let (n, end, ordinal) = self.day(j)?;
        if !ordinal || !(1..=5).contains(&n) {
            return None;
        }
        let (wd, mut end) = self.weekday(end, false)?;
        let mut k = end;
        if self.word(k, "connector").is_some() && self.number_word(k, "monthref").is_none() {
            k += 1;
        }
        let first_of = |first: NaiveDate| -> Option<NaiveDate> {
            let shift = (7 + wd.num_days_from_monday() as i64
                - first.weekday().num_days_from_monday() as i64)
                % 7;
            let d = first.checked_add_signed(Duration::days(shift + 7 * (n as i64 - 1)))?;
            (d.month() == first.month()).then_some(d)
        };
        let this_month = self.today.with_day(1)?;
        let date = if let Some((offset, mend)) = self.number_word(k, "monthref") {
            end = mend;
            let month = if offset >= 0 {
                this_month.checked_add_months(Months::new(offset as u32))
            } else {
                this_month.checked_sub_months(Months::new(offset.unsigned_abs() as u32))
            }?;
            first_of(month)
        } else if let Some((m, mend)) = self.number_word(k, "month") {
            end = mend;
            if let Some((y, 4)) = self.digits(mend) {
                end = mend + 1;
                first_of(NaiveDate::from_ymd_opt(y as i32, m as u32, 1)?)
            } else {
                let this = self.today.year();
                let years: Vec<i32> = if self.future() {
                    vec![this, this + 1]
                } else {
                    vec![this, this - 1]
                };
                years
                    .into_iter()
                    .filter_map(|y| first_of(NaiveDate::from_ymd_opt(y, m as u32, 1)?))
                    .find(|d| {
                        if self.future() {
                            *d >= self.today
                        } else {
                            *d <= self.today
                        }
                    })
            }
        } else {
            first_of(this_month)
        };
        found(date.ok_or(Reason::NoSuchDate), i, end, 0.85, "nth_weekday")
    }

    /// "1st week of October on Friday", "de eerste week van oktober op
    /// vrijdag": that weekday in the nth week (Monday to Sunday) of the month,
    /// counting the week of the 1st as the first.
    fn week_of_month(&self, i: usize) -> Option<Found> {
        let j = self
            .word(i, "article")
            .filter(|_| !self.is_text(i, &["en", "on", "op"]))
            .unwrap_or(i);
        let (n, end, ordinal) = self.day(j)?;
        if !ordinal || !(1..=5).contains(&n) || self.text_word(end, "unit") != Some(("w", end + 1))
        {
            return None;
        }
        let mut k = end + 1;
        if self.word(k, "connector").is_some() {
            k += 1;
        }
        let (m, mend) = self.number_word(k, "month")?;
        let (year, mut k) = match self.digits(mend) {
            Some((y, 4)) => (Some(y as i32), mend + 1),
            _ => (None, mend),
        };
        if self.is_text(k, &["on", "op", "le", "au"]) {
            k += 1;
        }
        let (wd, wend) = self.weekday(k, false)?;
        let day_in = |y: i32| -> Option<NaiveDate> {
            let first = NaiveDate::from_ymd_opt(y, m as u32, 1)?;
            let in_week = first.checked_add_signed(Duration::weeks(n as i64 - 1))?;
            let d = Self::in_week_of(in_week, wd);
            // The first week's Tuesday is in the month even when the 1st is a Sunday.
            if d < first {
                d.checked_add_signed(Duration::weeks(1))
            } else {
                Some(d)
            }
        };
        let date = match year {
            Some(y) => day_in(y),
            None => {
                let this = self.today.year();
                let step = if self.future() { 1 } else { -1 };
                [this, this + step]
                    .into_iter()
                    .filter_map(day_in)
                    .find(|d| self.on_the_policy_side(*d))
            }
        };
        found(
            date.ok_or(Reason::OutOfRange),
            i,
            wend,
            0.85,
            "week_of_month",
        )
    }

    /// "le dernier vendredi de juin", "de laatste zaterdag in juni", "the
    /// last day of the month": the last such day of a month.
    fn last_of_month(&self, i: usize) -> Option<Found> {
        let j = self
            .word(i, "article")
            .filter(|_| !self.is_text(i, &["en", "on", "op"]))
            .unwrap_or(i);
        let j = self.word(j, "last")?;
        let (wd, mut end) = match self.weekday(j, false) {
            Some((wd, end)) => (Some(wd), end),
            None if self.is_text(j, &["jour", "dag", "day"]) => (None, j + 1),
            None => return None,
        };
        let mut k = end;
        if self.word(k, "connector").is_some() && self.number_word(k, "monthref").is_none() {
            k += 1;
        }
        let last_of = |first: NaiveDate| -> Option<NaiveDate> {
            let mut d = first.checked_add_months(Months::new(1))?.pred_opt()?;
            if let Some(wd) = wd {
                while d.weekday() != wd {
                    d = d.pred_opt()?;
                }
            }
            Some(d)
        };
        let this_month = self.today.with_day(1)?;
        let date = if let Some((offset, mend)) = self.number_word(k, "monthref") {
            end = mend;
            let month = if offset >= 0 {
                this_month.checked_add_months(Months::new(offset as u32))
            } else {
                this_month.checked_sub_months(Months::new(offset.unsigned_abs() as u32))
            }?;
            last_of(month)
        } else {
            let (m, mend) = self.number_word(k, "month")?;
            end = mend;
            if let Some((y, 4)) = self.digits(mend) {
                end = mend + 1;
                last_of(NaiveDate::from_ymd_opt(y as i32, m as u32, 1)?)
            } else {
                let this = self.today.year();
                let step = if self.future() { 1 } else { -1 };
                [this, this + step]
                    .into_iter()
                    .filter_map(|y| last_of(NaiveDate::from_ymd_opt(y, m as u32, 1)?))
                    .find(|d| self.on_the_policy_side(*d))
            }
        };
        found(
            date.ok_or(Reason::OutOfRange),
            i,
            end,
            0.85,
            "last_of_month",
        )
    }

    /// "two Sundays from now", "over twee zondagen", "dans deux dimanches",
    /// "three Fridays ago": the nth such weekday after (before) today.
    fn weekday_count(&self, i: usize) -> Option<Found> {
        let (prefix, j) = if let Some(end) = self.word(i, "ago_before") {
            (Some(-1), end)
        } else if let Some(end) = self.word(i, "in") {
            (Some(1), end)
        } else {
            (None, i)
        };
        let j = match prefix {
            Some(_) => self.word(j, "about").unwrap_or(j),
            None => j,
        };
        let (n, cend) = match self.digits(j) {
            Some((n, len)) if len <= 2 => (n as i64, j + 1),
            Some(_) => return None,
            None => self
                .number_word(j, "num")
                .or_else(|| self.number_word(j, "count"))?,
        };
        if !(1..=52).contains(&n) {
            return None;
        }
        let (wd, wend) = match self.number_word(cend, "weekdays") {
            Some((_, end)) => (self.weekday_of(cend, end)?, end),
            // "two monday later": the singular, but only with a word after.
            None => self.weekday(cend, false)?,
        };
        let (sign, end) = if let Some(e) = self.word(wend, "later") {
            (1, e)
        } else if let Some(e) = self.word(wend, "ago_after") {
            (-1, e)
        } else if let Some(e) = self.word(wend, "from").and_then(|k| self.word(k, "now")) {
            (1, e)
        } else if let Some(p) = prefix {
            // "in two Sundays"; "in two Sunday" is no phrasing.
            self.number_word(cend, "weekdays")?;
            (p, wend)
        } else {
            return None;
        };
        let first = self.nearest_weekday(wd, sign > 0, false);
        let date = first
            .checked_add_signed(Duration::weeks(sign * (n - 1)))
            .ok_or(Reason::OutOfRange);
        found(date, i, end, 0.85, "weekday_count")
    }

    /// The weekday a plural ("zondagen") names.
    fn weekday_of(&self, i: usize, end: usize) -> Option<Weekday> {
        let (n, e) = self.number_word(i, "weekdays")?;
        (e == end).then_some(())?;
        Weekday::try_from(u8::try_from(n - 1).ok()?).ok()
    }

    /// A count of units: "3 jours", "twee weken", "1 month, 21 days", "a fortnight".
    fn span(&self, i: usize) -> Option<(Span, usize)> {
        let mut total = Span::default();
        let mut j = i;
        let mut terms = 0;
        loop {
            let count = if let Some((n, len)) = self.digits(j) {
                (len <= 5).then_some((n as i64, j + 1))
            } else {
                self.number_word(j, "num")
                    .or_else(|| self.number_word(j, "few"))
                    .or_else(|| self.number_word(j, "count"))
            };
            let Some((n, cend)) = count else { break };
            let Some((unit, uend)) = self.text_word(cend, "unit") else {
                break;
            };
            match unit {
                "d" => total.days += n,
                "w" => total.days += 7 * n,
                "f" => total.days += 14 * n,
                "m" => total.months += n,
                "y" => total.months += 12 * n,
                "b" => total.working_days += n,
                _ => break,
            }
            terms += 1;
            j = uend;
            let next = if self.is_text(j, &["en", "and", "et"]) {
                j + 1
            } else {
                j
            };
            if self.span_term(next) {
                j = next;
                continue;
            }
            break;
        }
        (terms > 0).then_some((total, j))
    }

    fn span_term(&self, i: usize) -> bool {
        let count_end = self
            .digits(i)
            .map(|_| i + 1)
            .or_else(|| self.number_word(i, "num").map(|(_, e)| e))
            .or_else(|| self.number_word(i, "count").map(|(_, e)| e));
        count_end.is_some_and(|e| self.word(e, "unit").is_some())
    }

    /// "dans 3 jours", "il y a 5 jours", "over twee weken", "3 dagen geleden",
    /// "2 weeks ago", "two days after tomorrow", "4 maanden vanaf morgen".
    fn offset(&self, i: usize, depth: u8) -> Option<Found> {
        let (prefix, j) = if let Some(end) = self.word(i, "ago_before") {
            (Some(-1), end)
        } else if let Some(end) = self.word(i, "in") {
            (Some(1), end)
        } else {
            (None, i)
        };
        let j = match prefix {
            Some(_) => self.word(j, "about").unwrap_or(j),
            None => j,
        };
        let (span, end) = self.span(j)?;
        let today = Ok(self.today);
        let (anchor, sign, end) = if prefix == Some(-1) {
            (today, -1, end)
        } else if let Some(e) = self.word(end, "ago_after") {
            (today, -1, e)
        } else if let Some(e) = self.word(end, "later") {
            (today, 1, e)
        } else if let Some((sign, k)) = self
            .word(end, "from")
            .map(|k| (1, k))
            .or_else(|| self.word(end, "before").map(|k| (-1, k)))
        {
            if let Some(e) = self.word(k, "now") {
                (today, sign, e)
            } else if let Some(anchor) = [Some(k), self.word(k, "article")]
                .into_iter()
                .flatten()
                .filter_map(|k| self.parse_at(k, depth + 1))
                .max_by_key(|f| f.end)
            {
                (anchor.date, sign, anchor.end)
            } else if let Some((year, yend)) = self.year_anchor(k) {
                (self.ymd(year, 1, 1), sign, yend)
            } else if prefix.is_some() {
                (today, 1, end)
            } else if sign < 0 {
                // "4 days before": before today.
                (today, -1, k)
            } else {
                return None;
            }
        } else if prefix.is_some() {
            (today, 1, end)
        } else if i == 0 && end == self.toks.len() {
            // "2 weeks" as the whole answer to "when?": from now.
            (today, 1, end)
        } else {
            return None;
        };
        let date = anchor.and_then(|a| self.shift(a, span, sign));
        // "in 3 days on Friday", "over twee weken op vrijdag": that week's Friday.
        let k = if self.is_text(end, &["on", "op", "le"]) {
            end + 1
        } else {
            end
        };
        if let Some((wd, wend)) = self.weekday(k, false) {
            return found(
                date.map(|d| Self::in_week_of(d, wd)),
                i,
                wend,
                0.85,
                "offset_weekday",
            );
        }
        found(date, i, end, 0.85, "offset")
    }

    /// A year as the start of a count: "2011", "the year 2011", "l'année 2011".
    fn year_anchor(&self, i: usize) -> Option<(i32, usize)> {
        let mut k = self.word(i, "article").unwrap_or(i);
        if self.is_text(k, &["year", "annee", "jaar"]) {
            k += 1;
        }
        let (y, len) = self.digits(k)?;
        if len != 4 || self.tok(k + 1).is_some_and(|t| t.digits) && self.close(k + 1) {
            return None;
        }
        Some((y as i32, k + 1))
    }

    /// "Monday two weeks from now", "jeudi, dans deux ans": the weekday in the
    /// week the offset lands in.
    fn weekday_offset(&self, i: usize, depth: u8) -> Option<Found> {
        let (wd, end) = self.weekday(i, false)?;
        let offset = self.offset(end, depth + 1)?;
        if offset.rule != "offset" {
            return None;
        }
        found(
            offset.date.map(|d| Self::in_week_of(d, wd)),
            i,
            offset.end,
            0.85,
            "weekday_offset",
        )
    }

    /// The `wd` of the week (Monday to Sunday) holding `day`.
    fn in_week_of(day: NaiveDate, wd: Weekday) -> NaiveDate {
        let shift = wd.num_days_from_monday() as i64 - day.weekday().num_days_from_monday() as i64;
        day.checked_add_signed(Duration::days(shift)).unwrap_or(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ctx(lang: Lang, now: &str, policy: DatePolicy) -> Context<'static> {
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
}
