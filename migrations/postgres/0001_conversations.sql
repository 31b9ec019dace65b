-- Conversations, their numbered logs, client message ids and owed actions.
-- Times are Unix milliseconds.
CREATE TABLE conversations (
    id           TEXT PRIMARY KEY,
    token_hash   BYTEA NOT NULL,
    channel      TEXT NOT NULL,
    external_key TEXT,
    lang         TEXT,
    session      TEXT NOT NULL,
    last_seq     BIGINT NOT NULL DEFAULT 0,
    offered      TEXT NOT NULL DEFAULT '[]',
    created_ms   BIGINT NOT NULL,
    updated_ms   BIGINT NOT NULL
);
CREATE UNIQUE INDEX conversations_external ON conversations (channel, external_key)
    WHERE external_key IS NOT NULL;
CREATE INDEX conversations_updated ON conversations (updated_ms);

CREATE TABLE events (
    conversation_id TEXT NOT NULL,
    seq             BIGINT NOT NULL,
    body            TEXT NOT NULL,
    at_ms           BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

CREATE TABLE inputs (
    conversation_id TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    answer          TEXT NOT NULL,
    at_ms           BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, client_id)
);

CREATE TABLE actions (
    conversation_id TEXT NOT NULL,
    action_id       TEXT NOT NULL,
    name            TEXT NOT NULL,
    args            TEXT NOT NULL,
    client_id       TEXT,
    token_hash      BYTEA NOT NULL UNIQUE,
    state           TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, action_id)
);
CREATE INDEX actions_owed ON actions (state, updated_ms);
