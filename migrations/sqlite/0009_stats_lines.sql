-- The statistics' record is kept as written: one line per turn with all
-- its records (`stats_lines`), moved there from `stats_pending` by the fold
-- that counts it. Exploding each line into a row per record (four or five
-- a turn, each with its index entries) was most of what the fold cost, and
-- no figure reads those rows: the figures come from the daily counts and
-- the conversations' figures. An abandoned flow's duration needs when the
-- conversation last started that flow: `stats_flow_starts` keeps that, one
-- row per conversation and flow. `stats_events` now gets only the
-- abandonments for idleness (taken back if the citizen returns).
ALTER TABLE stats_pending ADD COLUMN at_ms INTEGER NOT NULL DEFAULT 0;
UPDATE stats_pending SET at_ms = COALESCE(json_extract(line, '$.at'), 0) WHERE json_valid(line);
CREATE TABLE stats_lines (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT,
    at_ms           INTEGER NOT NULL,
    line            TEXT NOT NULL
);
CREATE INDEX stats_lines_at ON stats_lines (at_ms);
CREATE TABLE stats_flow_starts (
    conversation_id TEXT NOT NULL,
    flow            TEXT NOT NULL,
    at_ms           INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, flow)
) WITHOUT ROWID;
INSERT INTO stats_flow_starts (conversation_id, flow, at_ms)
    SELECT conversation_id, flow, MAX(at_ms) FROM stats_events
    WHERE kind = 'flow_started' AND conversation_id IS NOT NULL AND flow IS NOT NULL
    GROUP BY conversation_id, flow;
DROP INDEX stats_events_starts;
