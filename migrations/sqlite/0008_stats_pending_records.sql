-- A turn's statistics records wait in `stats_pending`, one JSON line per
-- turn (one insert at the end of a table, in the turn's transaction), until
-- the writer folds the lines of many turns into the records, the
-- conversations' figures and the daily counts, in one transaction (see
-- `store::stats_fold`): a conversation's figures are updated once per fold
-- rather than once per turn.
CREATE TABLE stats_pending (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    line            TEXT NOT NULL
);
