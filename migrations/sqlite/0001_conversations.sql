-- Conversations, their numbered logs, client message ids and owed actions.
-- Times are Unix milliseconds.
CREATE TABLE conversations (
    id           TEXT PRIMARY KEY,
    token_hash   BLOB NOT NULL,
    channel      TEXT NOT NULL,
    external_key TEXT,
    lang         TEXT,
    session      TEXT NOT NULL,
    last_seq     INTEGER NOT NULL DEFAULT 0,
    offered      TEXT NOT NULL DEFAULT '[]',
    created_ms   INTEGER NOT NULL,
    updated_ms   INTEGER NOT NULL
);
CREATE UNIQUE INDEX conversations_external ON conversations (channel, external_key)
    WHERE external_key IS NOT NULL;
CREATE INDEX conversations_updated ON conversations (updated_ms);

CREATE TABLE events (
    conversation_id TEXT NOT NULL,
    seq             INTEGER NOT NULL,
    body            TEXT NOT NULL,
    at_ms           INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;

CREATE TABLE inputs (
    conversation_id TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    answer          TEXT NOT NULL,
    at_ms           INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, client_id)
) WITHOUT ROWID;

CREATE TABLE actions (
    conversation_id TEXT NOT NULL,
    action_id       TEXT NOT NULL,
    name            TEXT NOT NULL,
    args            TEXT NOT NULL,
    client_id       TEXT,
    token_hash      BLOB NOT NULL UNIQUE,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, action_id)
);
CREATE INDEX actions_owed ON actions (state, updated_ms);
