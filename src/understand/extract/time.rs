//! Times of day in a whole sentence: `14h30`, `14u30`, `14:30`, `2:30 pm`,
//! `à 9 heures`, `om 9 uur`, `trois heures et demie`, `half drie`,
//! `kwart voor drie`, `quarter past two`, `midi`, `midnight`.
//!
//! A time said in words without am/pm ("half drie", "trois heures") is read
//! between 07:00 and 20:00: citizens talk about office hours. Digits are
//! read as written (24-hour clocks are the norm in Belgium).

use super::date::lexicon::{lexicon, words_of, Lexicon, Tok};
use super::{longest_readings, Context, Extraction, Reading, Reason};
use crate::understand::normalize::Input;
use crate::values::{Lang, Value};
use chrono::NaiveTime;

const MAX_INPUT: usize = 10_000;

pub fn extract(input: &Input, ctx: &Context) -> Extraction {
    let mut toks = words_of(input);
    toks.retain(|t| t.end <= MAX_INPUT);
    let parser = Parser {
        toks: &toks,
        folded: &input.folded.text,
        lex: lexicon(),
        lang: ctx.lang,
    };
    let found: Vec<Found> = (0..toks.len()).filter_map(|i| parser.parse_at(i)).collect();
    let readings = found
        .into_iter()
        .filter_map(|f| {
            let (first, last) = (toks.get(f.start)?, toks.get(f.end.checked_sub(1)?)?);
            Some(Reading {
                value: f.time.map(Value::Time),
                folded: first.start..last.end,
                words: f.end - f.start,
                confidence: f.confidence,
                rule: format!("time:{}", f.rule),
                alternative: None,
            })
        })
        .collect();
    longest_readings(input, readings)
}

#[derive(Debug, Clone)]
struct Found {
    time: Result<NaiveTime, Reason>,
    start: usize,
    end: usize,
    confidence: f32,
    rule: &'static str,
}

fn hm(hour: u32, minute: u32) -> Result<NaiveTime, Reason> {
    let hour = if hour == 24 && minute == 0 { 0 } else { hour };
    NaiveTime::from_hms_opt(hour, minute, 0).ok_or(Reason::OutOfRange)
}

/// A word-clock hour without am/pm, read in office hours: 1-6 are afternoon.
fn office_hours(hour: u32) -> u32 {
    if (1..=6).contains(&hour) {
        hour + 12
    } else {
        hour
    }
}

struct Parser<'a> {
    toks: &'a [Tok<'a>],
    folded: &'a str,
    lex: &'static Lexicon,
    lang: Lang,
}

