//! Weekdays alone or with a modifier (`next / this / last`, `prochain`,
//! `volgende`, `komende`), with a week (`volgende week dinsdag`), with a
//! date (`mardi 4 mars`), or counted (`two Sundays from now`).

use super::{found, Found, Parser};
use crate::understand::extract::Reason;
use chrono::{Datelike, Duration, Weekday};

impl Parser<'_> {
    /// Weekdays alone, with a modifier, with a week, or with a date.
    pub(super) fn weekday_phrase(&self, i: usize) -> Option<Found> {
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
                // "next week on Friday", "last week's Sunday".
                if self.is_text(k, &["op", "on", "le", "s"]) {
                    k += 1;
                }
                if let Some((wd, end)) = self.weekday(k, false) {
                    best.push(found(self.in_week(weeks, wd), i, end, 0.9, "week_weekday")?);
                }
            }
        }
        if let Some((wd, end)) = self.weekday(j, true) {
            let full_name = self.weekday(j, false).is_some();
            // A modifier after: "dimanche prochain", "vendredi dernier",
            // "Saturday after next", "Tuesday before last".
            let after = self
                .text_word(end, "wdmod")
                .filter(|(m, _)| matches!(*m, "next" | "prev" | "past" | "coming"))
                .or_else(|| self.text_word(end, "wdpost"))
                .filter(|_| full_name);
            // A week after: "dinsdag van vorige week", "vendredi la semaine prochaine".
            let mut k = end;
            // "dinsdag van vorige week", "Sunday from last week".
            if (self.word(k, "connector").is_some() || self.is_text(k, &["from"]))
                && self.number_word(k, "week").is_none()
            {
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
            // "last Monday": last week's, as "next Monday" is next week's;
            // the one just gone is as plausible when it is this week's.
            let last_gone = self.nearest_weekday(wd, false, false);
            let this_week = self.in_week(0, wd).ok().filter(|d| *d > self.today);
            let week = |d: Result<chrono::NaiveDate, Reason>, weeks: i64| {
                d.and_then(|d| {
                    d.checked_add_signed(Duration::weeks(weeks))
                        .ok_or(Reason::OutOfRange)
                })
            };
            let date = match modifier {
                Some("next") => self.in_week(1, wd),
                // "Saturday after next", "overvolgende zaterdag": a week
                // after next week's; "Tuesday before last", "voorvorige
                // dinsdag": a week before last week's.
                Some("after_next") => self.in_week(2, wd),
                Some("before_last") => self.in_week(-2, wd),
                // "ce lundi", "this Monday": this week's, or, looking ahead
                // when this week's is gone, the coming one.
                Some("this") => self.in_week(0, wd).map(|d| {
                    if self.future() && d < self.today {
                        self.nearest_weekday(wd, true, true)
                    } else {
                        d
                    }
                }),
                Some("prev") => self.in_week(-1, wd),
                Some("coming") => Ok(self.nearest_weekday(wd, true, false)),
                Some("past") => Ok(self.nearest_weekday(wd, false, false)),
                _ => Ok(self.nearest_weekday(wd, self.future(), true)),
            };
            let plain = modifier.is_none();
            // "mercredi en huit", "jeudi en quinze", "Friday week": a week
            // (or two) after the coming one, today's counting.
            if plain && full_name {
                if let Some((days, wend)) = self.number_word(end, "wdafter") {
                    let date = self
                        .nearest_weekday(wd, true, true)
                        .checked_add_signed(Duration::days(days))
                        .ok_or(Reason::OutOfRange);
                    best.push(found(date, i, wend, 0.9, "weekday_weeks_after")?);
                }
            }
            // Truly ambiguous: a bare weekday that is today (today, or the
            // one a week away?), and "next Wednesday" said before Wednesday
            // in the same week (this week's, or the next week's?).
            let today_wd = self.today.weekday();
            let alt = match modifier {
                None if wd == today_wd => {
                    let week = if self.future() { 7 } else { -7 };
                    self.today.checked_add_signed(Duration::days(week))
                }
                Some("next") => this_week,
                Some("after_next") => week(this_week.ok_or(Reason::OutOfRange), 1).ok(),
                // "last Monday" said on a Sunday: six days ago, or thirteen?
                Some("prev") => Some(last_gone),
                Some("before_last") => week(Ok(last_gone), -1).ok(),
                _ => None,
            };
            if plain || j == i {
                // Weekday with a date: "mardi 4 mars", "vrijdag de 22ste", "Monday 21".
                let mut k = end;
                // "Wednesday the 10th of May", "mercredi le 10 mai".
                let full = self.full_date(k).or_else(|| {
                    self.is_text(k, &["de", "the", "le"])
                        .then(|| self.full_date(k + 1))
                        .flatten()
                });
                if let Some(full) = full {
                    // Without a year, the weekday tells which: "Sunday, Feb 10"
                    // said on 12 February is two days ago, whatever the
                    // policy; "Fri, Jul 18" is the nearest 18 July that is a
                    // Friday, within a few years (the policy's reading
                    // being offered too).
                    let near = self.weekday_year(&full, wd);
                    let mut f = found(
                        near.map_or(full.date, Ok),
                        i,
                        full.end,
                        full.confidence,
                        "weekday_date",
                    )?;
                    f.alt = near.and(full.date.as_ref().ok().copied());
                    best.push(f);
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
            // A lone abbreviation ("ma", "do") is too often another word,
            // unless it is the whole answer ("lun.", "za.", "Thu").
            let whole_answer = i == 0 && end == self.toks.len();
            if !full_name
                && !whole_answer
                && (plain || self.tok(j).is_some_and(|t| t.text.len() < 3))
            {
            } else {
                let confidence = if plain { 0.8 } else { 0.9 };
                let mut f = found(date, i, end, confidence, "weekday")?;
                f.alt = alt.filter(|a| f.date.as_ref().is_ok_and(|d| d != a));
                best.push(f);
            }
        }
        best.into_iter().max_by_key(|f| f.end)
    }

    /// "two Sundays from now", "over twee zondagen", "dans deux dimanches",
    /// "three Fridays ago": the nth such weekday after (before) today.
    pub(super) fn weekday_count(&self, i: usize) -> Option<Found> {
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

    /// The date a weekday says of a date read without its year, when the
    /// policy's reading falls on another weekday: the same day within a
    /// week of today ("Sunday, Feb 10" said on the 12th), or a year further
    /// on the policy's side ("Fri, Jul 18" said in February 2013, when 18
    /// July 2013 is a Thursday, is 18 July 2014) if it falls on `wd`; none,
    /// and the reading stays, otherwise.
    pub(super) fn weekday_year(&self, full: &Found, wd: Weekday) -> Option<chrono::NaiveDate> {
        let (Some((m, d)), Ok(x)) = (full.yearless, full.date.as_ref()) else {
            return None;
        };
        if x.weekday() == wd {
            return None;
        }
        let further = if self.future() { 1 } else { -1 };
        [x.year() - 1, x.year() + 1]
            .into_iter()
            .filter_map(|y| chrono::NaiveDate::from_ymd_opt(y, m, d))
            .filter(|date| date.weekday() == wd)
            .find(|date| {
                (*date - self.today).num_days().abs() <= 7 || date.year() == x.year() + further
            })
    }

    /// "Jul 18, Fri", "18 juillet, vendredi": a weekday after a date read
    /// without its year says which year, as before it.
    pub(super) fn weekday_after(&self, f: Found) -> Found {
        if f.yearless.is_none() || f.date.is_err() || !self.close(f.end) {
            return f;
        }
        let Some((wd, end)) = self.weekday(f.end, true) else {
            return f;
        };
        // A weekday that begins a date of its own is not this one's.
        if self.full_date(end).is_some() && self.close(end) {
            return f;
        }
        let near = self.weekday_year(&f, wd);
        let alt = near.and(f.date.as_ref().ok().copied());
        Found {
            date: near.map_or(f.date, Ok),
            end,
            alt: alt.or(f.alt),
            yearless: None,
            ..f
        }
    }

    /// The weekday a plural ("zondagen") names.
    pub(super) fn weekday_of(&self, i: usize, end: usize) -> Option<Weekday> {
        let (n, e) = self.number_word(i, "weekdays")?;
        (e == end).then_some(())?;
        Weekday::try_from(u8::try_from(n - 1).ok()?).ok()
    }
}
