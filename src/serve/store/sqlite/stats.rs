//! A turn's statistics: one line, written on the turn's last event
//! (`events.stats`, in the row the turn writes anyway) or, for a write
//! with no event, on its own (`stats_lines`); folded in with other turns'
//! by the writer (see `store::stats_fold`): the lines after the last ones
//! folded (`stats_folded`: `events_last` and `last`), their days' counts
//! added once per transaction.

use super::backend;
use super::writer::Counts;
use crate::serve::store::stats::undo_idle_counts;
use crate::serve::store::stats_fold::Batch;
use crate::serve::store::StoreError;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;

/// Writes the line of a write with no event, to be folded.
pub(super) fn write_pending(
    c: &Connection,
    id: &str,
    line: &str,
    now_ms: i64,
) -> Result<(), StoreError> {
    // After the mark and after every line: an id the newest lines, erased,
    // left free would be behind the mark, and never counted.
    c.prepare_cached(
        "INSERT INTO stats_lines (id, conversation_id, line, at_ms)
         VALUES (MAX(COALESCE((SELECT last FROM stats_folded), 0),
                     COALESCE((SELECT MAX(id) FROM stats_lines), 0)) + 1, ?1, ?2, ?3)",
    )
    .and_then(|mut s| s.execute(params![id, line, now_ms]))
    .map_err(backend)?;
    Ok(())
}

/// Whether lines wait to be folded.
pub(super) const ANY_PENDING: &str =
    "SELECT EXISTS (SELECT 1 FROM events WHERE id > (SELECT events_last FROM stats_folded) AND stats IS NOT NULL)
         OR EXISTS (SELECT 1 FROM stats_lines WHERE id > (SELECT last FROM stats_folded))";

/// Lines after a mark, the oldest first: (id, conversation, time, line).
type Lines = Vec<(i64, String, i64, String)>;