impl Parser<'_> {
    fn tok(&self, i: usize) -> Option<&Tok<'_>> {
        self.toks.get(i)
    }

    fn word(&self, i: usize, kind: &str) -> Option<usize> {
        self.lex
            .longest(self.toks, i, kind, self.lang)
            .map(|(_, e)| e)
    }

    fn value(&self, i: usize, kind: &str) -> Option<(&'static str, usize)> {
        let (e, end) = self.lex.longest(self.toks, i, kind, self.lang)?;
        Some((e.value.as_str(), end))
    }

    fn digits(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.tok(i)?;
        if !t.digits || t.text.len() > 4 {
            return None;
        }
        Some((t.text.parse().ok()?, t.text.len()))
    }

    fn between(&self, i: usize) -> Option<&str> {
        let (prev, cur) = (self.tok(i.checked_sub(1)?)?, self.tok(i)?);
        self.folded.get(prev.end..cur.start)
    }

    /// An hour in digits (up to two of them) or in words.
    fn hour(&self, i: usize) -> Option<(u32, usize, bool)> {
        if let Some((h, len)) = self.digits(i) {
            return (len <= 2).then_some((h, i + 1, true));
        }
        let (e, end) = self.lex.longest(self.toks, i, "num", self.lang)?;
        let h: u32 = e.value.parse().ok()?;
        (h <= 24).then_some((h, end, false))
    }

    /// am/pm after a time, applied to the hour.
    fn meridiem(&self, i: usize, hour: u32) -> (u32, usize, bool) {
        match self.value(i, "ampm") {
            Some(("pm", end)) if hour < 12 => (hour + 12, end, true),
            Some(("am", end)) if hour == 12 => (0, end, true),
            Some((_, end)) => (hour, end, true),
            None => (hour, i, false),
        }
    }

    fn parse_at(&self, i: usize) -> Option<Found> {
        [
            self.clock_word(i),
            self.digital(i),
            self.with_hour_word(i),
            self.half_quarter(i),
            self.at_hour(i),
        ]
        .into_iter()
        .flatten()
        .max_by(|a, b| {
            a.end
                .cmp(&b.end)
                .then(a.confidence.total_cmp(&b.confidence))
        })
    }

    /// midi, minuit, middag, noon, midnight.
    fn clock_word(&self, i: usize) -> Option<Found> {
        let (v, end) = self.value(i, "clock")?;
        let n: u32 = v.parse().ok()?;
        Some(Found {
            time: hm(n / 100, n % 100),
            start: i,
            end,
            confidence: 0.9,
            rule: "clock_word",
        })
    }

    /// 14:30, 2:30 pm, 9.15 uur.
    fn digital(&self, i: usize) -> Option<Found> {
        let (h, hl) = self.digits(i)?;
        let sep = self.between(i + 1)?;
        let (m, ml) = self.digits(i + 1)?;
        if hl > 2 || ml != 2 || !(sep == ":" || sep == ".") {
            return None;
        }
        // Part of a date or a longer number ("15.03.2025", "1:2:3").
        if self.digits(i + 2).is_some() && matches!(self.between(i + 2), Some(":" | "." | "/")) {
            return None;
        }
        if i > 0
            && self.tok(i - 1).is_some_and(|t| t.digits)
            && matches!(self.between(i), Some(":" | "." | "/"))
        {
            return None;
        }
        let (h2, end, marked) = self.meridiem(i + 2, h);
        let end = self.word(end, "hourword").unwrap_or(end);
        if sep == "." && !marked && end == i + 2 {
            return None;
        }
        Some(Found {
            time: hm(h2, m),
            start: i,
            end,
            confidence: 0.9,
            rule: "digital",
        })
    }

    /// 14h30, 14u, 9 heures, om 9 uur, trois heures et demie, 2 pm, 10 o'clock.
    fn with_hour_word(&self, i: usize) -> Option<Found> {
        let (h, after_hour, in_digits) = self.hour(i)?;
        let (hour, mut end, minutes) = if let Some(e) = self.word(after_hour, "hourword") {
            let mut minutes = 0;
            let mut end = e;
            if let Some((m, ml)) = self.digits(e) {
                if ml <= 2
                    && self.tok(e).is_some_and(|t| {
                        t.joined
                            || !self.tok(e + 1).is_some_and(|n| {
                                !n.digits
                                    && self
                                        .lex
                                        .longest(self.toks, e + 1, "unit", self.lang)
                                        .is_some()
                            })
                    })
                {
                    minutes = m;
                    end = e + 1;
                }
            } else {
                let k = self.word(e, "past").unwrap_or(e);
                if let Some((m, mend)) = self.value(k, "quarter").or_else(|| self.value(k, "half"))
                {
                    minutes = m.parse().unwrap_or(0);
                    end = mend;
                } else if let Some(t) = self.word(e, "to") {
                    if let Some((_, qend)) = self.value(t, "quarter") {
                        // "quatre heures moins le quart".
                        let hour = if h == 0 { 23 } else { h - 1 };
                        let hour = if in_digits { hour } else { office_hours(hour) };
                        let (hour, end, _) = self.meridiem(qend, hour);
                        return Some(Found {
                            time: hm(hour, 45),
                            start: i,
                            end,
                            confidence: 0.85,
                            rule: "hour_to_quarter",
                        });
                    }
                }
            }
            (h, end, minutes)
        } else if self.value(after_hour, "ampm").is_some() {
            (h, after_hour, 0)
        } else {
            return None;
        };
        let (hour2, mend, marked) = self.meridiem(end, hour);
        end = mend;
        let hour = if !marked && !in_digits {
            office_hours(hour2)
        } else {
            hour2
        };
        if minutes > 59 || hour > 24 {
            return Some(Found {
                time: Err(Reason::OutOfRange),
                start: i,
                end,
                confidence: 0.9,
                rule: "hour_word",
            });
        }
        Some(Found {
            time: hm(hour, minutes),
            start: i,
            end,
            confidence: if in_digits { 0.9 } else { 0.85 },
            rule: "hour_word",
        })
    }

    /// half drie, kwart over twee, kwart voor drie, half past two, quarter to three,
    /// tien over half drie is not handled.
    fn half_quarter(&self, i: usize) -> Option<Found> {
        let (minutes, forward, k) = if let Some((_, e)) = self.value(i, "half") {
            if let Some(p) = self.word(e, "past") {
                (30, true, p)
            } else {
                // Dutch "half drie" is half an hour before three.
                (30, false, e)
            }
        } else if let Some((_, e)) = self.value(i, "quarter") {
            if let Some(p) = self.word(e, "past") {
                (15, true, p)
            } else if let Some(t) = self.word(e, "to") {
                (15, false, t)
            } else {
                return None;
            }
        } else {
            let (m, mend, _) = self.hour(i)?;
            if !(1..=29).contains(&m) {
                return None;
            }
            if let Some(p) = self.word(mend, "past") {
                (m, true, p)
            } else if let Some(t) = self.word(mend, "to") {
                (m, false, t)
            } else {
                return None;
            }
        };
        let (h, end, _) = self.hour(k)?;
        if h > 24 || h == 0 {
            return None;
        }
        let (hour, minute) = if forward {
            (h, minutes)
        } else {
            (h - 1, 60 - minutes)
        };
        let (hour, end, marked) = self.meridiem(end, hour);
        let hour = if marked { hour } else { office_hours(hour) };
        Some(Found {
            time: hm(hour, minute),
            start: i,
            end,
            confidence: 0.85,
            rule: "half_quarter",
        })
    }

    /// "à 9", "om 14", "at 10": a bare hour after a preposition.
    fn at_hour(&self, i: usize) -> Option<Found> {
        let j = self.word(i, "at")?;
        let (h, hl) = self.digits(j)?;
        if hl > 2 || h > 23 || self.tok(j + 1).is_some_and(|t| t.joined) {
            return None;
        }
        if self.digits(j + 1).is_some() {
            return None;
        }
        Some(Found {
            time: hm(h, 0),
            start: i,
            end: j + 1,
            confidence: 0.6,
            rule: "at_hour",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::DatePolicy;
    use super::*;
    use proptest::prelude::*;

    fn ctx(lang: Lang) -> Context<'static> {
        Context {
            lang,
            now: chrono::NaiveDate::from_ymd_opt(2025, 3, 12)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
            policy: DatePolicy::Future,
            order: Default::default(),
            choice: None,
        }
    }

    fn best(text: &str, lang: Lang) -> Option<String> {
        let out = extract(&Input::new(text), &ctx(lang));
        out.best().map(|c| match &c.value {
            Value::Time(t) => t.format("%H:%M").to_string(),
            other => format!("{other:?}"),
        })
    }

    #[test]
    fn french_times() {
        use Lang::Fr;
        assert_eq!(best("rendez-vous à 14h30", Fr).as_deref(), Some("14:30"));
        assert_eq!(best("vers 14h", Fr).as_deref(), Some("14:00"));
        assert_eq!(best("à 9 heures", Fr).as_deref(), Some("09:00"));
        assert_eq!(best("10 heures et quart", Fr).as_deref(), Some("10:15"));
        assert_eq!(best("trois heures et demie", Fr).as_deref(), Some("15:30"));
        assert_eq!(best("à midi", Fr).as_deref(), Some("12:00"));
        assert_eq!(best("minuit", Fr).as_deref(), Some("00:00"));
        assert_eq!(best("14:30", Fr).as_deref(), Some("14:30"));
    }

    #[test]
    fn dutch_times() {
        use Lang::Nl;
        assert_eq!(best("om 14u30", Nl).as_deref(), Some("14:30"));
        assert_eq!(best("om 9 uur", Nl).as_deref(), Some("09:00"));
        assert_eq!(best("half drie", Nl).as_deref(), Some("14:30"));
        assert_eq!(best("kwart over twee", Nl).as_deref(), Some("14:15"));
        assert_eq!(best("kwart voor drie", Nl).as_deref(), Some("14:45"));
        assert_eq!(best("'s middags", Nl), None);
        assert_eq!(best("rond de middag", Nl).as_deref(), Some("12:00"));
    }

    #[test]
    fn english_times() {
        use Lang::En;
        assert_eq!(best("at 2:30 pm", En).as_deref(), Some("14:30"));
        assert_eq!(best("2 pm", En).as_deref(), Some("14:00"));
        assert_eq!(best("9am", En).as_deref(), Some("09:00"));
        assert_eq!(best("noon", En).as_deref(), Some("12:00"));
        assert_eq!(best("midnight", En).as_deref(), Some("00:00"));
        assert_eq!(best("quarter past two", En).as_deref(), Some("14:15"));
        assert_eq!(best("half past nine", En).as_deref(), Some("09:30"));
    }

    #[test]
    fn impossible_times_are_rejected() {
        for text in ["25h", "14h75", "25:00"] {
            let out = extract(&Input::new(text), &ctx(Lang::Fr));
            assert!(out.candidates.is_empty(), "{text}");
            assert_eq!(
                out.rejected.first().map(|r| r.reason),
                Some(Reason::OutOfRange),
                "{text}"
            );
        }
    }

    #[test]
    fn dates_and_numbers_are_not_times() {
        assert_eq!(best("15.03.2025", Lang::Fr), None);
        assert_eq!(best("12.50 euros", Lang::Fr), None);
        assert_eq!(best("j'ai 3 enfants", Lang::Fr), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn never_panics(s in "\\PC{0,80}|[0-9:h. ]{0,16}( pm| uur| heures)?") {
            let input = Input::new(&s);
            for lang in Lang::ALL {
                let _ = extract(&input, &ctx(lang));
            }
        }
    }
}
