//! A turn's statistics, written in its transaction (see `store::stats`).

use super::backend;
use crate::serve::store::{StatsWrite, StoreError};
use rusqlite::{params, Connection, OptionalExtension};

pub(super) fn write_stats(
    c: &Connection,
    id: &str,
    st: &StatsWrite,
    now_ms: i64,
) -> Result<(), StoreError> {
    // A citizen back after their flows were recorded abandoned: those
    // records were wrong.
    let idle: Option<Option<i64>> = c
        .prepare_cached("SELECT idle_ms FROM stats_conversations WHERE conversation_id = ?1")
        .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
        .map_err(backend)?;
    if let Some(Some(_)) = idle {
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
    if !st.events.is_empty() {
        let mut insert = c
            .prepare_cached(
                "INSERT INTO stats_events (conversation_id, at_ms, day, hour, channel, lang, kind, flow, step, step_index, detail, extra, value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
                   CASE WHEN ?7 = 'flow_abandoned' THEN ?2 - (SELECT MAX(at_ms) FROM stats_events
                     WHERE conversation_id = ?1 AND kind = 'flow_started' AND flow = ?8) ELSE ?13 END)",
            )
            .map_err(backend)?;
        for e in &st.events {
            insert
                .execute(params![
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
                    e.value
                ])
                .map_err(backend)?;
        }
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
