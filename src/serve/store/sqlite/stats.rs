//! A turn's statistics, written in its transaction (see `store::stats`):
//! the conversation's figures, the records, and their days' counts (added
//! once per transaction by the writer).

use super::backend;
use super::writer::{CountKey, Counts};
use crate::serve::store::stats::undo_idle_counts;
use crate::serve::store::{StatsWrite, StoreError};
use rusqlite::{params, Connection, OptionalExtension};

pub(super) fn write_stats(
    c: &Connection,
    id: &str,
    st: &StatsWrite,
    now_ms: i64,
    counts: &mut Counts,
) -> Result<(), StoreError> {
    // A citizen back after their flows were recorded abandoned: those
    // records were wrong. (Only a conversation quiet long enough can have
    // been.)
    let idle: Option<Option<i64>> = if st.maybe_idle {
        c.prepare_cached("SELECT idle_ms FROM stats_conversations WHERE conversation_id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(backend)?
    } else {
        None
    };
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
    c.prepare_cached(
        "INSERT INTO stats_conversations (conversation_id, started_ms, day, hour, channel, lang, messages, last_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?2)
         ON CONFLICT (conversation_id) DO UPDATE SET messages = messages + excluded.messages,
            last_ms = excluded.last_ms, lang = excluded.lang, idle_ms = NULL",
    )
    .and_then(|mut s| {
        s.execute(params![
            id,
            now_ms,
            st.day,
            st.hour,
            st.channel,
            st.lang,
            st.messages
        ])
    })
    .map_err(backend)?;
    for e in &st.events {
        // An abandonment keeps how long the flow had run.
        let value = if e.kind == "flow_abandoned" {
            c.prepare_cached(
                "SELECT ?2 - MAX(at_ms) FROM stats_events
                 WHERE conversation_id = ?1 AND kind = 'flow_started' AND flow = ?3",
            )
            .and_then(|mut s| s.query_row(params![id, now_ms, e.flow], |r| r.get(0)))
            .map_err(backend)?
        } else {
            e.value
        };
        c.prepare_cached(
            "INSERT INTO stats_events (conversation_id, at_ms, day, hour, channel, lang, kind, flow, step, step_index, detail, extra, value)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .and_then(|mut s| {
            s.execute(params![
                id,
                now_ms,
                st.day,
                st.hour,
                st.channel,
                st.lang,
                e.kind,
                e.flow,
                e.step,
                e.step_index,
                e.detail,
                e.extra,
                value
            ])
        })
        .map_err(backend)?;
        counts.add(
            CountKey {
                kind: e.kind.clone(),
                day: st.day.clone(),
                channel: st.channel.clone(),
                lang: st.lang.clone(),
                flow: e.flow.clone().unwrap_or_default(),
                step: e.step.clone().unwrap_or_default(),
                step_index: e.step_index.unwrap_or(-1),
                detail: e.detail.clone().unwrap_or_default(),
                extra: e.extra.clone().unwrap_or_default(),
            },
            value.unwrap_or(0),
        );
    }
    for u in &st.unmatched {
        c.prepare_cached(
            "INSERT INTO stats_unmatched (conversation_id, at_ms, day, channel, lang, text, closest, score, ambiguous)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .and_then(|mut s| {
            s.execute(params![
                id,
                now_ms,
                st.day,
                st.channel,
                st.lang,
                u.text,
                u.closest,
                u.score,
                i64::from(u.ambiguous)
            ])
        })
        .map_err(backend)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    #[test]
    fn the_counts_migration_counts_the_records_written_before_it() {
        let c = Connection::open_in_memory().unwrap();
        let apply = |upto: i64| {
            for (version, sql) in super::super::MIGRATIONS {
                if *version == upto {
                    c.execute_batch(sql).unwrap();
                }
            }
        };
        for v in 1..=4 {
            apply(v);
        }
        c.execute_batch(
            "INSERT INTO stats_events (conversation_id, at_ms, day, hour, channel, lang, kind, flow, step, step_index, detail, extra, value) VALUES
               ('a', 1, '2026-03-02', 9, 'web', 'fr', 'slot_asked', 'creche', 'name', 0, NULL, NULL, NULL),
               ('b', 2, '2026-03-02', 10, 'web', 'fr', 'slot_asked', 'creche', 'name', 0, NULL, NULL, NULL),
               ('b', 3, '2026-03-02', 10, 'web', 'fr', 'flow_abandoned', 'creche', 'name', 0, 'idle', NULL, 5000);
             INSERT INTO stats_daily (day, hour, channel, lang, kind, flow, step, step_index, n, total)
               VALUES ('2026-03-01', 9, 'web', 'fr', 'slot_asked', 'creche', 'name', 0, 4, 0);",
        )
        .unwrap();
        apply(5);
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
