//! A turn's statistics, written in its transaction (see `store::stats`):
//! one statement for the conversation's figures, the records and their
//! days' counts, left pending (`stats_daily_pending`, migration 0007) so
//! that concurrent turns never wait on the same count's row.

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
    // records were wrong (`prev` reads the row as it was), and their counts
    // go with them. The turn's records never are idle abandonments: the
    // counts it adds to are other rows than those it takes from.
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
                 AND EXISTS (SELECT 1 FROM prev WHERE idle_ms IS NOT NULL)
               RETURNING day, channel, lang, COALESCE(flow, '') AS flow, COALESCE(step, '') AS step,
                 COALESCE(step_index, -1) AS step_index, value),
             uncount AS (
               UPDATE stats_daily d SET n = d.n - g.n, total = d.total - g.total
               FROM (SELECT day, channel, lang, flow, step, step_index, COUNT(*) AS n,
                       COALESCE(SUM(value), 0) AS total
                     FROM undo GROUP BY day, channel, lang, flow, step, step_index) g
               WHERE d.kind = 'flow_abandoned' AND d.day = g.day AND d.hour = -1 AND d.channel = g.channel
                 AND d.lang = g.lang AND d.flow = g.flow AND d.step = g.step AND d.step_index = g.step_index
                 AND d.detail = 'idle' AND d.extra = '' AND d.bucket = -1),
             ins AS (
               INSERT INTO stats_events (conversation_id, at_ms, day, hour, channel, lang, kind, flow, step, step_index, detail, extra, value)
               SELECT $1, $2, $3, $4, $5, $6, t.kind, t.flow, t.step, t.step_index, t.detail, t.extra,
                 CASE WHEN t.kind = 'flow_abandoned' THEN $2 - (SELECT MAX(e.at_ms) FROM stats_events e
                   WHERE e.conversation_id = $1 AND e.kind = 'flow_started' AND e.flow = t.flow) ELSE t.value END
               FROM UNNEST($8::TEXT[], $9::TEXT[], $10::TEXT[], $11::BIGINT[], $12::TEXT[], $13::TEXT[], $14::BIGINT[])
                 AS t(kind, flow, step, step_index, detail, extra, value)
               RETURNING kind, flow, step, step_index, detail, extra, value)
             INSERT INTO stats_daily_pending (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket, n, total)
             SELECT kind, $3, -1, $5, $6, COALESCE(flow, ''), COALESCE(step, ''), COALESCE(step_index, -1),
               COALESCE(detail, ''), COALESCE(extra, ''), -1, COUNT(*), COALESCE(SUM(value), 0)
             FROM ins
             GROUP BY kind, COALESCE(flow, ''), COALESCE(step, ''), COALESCE(step_index, -1),
               COALESCE(detail, ''), COALESCE(extra, '')",
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
