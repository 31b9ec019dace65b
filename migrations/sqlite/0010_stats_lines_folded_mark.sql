-- A turn writes its statistics' line straight into the record
-- (`stats_lines`), in its own transaction; the fold counts the lines after
-- the last one it counted (`stats_folded.last`), moving that mark in the
-- same transaction as the counts. Before, the line went to `stats_pending`
-- and the fold copied it to `stats_lines` and deleted it: two more writes
-- of every line. SQLite commits one writer at a time, and a line's id is
-- one more than both the mark and the greatest id (see `write_pending`),
-- so a line committed after the mark always has a greater id, even after
-- the newest lines were erased.
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
