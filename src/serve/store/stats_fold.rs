//! The statistics' records of many turns, folded in at once (both stores).
//!
//! A turn keeps what it adds to the statistics (its `StatsWrite`) as one
//! JSON line, a plain insert in its own transaction. The store then folds
//! the lines of many turns into the conversations' figures and the daily
//! counts, in one transaction of a few statements: every second, and
//! before anything reads the statistics, so that the figures stay exact.
//! The lines stay as the record. On PostgreSQL a line waits in
//! `stats_pending` and the fold moves it to `stats_lines`, kept until the
//! retention period ends; replicas fold one at a time. On SQLite (one
//! writer at a time, ids that only grow) a line is written on the turn's
//! last event (or, with no event, in `stats_lines`) and the fold counts the
//! lines after the last it counted (`stats_folded`). Either way each line
//! is counted once. The last start of each flow per
//! conversation, which an abandonment's duration needs, is kept in
//! `stats_flow_starts`. Writing the records in each turn instead (one
//! statement on four tables, with their indexes) cost a PostgreSQL replica
//! nearly half its turns.
//!
//! This module holds what needs no database: reading the lines, the
//! conversations' figures, the durations of abandoned flows, the daily
//! counts.

use super::stats::{StatEvent, StatsWrite, UnmatchedWrite};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Serialize)]
struct LineOut<'a> {
    at: i64,
    w: &'a StatsWrite,
}

#[derive(Deserialize)]
struct LineIn {
    at: i64,
    w: StatsWrite,
}

/// The line a turn at `at_ms` appends for `write` (ends with a newline).
pub fn pending_line(at_ms: i64, write: &StatsWrite) -> String {
    // Strings and numbers only: serialising cannot fail.
    let mut line = serde_json::to_string(&LineOut {
        at: at_ms,
        w: write,
    })
    .unwrap_or_default();
    line.push('\n');
    line
}

/// The dimensions of a daily count of records (`stats_daily` with hour
/// and bucket -1): kind, day, channel, language, flow, step, step index,
/// detail, extra ('' and -1 for none).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct CountKey {
    pub kind: String,
    pub day: String,
    pub channel: String,
    pub lang: String,
    pub flow: String,
    pub step: String,
    pub step_index: i64,
    pub detail: String,
    pub extra: String,
}

/// One record with its turn's time, day, channel and language.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FoldedRecord {
    pub conversation_id: String,
    pub at_ms: i64,
    pub day: String,
    pub hour: i64,
    pub channel: String,
    pub lang: String,
    pub event: StatEvent,
}

/// What a conversation's folded turns add to its figures: where it
/// started (if it is new), its messages, its last activity and language.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Figures {
    pub conversation_id: String,
    pub started_ms: i64,
    pub day: String,
    pub hour: i64,
    pub channel: String,
    pub lang: String,
    pub messages: i64,
    pub last_ms: i64,
}

/// A message not understood, with its turn's time, day, channel, language.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FoldedUnmatched {
    pub conversation_id: String,
    pub at_ms: i64,
    pub day: String,
    pub channel: String,
    pub lang: String,
    pub message: UnmatchedWrite,
}

/// The pending lines of some conversations, read.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    pub figures: Vec<Figures>,
    pub records: Vec<FoldedRecord>,
    pub unmatched: Vec<FoldedUnmatched>,
    /// Conversations a citizen came back to after a quiet spell: the idle
    /// abandonments recorded meanwhile, if any, are taken back first.
    pub maybe_idle: Vec<String>,
    /// Lines that could not be read (left out, and logged by the caller).
    pub unreadable: usize,
    /// Abandonments (indexes in `records`) of flows started before the
    /// batch: their duration needs the stored record of the start.
    open: Vec<usize>,
}

