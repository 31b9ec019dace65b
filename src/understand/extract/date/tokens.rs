//! Tokens: digits, number words, days of the month and weekdays as the
//! rules read them, and what separates two tokens.

use super::lexicon::{self, Tok};
use super::Parser;
use chrono::Weekday;

impl Parser<'_> {
    pub(super) fn tok(&self, i: usize) -> Option<&Tok<'_>> {
        self.toks.get(i)
    }

    pub(super) fn longest(&self, i: usize, kind: &str) -> Option<(&'static lexicon::Entry, usize)> {
        self.lex.longest(i, kind, self.lang)
    }

    pub(super) fn word(&self, i: usize, kind: &str) -> Option<usize> {
        self.longest(i, kind).map(|(_, end)| end)
    }

    pub(super) fn number_word(&self, i: usize, kind: &str) -> Option<(i64, usize)> {
        let (e, end) = self.longest(i, kind)?;
        Some((e.number()?, end))
    }

    pub(super) fn text_word(&self, i: usize, kind: &str) -> Option<(&'static str, usize)> {
        let (e, end) = self.longest(i, kind)?;
        Some((e.value.as_str(), end))
    }

    pub(super) fn is_text(&self, i: usize, words: &[&str]) -> bool {
        self.tok(i)
            .is_some_and(|t| words.contains(&t.text.as_ref()))
    }

    /// Digits at `i` (at most 8 of them, so no overflow).
    pub(super) fn digits(&self, i: usize) -> Option<(u32, usize)> {
        let t = self.tok(i)?;
        if !t.digits || t.text.len() > 8 {
            return None;
        }
        Some((t.text.parse().ok()?, t.text.len()))
    }

    /// What separates token `i` from the one before: ' ' for blanks only,
    /// the punctuation otherwise; None when it is something else.
    pub(super) fn separator(&self, i: usize) -> Option<char> {
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

    /// Whether tokens `i` and `i+1` are a clock time `12:45` (hours, a
    /// colon, two digits of minutes): a time beside a date, not more digits
    /// of a number.
    pub(super) fn clock_at(&self, i: usize) -> bool {
        let (Some((h, lh)), Some((m, 2))) = (self.digits(i), self.digits(i + 1)) else {
            return false;
        };
        let colon = self
            .tok(i)
            .zip(self.tok(i + 1))
            .and_then(|(a, b)| self.folded.get(a.end..b.start))
            .is_some_and(|between| between.trim() == ":");
        colon && lh <= 2 && h <= 24 && m <= 59
    }

    /// Whether tokens `i-1` and `i` are in the same phrase (only blanks,
    /// dashes, commas, dots or brackets between them: "[Sept] 04, 2014").
    pub(super) fn close(&self, i: usize) -> bool {
        let (Some(prev), Some(cur)) = (i.checked_sub(1).and_then(|p| self.tok(p)), self.tok(i))
        else {
            return false;
        };
        self.folded
            .get(prev.end..cur.start)
            .is_some_and(|s| s.len() <= 4 && s.chars().all(|c| " -,.'/()[]".contains(c)))
    }

    pub(super) fn after_comma(&self, i: usize) -> bool {
        self.separator(i) == Some(',')
    }

    /// A year said in words: "nineteen eighty six", "dix-neuf cent
    /// soixante-douze", "tweeduizend achttien", "two thousand and thirty two".
    pub(super) fn year_words(&self, i: usize) -> Option<(i32, usize)> {
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

    /// Two digits after an apostrophe that starts a word: a year ("Sept.
    /// '02", "zomer '98").
    pub(super) fn apostrophe_year(&self, i: usize) -> Option<i32> {
        let (n, 2) = self.digits(i)? else {
            return None;
        };
        let before = self.folded.get(..self.tok(i)?.start)?;
        let mut back = before.chars().rev();
        if !matches!(back.next(), Some('\'' | '’' | '‘')) {
            return None;
        }
        if back.next().is_some_and(char::is_alphanumeric) {
            return None;
        }
        Some(self.two_digit_year(n))
    }

    /// A year after a date or a named day: four digits, two after an
    /// apostrophe, or words ("two thousand ten", "deux mille dix-huit",
    /// "tweeduizend achttien").
    pub(super) fn year_at(&self, i: usize) -> Option<(i32, usize)> {
        if let Some((y, 4)) = self.digits(i) {
            return Some((y as i32, i + 1));
        }
        if let Some(y) = self.apostrophe_year(i) {
            return Some((y, i + 1));
        }
        // "in the year 1980", "en l'an 2000", "in het jaar 1830".
        if let Some(j) = self.word(i, "year_word") {
            if let Some((y, 4)) = self.digits(j) {
                return Some((y as i32, j + 1));
            }
        }
        self.year_words(i)
    }

    /// A day of the month: `15`, `15e`, `1er`, `21st`, `premier`, `tweede`, `vingt et un`.
    pub(super) fn day(&self, i: usize) -> Option<(u32, usize, bool)> {
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

    pub(super) fn weekday(&self, i: usize, short_too: bool) -> Option<(Weekday, usize)> {
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
}
