//! The statistics' records turns left pending (`stats_pending`), folded
//! in (see `store::stats_fold`): the lines of many turns in one
//! transaction, a statement per table.

use super::{backend, PgStore};
use crate::serve::store::stats::undo_idle_counts;
use crate::serve::store::stats_fold::Batch;
use crate::serve::store::StoreError;
use std::collections::HashMap;

/// The lock replicas take turns on to fold (`pg_advisory_xact_lock`): one
/// folds at a time, so the lines one has read are not counted by another,
/// and a reader that folds first waits for a fold in progress.
const FOLD_LOCK: i64 = 0x6775_6963_6865_7401;

/// Folds `limit` pending lines at most, the oldest first; returns how many.
pub(super) async fn fold_records(store: &PgStore, limit: i64) -> Result<u64, StoreError> {
    let mut c = store.client().await?;
    // Most reads find nothing pending: no transaction, no lock for them.
    let any: bool = c
        .query_one("SELECT EXISTS (SELECT 1 FROM stats_pending)", &[])
        .await
        .map_err(backend)?
        .get(0);
    if !any {
        return Ok(0);
    }
    let tx = c.transaction().await.map_err(backend)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&FOLD_LOCK])
        .await
        .map_err(backend)?;
    let rows = tx
        .query(
            // The lines themselves are the record: kept, out of the
            // pending ones, in the same statement.
            "WITH moved AS (
               DELETE FROM stats_pending WHERE id IN (SELECT id FROM stats_pending ORDER BY id LIMIT $1)
               RETURNING id, conversation_id, at_ms, line),
             kept AS (
               INSERT INTO stats_lines (conversation_id, at_ms, line)
               SELECT conversation_id, at_ms, line FROM moved ORDER BY id)
             SELECT id, conversation_id, line FROM moved",
            &[&limit],
        )
        .await
        .map_err(backend)?;
    if rows.is_empty() {
        tx.commit().await.map_err(backend)?;
        return Ok(0);
    }
    let folded = rows.len() as u64;
    let lines: Vec<(i64, String, String)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let mut b = Batch::from_rows(lines);
    // A citizen back after their flows were recorded abandoned for
    // idleness: those records were wrong, and their counts go with them.
    if !b.maybe_idle.is_empty() {
        let idle = tx
            .query(
                "SELECT conversation_id FROM stats_conversations
                 WHERE conversation_id = ANY($1) AND idle_ms IS NOT NULL",
                &[&b.maybe_idle],
            )
            .await
            .map_err(backend)?;
        let undo = tx.prepare(&undo_idle_counts("$1")).await.map_err(backend)?;
        for r in idle {
            let id: String = r.get(0);
            tx.execute(&undo, &[&id]).await.map_err(backend)?;
            tx.execute(
                "DELETE FROM stats_events WHERE conversation_id = $1 AND kind = 'flow_abandoned' AND detail = 'idle'",
                &[&id],
            )
            .await
            .map_err(backend)?;
        }
    }

    // Abandoned flows started before these lines: when, from their record.
    let needed = b.starts_needed();
    if !needed.is_empty() {
        let (cs, fs): (Vec<String>, Vec<String>) = needed.into_iter().unzip();
        let starts = tx
            .query(
                "SELECT t.c, t.f, (SELECT s.at_ms FROM stats_flow_starts s
                   WHERE s.conversation_id = t.c AND s.flow = t.f)
                 FROM UNNEST($1::TEXT[], $2::TEXT[]) AS t(c, f)",
                &[&cs, &fs],
            )
            .await
            .map_err(backend)?;
        let starts: HashMap<(String, String), i64> = starts
            .iter()
            .filter_map(|r| Some(((r.get(0), r.get(1)), r.get::<_, Option<i64>>(2)?)))
            .collect();
        b.set_starts(&starts);
    }

    let f = &b.figures;
    let col = |get: fn(&crate::serve::store::stats_fold::Figures) -> String| -> Vec<String> {
        f.iter().map(get).collect()
    };
    let int = |get: fn(&crate::serve::store::stats_fold::Figures) -> i64| -> Vec<i64> {
        f.iter().map(get).collect()
    };
    tx.execute(
        "INSERT INTO stats_conversations (conversation_id, started_ms, day, hour, channel, lang, messages, last_ms)
         SELECT * FROM UNNEST($1::TEXT[], $2::BIGINT[], $3::TEXT[], $4::BIGINT[], $5::TEXT[], $6::TEXT[], $7::BIGINT[], $8::BIGINT[])
         ON CONFLICT (conversation_id) DO UPDATE SET messages = stats_conversations.messages + excluded.messages,
           last_ms = excluded.last_ms, lang = excluded.lang, idle_ms = NULL",
        &[
            &col(|x| x.conversation_id.clone()),
            &int(|x| x.started_ms),
            &col(|x| x.day.clone()),
            &int(|x| x.hour),
            &col(|x| x.channel.clone()),
            &col(|x| x.lang.clone()),
            &int(|x| x.messages),
            &int(|x| x.last_ms),
        ],
    )
    .await
    .map_err(backend)?;

    let starts = b.flow_starts();
    if !starts.is_empty() {
        tx.execute(
            "INSERT INTO stats_flow_starts (conversation_id, flow, at_ms)
             SELECT * FROM UNNEST($1::TEXT[], $2::TEXT[], $3::BIGINT[])
             ON CONFLICT (conversation_id, flow)
             DO UPDATE SET at_ms = GREATEST(stats_flow_starts.at_ms, excluded.at_ms)",
            &[
                &starts.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
                &starts.iter().map(|s| s.1.as_str()).collect::<Vec<_>>(),
                &starts.iter().map(|s| s.2).collect::<Vec<_>>(),
            ],
        )
        .await
        .map_err(backend)?;
    }

    if !b.records.is_empty() {
        let counts = b.counts();
        let key = |get: fn(&crate::serve::store::stats_fold::CountKey) -> &str| {
            counts.iter().map(|(k, _, _)| get(k)).collect::<Vec<&str>>()
        };
        tx.execute(
            &format!(
                "INSERT INTO stats_daily (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket, n, total)
                 SELECT kind, day, -1, channel, lang, flow, step, step_index, detail, extra, -1, n, total
                 FROM UNNEST($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::BIGINT[],
                   $8::TEXT[], $9::TEXT[], $10::BIGINT[], $11::BIGINT[])
                   AS t(kind, day, channel, lang, flow, step, step_index, detail, extra, n, total)
                 {}",
                crate::serve::store::stats::COUNT_UPSERT
            ),
            &[
                &key(|k| &k.kind),
                &key(|k| &k.day),
                &key(|k| &k.channel),
                &key(|k| &k.lang),
                &key(|k| &k.flow),
                &key(|k| &k.step),
                &counts.iter().map(|(k, _, _)| k.step_index).collect::<Vec<i64>>(),
                &key(|k| &k.detail),
                &key(|k| &k.extra),
                &counts.iter().map(|(_, n, _)| *n).collect::<Vec<i64>>(),
                &counts.iter().map(|(_, _, t)| *t).collect::<Vec<i64>>(),
            ],
        )
        .await
        .map_err(backend)?;
    }

    if !b.unmatched.is_empty() {
        let u = &b.unmatched;
        tx.execute(
            "INSERT INTO stats_unmatched (conversation_id, at_ms, day, channel, lang, text, closest, score, ambiguous)
             SELECT * FROM UNNEST($1::TEXT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[],
               $7::TEXT[], $8::BIGINT[], $9::BIGINT[])",
            &[
                &u.iter().map(|x| x.conversation_id.as_str()).collect::<Vec<_>>(),
                &u.iter().map(|x| x.at_ms).collect::<Vec<_>>(),
                &u.iter().map(|x| x.day.as_str()).collect::<Vec<_>>(),
                &u.iter().map(|x| x.channel.as_str()).collect::<Vec<_>>(),
                &u.iter().map(|x| x.lang.as_str()).collect::<Vec<_>>(),
                &u.iter().map(|x| x.message.text.as_str()).collect::<Vec<_>>(),
                &u.iter().map(|x| x.message.closest.as_deref()).collect::<Vec<_>>(),
                &u.iter().map(|x| x.message.score).collect::<Vec<_>>(),
                &u.iter().map(|x| i64::from(x.message.ambiguous)).collect::<Vec<_>>(),
            ],
        )
        .await
        .map_err(backend)?;
    }

    tx.commit().await.map_err(backend)?;
    Ok(folded)
}
