-- A turn's statistics records wait in `stats_pending`, one JSON line per
-- turn (one plain insert in the turn's transaction, no index but the key),
-- until the store folds the lines of many turns into the records, the
-- conversations' figures and the daily counts in one transaction (see
-- `store::stats_fold`). Writing them in each turn, one statement on four
-- tables, cost nearly half the turns a replica answered.
CREATE TABLE stats_pending (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    line            TEXT NOT NULL
);
