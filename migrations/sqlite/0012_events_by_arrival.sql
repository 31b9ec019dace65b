-- The conversations' logs in the order they were written, found by
-- conversation through an index. Kept by conversation (a table without
-- rowid, keyed by conversation and number), every turn inserted its
-- events in the middle of the table, where that conversation's log ends:
-- each full leaf was split with its neighbours, and each split copied
-- whole events into the pages above. A turn wrote close to three pages of
-- the table. In arrival order the turns of one commit share the table's
-- last page, and each turn changes one leaf of the index (whose entries
-- are a conversation's id and a number).
CREATE TABLE events_by_arrival (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    body            TEXT NOT NULL,
    at_ms           INTEGER NOT NULL,
    client_id       TEXT
);
INSERT INTO events_by_arrival (conversation_id, seq, body, at_ms, client_id)
    SELECT conversation_id, seq, body, at_ms, client_id FROM events ORDER BY at_ms, conversation_id, seq;
DROP TABLE events;
ALTER TABLE events_by_arrival RENAME TO events;
CREATE UNIQUE INDEX events_seq ON events (conversation_id, seq);
