-- A turn writes its statistics' line straight into the record
-- (`stats_lines`), in its own transaction; the fold counts the lines after
-- the last one it counted (`stats_folded.last`), moving that mark in the
-- same transaction as the counts. Before, the line went to `stats_pending`
-- and the fold copied it to `stats_lines` and deleted it: two more writes
-- of every line. SQLite commits one writer at a time and AUTOINCREMENT
-- never gives an id again (not even after the newest lines are erased),
-- so a line committed after the mark always has a greater id.
CREATE TABLE stats_lines_folded (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT,
    at_ms           INTEGER NOT NULL,
    line            TEXT NOT NULL
);
INSERT INTO stats_lines_folded (id, conversation_id, at_ms, line)
    SELECT id, conversation_id, at_ms, line FROM stats_lines ORDER BY id;
DROP TABLE stats_lines;
ALTER TABLE stats_lines_folded RENAME TO stats_lines;
CREATE INDEX stats_lines_at ON stats_lines (at_ms);
CREATE TABLE stats_folded (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
);
INSERT INTO stats_folded (id, last) SELECT 1, COALESCE(MAX(id), 0) FROM stats_lines;
-- Lines still pending join the record after the mark: the next fold
-- counts them.
INSERT INTO stats_lines (conversation_id, at_ms, line)
    SELECT conversation_id, at_ms, line FROM stats_pending ORDER BY id;
DROP TABLE stats_pending;
