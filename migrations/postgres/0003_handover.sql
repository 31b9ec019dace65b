-- Hand-over to staff and channels that push: a conversation's mode, the
-- cases of the staff inbox, staff accounts and sessions, the outbox of
-- messages owed to pushing channels (Messenger, a ticketing hook), and
-- the messages Messenger delivered. Times are Unix milliseconds.

-- `bot`, `waiting` (handed over, in the queue) or `staff` (held by a person).
ALTER TABLE conversations ADD COLUMN mode TEXT NOT NULL DEFAULT 'bot';

CREATE TABLE cases (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    -- `waiting`, `claimed` or `closed`
    state           TEXT NOT NULL,
    service         TEXT NOT NULL,
    reason          TEXT NOT NULL,
    flow            TEXT,
    lang            TEXT NOT NULL,
    channel         TEXT NOT NULL,
    -- JSON: {"slots": {...}, "text": "...", "text_lang": "fr"}
    summary         TEXT NOT NULL,
    handoff_seq     BIGINT NOT NULL,
    staff_login     TEXT,
    staff_name      TEXT,
    -- `returned` (handed back to the bot) or `closed`
    outcome         TEXT,
    -- When the citizen was told nobody is available and the request filed.
    filed_ms        BIGINT,
    created_ms      BIGINT NOT NULL,
    claimed_ms      BIGINT,
    closed_ms       BIGINT,
    updated_ms      BIGINT NOT NULL
);
CREATE INDEX cases_state ON cases (state, created_ms);
CREATE UNIQUE INDEX cases_one_open ON cases (conversation_id) WHERE state <> 'closed';

CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    -- `messenger`, `ticketing`
    channel         TEXT NOT NULL,
    -- The log event delivered, when the item is one.
    seq             BIGINT,
    body            TEXT NOT NULL,
    -- `due`, `claimed`, `sent` or `failed`
    state           TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    -- Parts already delivered (a long text sent in several messages).
    parts_done      BIGINT NOT NULL DEFAULT 0,
    due_ms          BIGINT NOT NULL,
    lease_ms        BIGINT NOT NULL DEFAULT 0,
    error           TEXT,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (state, due_ms);
CREATE INDEX outbox_order ON outbox (conversation_id, channel, id);

CREATE TABLE staff_accounts (
    login         TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- JSON list of service names; ["*"] for every service.
    services      TEXT NOT NULL,
    created_ms    BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL
);

CREATE TABLE staff_sessions (
    token_hash BYTEA PRIMARY KEY,
    login      TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX staff_sessions_expiry ON staff_sessions (expires_ms);

-- Messages Messenger delivered, kept by their `mid` so that a delivery
-- repeated is recognised; the body is emptied once processed.
CREATE TABLE messenger_inbox (
    mid         TEXT PRIMARY KEY,
    page_id     TEXT NOT NULL,
    psid        TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- `received`, `working` or `done`
    state       TEXT NOT NULL,
    lease_ms    BIGINT NOT NULL DEFAULT 0,
    received_ms BIGINT NOT NULL
);
CREATE INDEX messenger_inbox_state ON messenger_inbox (state, received_ms);

-- The time of the citizen's last message, for Messenger's 24-hour window.
CREATE TABLE messenger_contacts (
    conversation_id TEXT PRIMARY KEY,
    last_message_ms BIGINT NOT NULL
);
