-- The demo back office (`guichet serve --demo`): requests and payments.
CREATE TABLE demo_sequences (
    name  TEXT NOT NULL,
    year  BIGINT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (name, year)
);

CREATE TABLE demo_requests (
    reference       TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    updated         TEXT NOT NULL,
    conversation_id TEXT,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
);

CREATE TABLE demo_payments (
    id              TEXT PRIMARY KEY,
    reference       TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    amount          TEXT NOT NULL,
    currency        TEXT NOT NULL,
    communication   TEXT NOT NULL,
    description     TEXT NOT NULL,
    lang            TEXT NOT NULL,
    status          TEXT NOT NULL,
    callback_url    TEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
);
