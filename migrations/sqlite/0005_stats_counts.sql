-- The statistics' counts are kept as the records are written: every record
-- adds one to its day's count in `stats_daily` (hour -1: the figures of
-- records are per day), in the turn's transaction. The dashboard reads
-- those counts, a few rows per day, instead of the records; the records
-- stay for the funnel's durations, erasure and the roll-up's purge.

-- The counts keyed by their dimensions alone (no row id): an upsert
-- writes one tree, and the dashboard's reads find the counts in it.
CREATE TABLE stats_daily_keyed (
    day        TEXT NOT NULL,
    hour       INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    lang       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    flow       TEXT NOT NULL DEFAULT '',
    step       TEXT NOT NULL DEFAULT '',
    step_index INTEGER NOT NULL DEFAULT -1,
    detail     TEXT NOT NULL DEFAULT '',
    extra      TEXT NOT NULL DEFAULT '',
    bucket     INTEGER NOT NULL DEFAULT -1,
    n          INTEGER NOT NULL,
    total      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket)
) WITHOUT ROWID;
INSERT INTO stats_daily_keyed (day, hour, channel, lang, kind, flow, step, step_index, detail, extra, bucket, n, total)
SELECT day, hour, channel, lang, kind, flow, step, step_index, detail, extra, bucket, n, total FROM stats_daily;
DROP TABLE stats_daily;
ALTER TABLE stats_daily_keyed RENAME TO stats_daily;

-- The records written so far, counted once.
INSERT INTO stats_daily (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket, n, total)
SELECT kind, day, -1, channel, lang, COALESCE(flow, ''), COALESCE(step, ''),
  COALESCE(step_index, -1), COALESCE(detail, ''), COALESCE(extra, ''), -1,
  COUNT(*), COALESCE(SUM(value), 0)
FROM stats_events WHERE kind <> ''
GROUP BY kind, day, channel, lang, COALESCE(flow, ''), COALESCE(step, ''),
  COALESCE(step_index, -1), COALESCE(detail, ''), COALESCE(extra, '')
ON CONFLICT (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket)
DO UPDATE SET n = stats_daily.n + excluded.n, total = stats_daily.total + excluded.total;

-- No query reads the records by kind and day any more.
DROP INDEX stats_events_kind_day;

-- Every turn moves its conversation's last activity: an index on it cost
-- every turn (and, on PostgreSQL, the in-place update of the row) for the
-- roll-up's sake, which reads the table once a day. The table holds the
-- retention period's conversations, which the dashboard's periods span
-- mostly: reading it through (in order) is faster than through an index
-- on the day, which costs every new conversation.
DROP INDEX stats_conversations_last;
DROP INDEX stats_conversations_day;
