//! Durations and offsets: a count of units (`3 jours`, `twee weken`,
//! `a fortnight`) before or after an anchor that is now, a date, a named
//! day or a year (`dans 3 jours`, `2 weeks ago`, `two years after 2011`).

use super::{found, Found, Parser, Span};

/// Words between a count and its unit that put the span ahead of today.
const AHEAD: &[&str] = &["upcoming", "coming", "next", "prochains", "prochaines"];

impl Parser<'_> {
    /// A count of units: "3 jours", "twee weken", "1 month, 21 days", "a fortnight".
    pub(super) fn span(&self, i: usize) -> Option<(Span, usize)> {
        let mut total = Span::default();
        let mut j = i;
        let mut terms = 0;
        loop {
            // "quinze jours" is two weeks, "acht dagen" one: said as a whole.
            if let Some((days, end)) = self.number_word(j, "duration") {
                total.days += days;
                terms += 1;
                j = self.word(end, "unit_tail").unwrap_or(end);
                break;
            }
            let count = if let Some((n, len)) = self.digits(j) {
                (len <= 5).then_some((n as i64, j + 1))
            } else {
                self.number_word(j, "num")
                    .or_else(|| self.number_word(j, "few"))
                    .or_else(|| self.number_word(j, "count"))
            };
            let Some((n, cend)) = count else { break };
            // "two upcoming days", "les deux prochains jours".
            let cend = if self.is_text(cend, AHEAD) && self.word(cend + 1, "unit").is_some() {
                cend + 1
            } else {
                cend
            };
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
            // "in three weeks' time".
            j = self.word(uend, "unit_tail").unwrap_or(uend);
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

    pub(super) fn span_term(&self, i: usize) -> bool {
        self.count_end(i)
            .is_some_and(|e| self.word(e, "unit").is_some())
    }

    fn count_end(&self, i: usize) -> Option<usize> {
        self.digits(i)
            .map(|_| i + 1)
            .or_else(|| self.number_word(i, "num").map(|(_, e)| e))
            .or_else(|| self.number_word(i, "count").map(|(_, e)| e))
    }

    /// "dans 3 jours", "il y a 5 jours", "over twee weken", "3 dagen geleden",
    /// "2 weeks ago", "two days after tomorrow", "4 maanden vanaf morgen".
    pub(super) fn offset(&self, i: usize, depth: u8) -> Option<Found> {
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
        // "two upcoming days": a count of days ahead, as "the next two days".
        let ahead = prefix.is_none() && self.count_end(j).is_some_and(|e| self.is_text(e, AHEAD));
        let (span, end) = self.span(j)?;
        let today = Ok(self.today);
        // "over 2 weken terug" is going back in two weeks: after "in", a
        // word that counts back is not this count's.
        let (anchor, sign, end) = if prefix == Some(-1) {
            (today, -1, end)
        } else if let Some(e) = self.word(end, "ago_after").filter(|_| prefix.is_none()) {
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
            } else if self.tok(k).is_none_or(|t| !t.digits) {
                // "4 days before", "deux jours après": from today.
                (today, sign, k)
            } else {
                return None;
            }
        } else if prefix.is_some() || ahead {
            (today, 1, end)
        } else if i == 0 && end == self.toks.len() {
            // "2 weeks" as the whole answer to "when?": from now.
            (today, 1, end)
        } else if let Some((wd, wend)) = self
            .is_text(end, &["on"])
            .then(|| self.weekday(end + 1, false))
            .flatten()
            .filter(|_| span.months == 0 && span.working_days == 0 && span.days % 7 == 0)
        {
            // "a week on Tuesday", "a fortnight on Friday" (British): weeks
            // after the coming Tuesday, as "Tuesday week".
            let coming = self.nearest_weekday(wd, true, true);
            return found(
                self.shift(coming, span, 1),
                i,
                wend,
                0.85,
                "weeks_on_weekday",
            );
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
    pub(super) fn year_anchor(&self, i: usize) -> Option<(i32, usize)> {
        let mut k = self
            .word(i, "article")
            .or_else(|| self.is_text(i, &["het"]).then_some(i + 1))
            .unwrap_or(i);
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
    pub(super) fn weekday_offset(&self, i: usize, depth: u8) -> Option<Found> {
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

    /// "the second week after this Friday", "le troisième jour après Noël",
    /// "de tweede week na Pasen": the nth unit after (before) an anchor,
    /// that is n units from it.
    pub(super) fn ordinal_offset(&self, i: usize, depth: u8) -> Option<Found> {
        let j = self
            .word(i, "article")
            .filter(|_| !self.is_text(i, &["en", "on", "op"]))
            .unwrap_or(i);
        let (n, end, true) = self.day(j)? else {
            return None;
        };
        let (unit, uend) = self.text_word(end, "unit")?;
        let n = i64::from(n);
        let span = match unit {
            "d" => Span {
                days: n,
                ..Span::default()
            },
            "w" => Span {
                days: 7 * n,
                ..Span::default()
            },
            "m" => Span {
                months: n,
                ..Span::default()
            },
            "y" => Span {
                months: 12 * n,
                ..Span::default()
            },
            "b" => Span {
                working_days: n,
                ..Span::default()
            },
            _ => return None,
        };
        let (sign, k) = self
            .word(uend, "from")
            .map(|k| (1, k))
            .or_else(|| self.word(uend, "before").map(|k| (-1, k)))?;
        let anchor = self.anchor_at(k, depth)?;
        let date = anchor.date.and_then(|a| self.shift(a, span, sign));
        found(date, i, anchor.end, 0.85, "ordinal_offset")
    }
}
