//! Absolute dates: numeric (`15/03/2025`, `2025-03-15`, `20250315`) and
//! with a month name in any order (`le 1er mai 2024`, `March 15th`,
//! `2020/Sep/23`), a year said in words, and "this 5/12".

use super::{found, Found, Parser, Part, Parts};
use crate::understand::extract::{DateOrder, Reason};
use chrono::{Datelike, NaiveDate};

/// A date read from pieces, how sure, and its month and day when no year was said.
type PartsRead = (Result<NaiveDate, Reason>, f32, Option<(u32, u32)>);

impl Parser<'_> {
    /// A full date with a month and/or year: numeric or with a month name.
    pub(super) fn full_date(&self, i: usize) -> Option<Found> {
        [self.numeric(i), self.month_name(i)]
            .into_iter()
            .flatten()
            .max_by_key(|f| f.end)
    }

    /// 15/03/2025, 15-3-25, 2025-03-15, 15.3, 22/04, 02 04 2009.
    pub(super) fn numeric(&self, i: usize) -> Option<Found> {
        let (a, la) = self.digits(i)?;
        if la > 4 {
            return None;
        }
        // Inside a longer run of numbers (a phone number, an amount): not a date.
        // A clock time just before ("12:45 15/3/2012") is not such a run.
        if i > 0
            && self.tok(i - 1).is_some_and(|t| t.digits)
            && self.separator(i).is_some()
            && !(i >= 2 && self.clock_at(i - 2) && self.separator(i + 1).is_some_and(|c| c != ' '))
        {
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
                && !(s1 != ' ' && self.separator(k) == Some(' ') && self.clock_at(k))
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
        // "17 02" only after an article ("le 17 02") or as the whole answer.
        let spaced_ok = i
            .checked_sub(1)
            .is_some_and(|a| self.word(a, "article") == Some(i))
            || (i == 0 && i + 2 == self.toks.len());
        if la > 2 || lb > 2 || (s1 == ' ' && !spaced_ok) || s1 == ',' || longer(i + 2) {
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
        let mut f = found(date, i, i + 2, confidence, "numeric_day_month")?;
        f.yearless = Some((month, day));
        Some(f)
    }

    /// 20200701 inside a file name or a reference.
    pub(super) fn compact(&self, i: usize) -> Option<Found> {
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
    pub(super) fn after_currency(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| {
            self.folded
                .get(..t.start)
                .is_some_and(|before| before.trim_end().ends_with(['$', '€', '£']))
        })
    }

    /// The pieces of a date written with a month name, in any order.
    pub(super) fn parts(&self, i: usize) -> Parts {
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
                // "the 2nd of February in the year 1980", "en l'an 2000".
                if months > 0 {
                    if let Some(end) = self.word(j, "year_word") {
                        if matches!(self.digits(end), Some((_, 4))) {
                            j = end;
                        }
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
    pub(super) fn read_parts(&self, parts: &[(Part, usize, usize)]) -> Option<PartsRead> {
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
                Part::Number(_, 2) if year.is_none() && self.apostrophe_year(p.1).is_some() => {
                    year = self.apostrophe_year(p.1)
                }
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
            (Some(d), Some(y)) => Some((self.ymd(y, month, d), 0.95, None)),
            (Some(d), None) => Some((self.month_day(month, d), 0.9, Some((month, d)))),
            (None, Some(y)) => Some((self.ymd(y, month, 1), 0.6, None)),
            (None, None) => None,
        }
    }

    /// 15 mars, le 1er mai 2024, March 15th, 15th of March, maart 15, 2020/Sep/23.
    pub(super) fn month_name(&self, i: usize) -> Option<Found> {
        let parts = self.parts(i);
        let parts = parts.as_slice();
        for n in (1..=parts.len()).rev() {
            if let Some((date, confidence, yearless)) = self.read_parts(&parts[..n]) {
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
                let mut f = found(date, i, end, confidence, "month_name")?;
                f.yearless = yearless;
                return Some(f);
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
    pub(super) fn this_date(&self, i: usize) -> Option<Found> {
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
}