impl Batch {
    /// Reads each conversation's pending lines (its id and its lines, in the
    /// order written).
    pub fn read(pending: Vec<(String, String)>) -> Batch {
        let mut b = Batch::default();
        for (id, text) in pending {
            let mut starts: HashMap<String, i64> = HashMap::new();
            let mut figures: Option<Figures> = None;
            let mut idle = false;
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let Ok(LineIn { at, w }) = serde_json::from_str::<LineIn>(line) else {
                    b.unreadable += 1;
                    continue;
                };
                idle |= w.maybe_idle;
                match &mut figures {
                    None => {
                        figures = Some(Figures {
                            conversation_id: id.clone(),
                            started_ms: at,
                            day: w.day.clone(),
                            hour: w.hour,
                            channel: w.channel.clone(),
                            lang: w.lang.clone(),
                            messages: w.messages,
                            last_ms: at,
                        })
                    }
                    Some(f) => {
                        f.messages += w.messages;
                        f.last_ms = at;
                        f.lang.clone_from(&w.lang);
                    }
                }
                for mut event in w.events {
                    match (event.kind.as_str(), &event.flow) {
                        ("flow_started", Some(flow)) => {
                            starts.insert(flow.clone(), at);
                        }
                        ("flow_abandoned", flow) => {
                            // How long the flow had run, from its last start.
                            event.value = flow.as_ref().and_then(|f| starts.get(f)).map(|s| at - s);
                            if event.value.is_none() && flow.is_some() {
                                b.open.push(b.records.len());
                            }
                        }
                        _ => {}
                    }
                    b.records.push(FoldedRecord {
                        conversation_id: id.clone(),
                        at_ms: at,
                        day: w.day.clone(),
                        hour: w.hour,
                        channel: w.channel.clone(),
                        lang: w.lang.clone(),
                        event,
                    });
                }
                for message in w.unmatched {
                    b.unmatched.push(FoldedUnmatched {
                        conversation_id: id.clone(),
                        at_ms: at,
                        day: w.day.clone(),
                        channel: w.channel.clone(),
                        lang: w.lang.clone(),
                        message,
                    });
                }
            }
            if idle {
                b.maybe_idle.push(id.clone());
            }
            if let Some(f) = figures {
                b.figures.push(f);
            }
        }
        b
    }

    /// Reads pending rows as the store keeps them (id, conversation, line):
    /// each conversation's lines together, in the order its turns wrote
    /// them (one turn at a time per conversation: the order of their ids).
    /// Lines that cannot be read are logged and left out.
    pub fn from_rows(mut rows: Vec<(i64, String, String)>) -> Batch {
        rows.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        let mut pending: Vec<(String, String)> = Vec::new();
        for (_, id, line) in rows {
            match pending.last_mut() {
                Some((prev, text)) if *prev == id => text.push_str(&line),
                _ => pending.push((id, line)),
            }
        }
        let b = Batch::read(pending);
        if b.unreadable > 0 {
            tracing::warn!(
                lines = b.unreadable,
                "statistics lines could not be read and are left out"
            );
        }
        b
    }

    /// The (conversation, flow) pairs whose last recorded start the store
    /// must give (`set_starts`), each once.
    pub fn starts_needed(&self) -> Vec<(String, String)> {
        let mut seen = HashSet::new();
        self.open
            .iter()
            .filter_map(|&i| {
                let r = &self.records[i];
                let pair = (r.conversation_id.clone(), r.event.flow.clone()?);
                seen.insert(pair.clone()).then_some(pair)
            })
            .collect()
    }

    /// The durations of the abandonments whose flow started before the
    /// batch, from `starts`: the last start of each (conversation, flow).
    pub fn set_starts(&mut self, starts: &HashMap<(String, String), i64>) {
        for &i in &self.open {
            let r = &mut self.records[i];
            if let Some(flow) = &r.event.flow {
                if let Some(start) = starts.get(&(r.conversation_id.clone(), flow.clone())) {
                    r.event.value = Some(r.at_ms - start);
                }
            }
        }
    }

    /// The last start of each (conversation, flow) in the batch, in key
    /// order: what `stats_flow_starts` keeps, for the durations of flows
    /// abandoned later. Every record stays in its turn's line
    /// (`stats_lines`), which is the record as written.
    pub fn flow_starts(&self) -> Vec<(String, String, i64)> {
        let mut last: BTreeMap<(&str, &str), i64> = BTreeMap::new();
        for r in &self.records {
            if r.event.kind != "flow_started" {
                continue;
            }
            if let Some(flow) = r.event.flow.as_deref() {
                let at = last
                    .entry((r.conversation_id.as_str(), flow))
                    .or_insert(r.at_ms);
                *at = (*at).max(r.at_ms);
            }
        }
        last.into_iter()
            .map(|((c, f), at)| (c.to_string(), f.to_string(), at))
            .collect()
    }

    /// The daily counts the records add to, in key order (so that two
    /// transactions adding to the same rows take their locks in one order):
    /// each key with its number of records and the sum of their values.
    pub fn counts(&self) -> Vec<(CountKey, i64, i64)> {
        let mut counts: BTreeMap<CountKey, (i64, i64)> = BTreeMap::new();
        for r in &self.records {
            let e = &r.event;
            let key = CountKey {
                kind: e.kind.clone(),
                day: r.day.clone(),
                channel: r.channel.clone(),
                lang: r.lang.clone(),
                flow: e.flow.clone().unwrap_or_default(),
                step: e.step.clone().unwrap_or_default(),
                step_index: e.step_index.unwrap_or(-1),
                detail: e.detail.clone().unwrap_or_default(),
                extra: e.extra.clone().unwrap_or_default(),
            };
            let c = counts.entry(key).or_insert((0, 0));
            c.0 += 1;
            c.1 += e.value.unwrap_or(0);
        }
        counts.into_iter().map(|(k, (n, t))| (k, n, t)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: &str, flow: Option<&str>) -> StatEvent {
        StatEvent {
            kind: kind.into(),
            flow: flow.map(str::to_string),
            ..StatEvent::default()
        }
    }

    fn write(lang: &str, messages: i64, events: Vec<StatEvent>) -> StatsWrite {
        StatsWrite {
            day: "2026-03-02".into(),
            hour: 9,
            channel: "web".into(),
            lang: lang.into(),
            messages,
            events,
            ..StatsWrite::default()
        }
    }

    #[test]
    fn lines_fold_into_figures_records_and_counts() {
        let mut text = pending_line(
            1_000,
            &write(
                "fr",
                1,
                vec![
                    event("conversation_started", None),
                    event("flow_started", Some("creche")),
                ],
            ),
        );
        text.push_str(&pending_line(
            4_000,
            &write("nl", 1, vec![event("flow_abandoned", Some("creche"))]),
        ));
        let mut other = write("en", 1, vec![event("flow_abandoned", Some("parking"))]);
        other.maybe_idle = true;
        other.unmatched.push(UnmatchedWrite {
            text: "ik wil een ***".into(),
            closest: Some("creche".into()),
            score: 420,
            ambiguous: false,
        });
        let mut b = Batch::read(vec![
            ("a".into(), text),
            ("b".into(), pending_line(9_000, &other)),
        ]);
        assert_eq!(b.unreadable, 0);
        assert_eq!(b.figures.len(), 2);
        let a = &b.figures[0];
        assert_eq!((a.started_ms, a.last_ms, a.messages), (1_000, 4_000, 2));
        assert_eq!(a.lang, "nl", "the language of the last turn");
        assert_eq!(b.maybe_idle, vec!["b".to_string()]);
        assert_eq!(b.unmatched.len(), 1);
        assert_eq!(b.unmatched[0].at_ms, 9_000);
        // Started in the batch: the duration is known; started before: the
        // store must say when.
        assert_eq!(b.records[2].event.value, Some(3_000));
        assert_eq!(b.records[3].event.value, None);
        assert_eq!(
            b.starts_needed(),
            vec![("b".to_string(), "parking".to_string())]
        );
        let starts = HashMap::from([(("b".to_string(), "parking".to_string()), 2_500)]);
        b.set_starts(&starts);
        assert_eq!(b.records[3].event.value, Some(6_500));
        let counts = b.counts();
        let abandoned: Vec<_> = counts
            .iter()
            .filter(|(k, _, _)| k.kind == "flow_abandoned")
            .map(|(k, n, t)| (k.flow.as_str(), k.lang.as_str(), *n, *t))
            .collect();
        assert_eq!(
            abandoned,
            // In key order: the language before the flow.
            vec![("parking", "en", 1, 6_500), ("creche", "nl", 1, 3_000)]
        );
        assert_eq!(counts.iter().map(|(_, n, _)| n).sum::<i64>(), 4);
        // The flow start is kept for later abandonments.
        assert_eq!(
            b.flow_starts(),
            vec![("a".to_string(), "creche".to_string(), 1_000)]
        );
    }

    #[test]
    fn a_flow_started_twice_keeps_its_last_start() {
        let mut text = pending_line(
            1_000,
            &write("fr", 1, vec![event("flow_started", Some("waste"))]),
        );
        text.push_str(&pending_line(
            5_000,
            &write(
                "fr",
                1,
                vec![
                    event("flow_started", Some("waste")),
                    event("slot_asked", Some("waste")),
                ],
            ),
        ));
        text.push_str(&pending_line(
            7_000,
            &write("fr", 1, vec![event("flow_started", Some("creche"))]),
        ));
        let b = Batch::read(vec![
            (
                "b".into(),
                pending_line(
                    2_000,
                    &write("nl", 1, vec![event("flow_started", Some("waste"))]),
                ),
            ),
            ("a".into(), text),
        ]);
        assert_eq!(
            b.flow_starts(),
            vec![
                ("a".to_string(), "creche".to_string(), 7_000),
                ("a".to_string(), "waste".to_string(), 5_000),
                ("b".to_string(), "waste".to_string(), 2_000),
            ]
        );
    }

    #[test]
    fn an_unreadable_line_is_left_out_and_the_others_kept() {
        let mut text = String::from("{not json\n");
        text.push_str(&pending_line(
            5,
            &write("fr", 1, vec![event("handoff", None)]),
        ));
        text.push_str("\n\n");
        let b = Batch::read(vec![("a".into(), text)]);
        assert_eq!(b.unreadable, 1);
        assert_eq!(b.records.len(), 1);
        assert_eq!(b.figures[0].messages, 1);
    }

    #[test]
    fn rows_of_several_conversations_are_read_in_each_ones_order() {
        let rows = vec![
            (
                7,
                "b".into(),
                pending_line(7, &write("fr", 1, vec![event("flow_abandoned", Some("x"))])),
            ),
            (3, "a".into(), pending_line(3, &write("fr", 1, vec![]))),
            (
                5,
                "b".into(),
                pending_line(5, &write("fr", 1, vec![event("flow_started", Some("x"))])),
            ),
        ];
        let b = Batch::from_rows(rows);
        assert_eq!(b.figures.len(), 2);
        // b's start (id 5) is read before its abandonment (id 7).
        assert_eq!(b.records[1].event.value, Some(2));
        assert!(b.starts_needed().is_empty());
    }

    #[test]
    fn a_flow_restarted_in_the_batch_counts_from_its_last_start() {
        let text = [
            pending_line(
                1_000,
                &write("fr", 1, vec![event("flow_started", Some("x"))]),
            ),
            pending_line(
                2_000,
                &write("fr", 1, vec![event("flow_started", Some("x"))]),
            ),
            pending_line(
                2_500,
                &write("fr", 1, vec![event("flow_abandoned", Some("x"))]),
            ),
        ]
        .concat();
        let b = Batch::read(vec![("a".into(), text)]);
        assert_eq!(b.records[2].event.value, Some(500));
        assert!(b.starts_needed().is_empty());
    }
}
