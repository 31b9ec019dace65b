//! A turn's statistics, written in its transaction (see `store::stats`):
//! one statement for the conversation's figures and the records.

use super::backend;
use crate::serve::store::{StatsWrite, StoreError};
use deadpool_postgres::Object;

pub(super) async fn write_stats(
    c: &Object,
    id: &str,
    st: &StatsWrite,
    now_ms: i64,
) -> Result<(), StoreError> {
    let kinds: Vec<&str> = st.events.iter().map(|e| e.kind.as_str()).collect();
    let flows: Vec<Option<&str>> = st.events.iter().map(|e| e.flow.as_deref()).collect();
    let steps: Vec<Option<&str>> = st.events.iter().map(|e| e.step.as_deref()).collect();
    let indexes: Vec<Option<i64>> = st.events.iter().map(|e| e.step_index).collect();
    let details: Vec<Option<&str>> = st.events.iter().map(|e| e.detail.as_deref()).collect();
    let extras: Vec<Option<&str>> = st.events.iter().map(|e| e.extra.as_deref()).collect();
    let values: Vec<Option<i64>> = st.events.iter().map(|e| e.value).collect();
    // A citizen back after their flows were recorded abandoned: those
    // records were wrong (`prev` reads the row as it was).
    let s = c
        .prepare_cached(
            "WITH prev AS (SELECT idle_ms FROM stats_conversations WHERE conversation_id = $1),
             up AS (
               INSERT INTO stats_conversations (conversation_id, started_ms, day, hour, channel, lang, messages, last_ms)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $2)
               ON CONFLICT (conversation_id) DO UPDATE SET messages = stats_conversations.messages + excluded.messages,
                 last_ms = excluded.last_ms, lang = excluded.lang, idle_ms = NULL),
             undo AS (
               DELETE FROM stats_events WHERE conversation_id = $1 AND kind = 'flow_abandoned' AND detail = 'idle'
                 AND EXISTS (SELECT 1 FROM prev WHERE idle_ms IS NOT NULL))
             INSERT INTO stats_events (conversation_id, at_ms, day, hour, channel, lang, kind, flow, step, step_index, detail, extra, value)
             SELECT $1, $2, $3, $4, $5, $6, t.kind, t.flow, t.step, t.step_index, t.detail, t.extra,
               CASE WHEN t.kind = 'flow_abandoned' THEN $2 - (SELECT MAX(e.at_ms) FROM stats_events e
                 WHERE e.conversation_id = $1 AND e.kind = 'flow_started' AND e.flow = t.flow) ELSE t.value END
             FROM UNNEST($8::TEXT[], $9::TEXT[], $10::TEXT[], $11::BIGINT[], $12::TEXT[], $13::TEXT[], $14::BIGINT[])
               AS t(kind, flow, step, step_index, detail, extra, value)",
        )
        .await
        .map_err(backend)?;
    c.execute(
        &s,
        &[
            &id,
            &now_ms,
            &st.day,
            &st.hour,
            &st.channel,
            &st.lang,
            &st.messages,
            &kinds,
            &flows,
            &steps,
            &indexes,
            &details,
            &extras,
            &values,
        ],
    )
    .await
    .map_err(backend)?;
    for u in &st.unmatched {
        let s = c
            .prepare_cached(
                "INSERT INTO stats_unmatched (conversation_id, at_ms, day, channel, lang, text, closest, score, ambiguous)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .await
            .map_err(backend)?;
        c.execute(
            &s,
            &[
                &id,
                &now_ms,
                &st.day,
                &st.channel,
                &st.lang,
                &u.text,
                &u.closest,
                &u.score,
                &i64::from(u.ambiguous),
            ],
        )
        .await
        .map_err(backend)?;
    }
    Ok(())
}