fn lines_after(c: &Connection, sql: &str, limit: i64) -> Result<Lines, StoreError> {
    c.prepare_cached(sql)
        .and_then(|mut s| {
            s.query_map([limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect()
        })
        .map_err(backend)
}

/// Folds `limit` lines at most after the last ones folded, the oldest
/// first, in the writer's transaction; returns how many.
pub(super) fn fold_records(
    c: &Connection,
    limit: i64,
    counts: &mut Counts,
) -> Result<u64, StoreError> {
    let on_events = lines_after(
        c,
        "SELECT id, conversation_id, at_ms, stats FROM events
         WHERE id > (SELECT events_last FROM stats_folded) AND stats IS NOT NULL
         ORDER BY id LIMIT ?1",
        limit,
    )?;
    let alone = lines_after(
        c,
        "SELECT id, conversation_id, at_ms, line FROM stats_lines
         WHERE id > (SELECT last FROM stats_folded) ORDER BY id LIMIT ?1",
        limit - on_events.len() as i64,
    )?;
    if on_events.is_empty() && alone.is_empty() {
        return Ok(0);
    }
    let folded = (on_events.len() + alone.len()) as u64;
    let marks = (on_events.last().map(|l| l.0), alone.last().map(|l| l.0));
    // Each conversation's lines in the order they were written: by time,
    // then by id within each kind (a conversation's turns take turns).
    let mut rows: Vec<(i64, i64, String, String)> = on_events
        .into_iter()
        .map(|(id, conv, at, line)| (at, id, conv, line))
        .chain(
            alone
                .into_iter()
                .map(|(id, conv, at, line)| (at, id, conv, line)),
        )
        .collect();
    rows.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    let ordered = rows
        .into_iter()
        .enumerate()
        .map(|(i, (_, _, conv, line))| (i as i64, conv, line))
        .collect();
    let mut b = Batch::from_rows(ordered);
    // A citizen back after their flows were recorded abandoned for
    // idleness: those records were wrong, and their counts go with them.
    for id in &b.maybe_idle {
        let idle: Option<Option<i64>> = c
            .prepare_cached("SELECT idle_ms FROM stats_conversations WHERE conversation_id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(backend)?;
        if let Some(Some(_)) = idle {
            c.prepare_cached(&undo_idle_counts("?1"))
                .and_then(|mut s| s.execute([id]))
                .map_err(backend)?;
            c.prepare_cached(
                "DELETE FROM stats_events WHERE conversation_id = ?1 AND kind = 'flow_abandoned' AND detail = 'idle'",
            )
            .and_then(|mut s| s.execute([id]))
            .map_err(backend)?;
        }
    }
    // Abandoned flows started before these lines: when, from their record.
    let mut starts = HashMap::new();
    for (id, flow) in b.starts_needed() {
        let at: Option<i64> = c
            .prepare_cached(
                "SELECT at_ms FROM stats_flow_starts WHERE conversation_id = ?1 AND flow = ?2",
            )
            .and_then(|mut s| s.query_row(params![id, flow], |r| r.get(0)).optional())
            .map_err(backend)?;
        if let Some(at) = at {
            starts.insert((id, flow), at);
        }
    }
    b.set_starts(&starts);
    {
        let mut upsert = c
            .prepare_cached(
                "INSERT INTO stats_conversations (conversation_id, started_ms, day, hour, channel, lang, messages, last_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (conversation_id) DO UPDATE SET messages = messages + excluded.messages,
                    last_ms = excluded.last_ms, lang = excluded.lang, idle_ms = NULL",
            )
            .map_err(backend)?;
        for f in &b.figures {
            upsert
                .execute(params![
                    f.conversation_id,
                    f.started_ms,
                    f.day,
                    f.hour,
                    f.channel,
                    f.lang,
                    f.messages,
                    f.last_ms
                ])
                .map_err(backend)?;
        }
    }
    {
        let mut upsert = c
            .prepare_cached(
                "INSERT INTO stats_flow_starts (conversation_id, flow, at_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT (conversation_id, flow) DO UPDATE SET at_ms = MAX(at_ms, excluded.at_ms)",
            )
            .map_err(backend)?;
        for (id, flow, at) in b.flow_starts() {
            upsert.execute(params![id, flow, at]).map_err(backend)?;
        }
    }
    for (key, n, total) in b.counts() {
        counts.add_many(key, n, total);
    }
    {
        let mut insert = c
            .prepare_cached(
                "INSERT INTO stats_unmatched (conversation_id, at_ms, day, channel, lang, text, closest, score, ambiguous)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )
            .map_err(backend)?;
        for u in &b.unmatched {
            insert
                .execute(params![
                    u.conversation_id,
                    u.at_ms,
                    u.day,
                    u.channel,
                    u.lang,
                    u.message.text,
                    u.message.closest,
                    u.message.score,
                    i64::from(u.message.ambiguous)
                ])
                .map_err(backend)?;
        }
    }
    // The lines themselves stay as the record: counted up to the marks.
    if let Some(last) = marks.0 {
        c.prepare_cached("UPDATE stats_folded SET events_last = ?1")
            .and_then(|mut s| s.execute([last]))
            .map_err(backend)?;
    }
    if let Some(last) = marks.1 {
        c.prepare_cached("UPDATE stats_folded SET last = ?1")
            .and_then(|mut s| s.execute([last]))
            .map_err(backend)?;
    }
    Ok(folded)
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    /// Applies the migrations whose versions are in `versions`, in order.
    fn migrate(c: &Connection, versions: std::ops::RangeInclusive<i64>) {
        for (version, sql) in super::super::MIGRATIONS {
            if versions.contains(version) {
                c.execute_batch(sql).unwrap();
            }
        }
    }

    /// A turn's statistics: one message, in French on the web.
    fn one_message() -> crate::serve::store::StatsWrite {
        crate::serve::store::StatsWrite {
            day: "2026-03-02".into(),
            channel: "web".into(),
            lang: "fr".into(),
            messages: 1,
            ..Default::default()
        }
    }

    /// Folds what is pending; returns how many lines.
    fn fold(c: &Connection) -> u64 {
        let mut counts = super::Counts::default();
        super::fold_records(c, 250, &mut counts).unwrap()
    }

    /// Each conversation's messages counted in its figures.
    fn messages(c: &Connection) -> Vec<(String, i64)> {
        c.prepare(
            "SELECT conversation_id, messages FROM stats_conversations ORDER BY conversation_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    #[test]
    fn the_lines_migration_dates_the_lines_left_pending_before_it() {
        let c = Connection::open_in_memory().unwrap();
        migrate(&c, 1..=8);
        let write = crate::serve::store::StatsWrite::default();
        let line = crate::serve::store::stats_fold::pending_line(1_234_567, &write);
        c.execute(
            "INSERT INTO stats_pending (conversation_id, line) VALUES ('a', ?1), ('b', '{not json')",
            [&line],
        )
        .unwrap();
        migrate(&c, 9..=9);
        let at: Vec<(String, i64)> = c
            .prepare("SELECT conversation_id, at_ms FROM stats_pending ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(at, vec![("a".into(), 1_234_567), ("b".into(), 0)]);
    }

    #[test]
    fn lines_written_after_the_mark_are_folded_once_even_after_the_newest_are_erased() {
        let c = Connection::open_in_memory().unwrap();
        migrate(&c, 1..=9);
        let write = one_message();
        let line = crate::serve::store::stats_fold::pending_line(1_000, &write);
        // One line folded before the migration, one still pending.
        c.execute(
            "INSERT INTO stats_lines (conversation_id, at_ms, line) VALUES ('a', 1000, ?1)",
            [&line],
        )
        .unwrap();
        c.execute(
            "INSERT INTO stats_pending (conversation_id, line, at_ms) VALUES ('b', ?1, 1000)",
            [&line],
        )
        .unwrap();
        migrate(&c, 10..=i64::MAX);
        // Only the line left pending is counted; both stay as the record.
        assert_eq!(fold(&c), 1);
        assert_eq!(fold(&c), 0);
        assert_eq!(messages(&c), vec![("b".into(), 1)]);
        let lines: i64 = c
            .query_row("SELECT COUNT(*) FROM stats_lines", [], |r| r.get(0))
            .unwrap();
        assert_eq!(lines, 2);
        // The newest line erased, the next one still lands after the mark.
        c.execute("DELETE FROM stats_lines WHERE conversation_id = 'b'", [])
            .unwrap();
        let line = crate::serve::store::stats_fold::pending_line(2_000, &write);
        super::write_pending(&c, "c", &line, 2_000).unwrap();
        assert_eq!(fold(&c), 1);
        assert_eq!(messages(&c), vec![("b".into(), 1), ("c".into(), 1)]);
    }

    #[test]
    fn lines_on_events_are_folded_once_even_after_the_newest_events_are_erased() {
        let c = Connection::open_in_memory().unwrap();
        migrate(&c, 1..=i64::MAX);
        let write = one_message();
        let event = |conv: &str, seq: i64, at: i64, line: bool| {
            let line = line.then(|| crate::serve::store::stats_fold::pending_line(at, &write));
            c.execute(
                "INSERT INTO events (conversation_id, seq, body, at_ms, stats) VALUES (?1, ?2, '{}', ?3, ?4)",
                rusqlite::params![conv, seq, at, line],
            )
            .unwrap();
        };
        // Two turns of "a" (their user's event carries no line, their
        // last does), one of "b", and a line with no event.
        event("a", 1, 1_000, false);
        event("a", 2, 1_000, true);
        event("b", 1, 1_500, true);
        event("a", 3, 2_000, false);
        event("a", 4, 2_000, true);
        let line = crate::serve::store::stats_fold::pending_line(2_500, &write);
        super::write_pending(&c, "c", &line, 2_500).unwrap();
        assert_eq!(fold(&c), 4);
        assert_eq!(fold(&c), 0);
        assert_eq!(
            messages(&c),
            vec![("a".into(), 2), ("b".into(), 1), ("c".into(), 1)]
        );
        // The newest conversation erased: the next event takes its id,
        // and its line is still counted, once.
        c.execute("DELETE FROM events WHERE conversation_id = 'a'", [])
            .unwrap();
        event("d", 1, 3_000, true);
        assert_eq!(fold(&c), 1);
        assert_eq!(fold(&c), 0);
        assert_eq!(
            messages(&c),
            vec![
                ("a".into(), 2),
                ("b".into(), 1),
                ("c".into(), 1),
                ("d".into(), 1)
            ]
        );
    }

    #[test]
    fn the_events_migrations_keep_every_event_in_its_order_and_count_no_line_twice() {
        let c = Connection::open_in_memory().unwrap();
        migrate(&c, 1..=11);
        // Two conversations' logs as a store before them kept them.
        c.execute_batch(
            "INSERT INTO events (conversation_id, seq, body, at_ms, client_id) VALUES
               ('b', 1, 'b1', 2000, 'x'), ('a', 2, 'a2', 1000, 'y'),
               ('a', 1, 'a1', 1000, 'y'), ('b', 2, 'b2', 3000, NULL);",
        )
        .unwrap();
        migrate(&c, 12..=i64::MAX);
        let log = |conv: &str| -> Vec<(i64, String, Option<String>)> {
            c.prepare(
                "SELECT seq, body, client_id FROM events WHERE conversation_id = ?1 ORDER BY seq",
            )
            .unwrap()
            .query_map([conv], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
        };
        assert_eq!(
            log("a"),
            vec![
                (1, "a1".into(), Some("y".into())),
                (2, "a2".into(), Some("y".into()))
            ]
        );
        assert_eq!(
            log("b"),
            vec![(1, "b1".into(), Some("x".into())), (2, "b2".into(), None)]
        );
        // A conversation's number is still taken once.
        assert!(c
            .execute(
                "INSERT INTO events (conversation_id, seq, body, at_ms) VALUES ('a', 2, 'again', 4000)",
                [],
            )
            .is_err());
        // The events written before have no line; the mark is after them.
        let mark: i64 = c
            .query_row("SELECT events_last FROM stats_folded", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mark, 4);
        assert_eq!(fold(&c), 0);
    }

    #[test]
    fn the_counts_migration_counts_the_records_written_before_it() {
        let c = Connection::open_in_memory().unwrap();
        migrate(&c, 1..=4);
        c.execute_batch(
            "INSERT INTO stats_events (conversation_id, at_ms, day, hour, channel, lang, kind, flow, step, step_index, detail, extra, value) VALUES
               ('a', 1, '2026-03-02', 9, 'web', 'fr', 'slot_asked', 'creche', 'name', 0, NULL, NULL, NULL),
               ('b', 2, '2026-03-02', 10, 'web', 'fr', 'slot_asked', 'creche', 'name', 0, NULL, NULL, NULL),
               ('b', 3, '2026-03-02', 10, 'web', 'fr', 'flow_abandoned', 'creche', 'name', 0, 'idle', NULL, 5000);
             INSERT INTO stats_daily (day, hour, channel, lang, kind, flow, step, step_index, n, total)
               VALUES ('2026-03-01', 9, 'web', 'fr', 'slot_asked', 'creche', 'name', 0, 4, 0);",
        )
        .unwrap();
        migrate(&c, 5..=5);
        let mut s = c
            .prepare("SELECT day, hour, kind, detail, n, total FROM stats_daily ORDER BY day, kind")
            .unwrap();
        let rows: Vec<(String, i64, String, String, i64, i64)> = s
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let row = |day: &str, hour, kind: &str, detail: &str, n, total| {
            (day.into(), hour, kind.into(), detail.into(), n, total)
        };
        assert_eq!(
            rows,
            vec![
                // Rolled up before: kept as it was.
                row("2026-03-01", 9, "slot_asked", "", 4, 0),
                // The records: one count per day and what they share.
                row("2026-03-02", -1, "flow_abandoned", "idle", 1, 5000),
                row("2026-03-02", -1, "slot_asked", "", 2, 0),
            ]
        );
    }
}
