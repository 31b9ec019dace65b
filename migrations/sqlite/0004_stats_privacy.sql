-- Statistics: what happened in conversations, as names and codes (never a
-- slot value or a citizen's words), the figures of each conversation, the
-- messages the bot did not understand (masked: no personal data), and the
-- counts kept per day and hour once the records are purged. Times are Unix
-- milliseconds; `day` (YYYY-MM-DD) and `hour` are the commune's local time.

-- One row per thing that happened (see `runtime::records`).
CREATE TABLE stats_events (
    id              INTEGER PRIMARY KEY,
    -- NULL once the conversation is erased: the count stays, the link goes.
    conversation_id TEXT,
    at_ms           INTEGER NOT NULL,
    day             TEXT NOT NULL,
    hour            INTEGER NOT NULL,
    channel         TEXT NOT NULL,
    lang            TEXT NOT NULL,
    -- `conversation_started`, `flow_started`, `slot_asked`, `flow_abandoned`...
    kind            TEXT NOT NULL,
    flow            TEXT,
    step            TEXT,
    step_index      INTEGER,
    -- By kind: how a flow started or was abandoned, a refusal's code, a
    -- hand-over's reason, an action's name, the language switched from.
    detail          TEXT,
    -- By kind: a refusal's kind, a hand-over's service, an action's outcome.
    extra           TEXT,
    -- By kind: milliseconds since the flow started (abandoned), the
    -- closest flow's score in thousandths (unmatched), the attempt number.
    value           INTEGER
);
CREATE INDEX stats_events_kind_day ON stats_events (kind, day, channel, lang, flow);
CREATE INDEX stats_events_conversation ON stats_events (conversation_id, kind);
CREATE INDEX stats_events_at ON stats_events (at_ms);

-- One row per conversation: when it started, how many messages the
-- citizen sent, when it was last active.
CREATE TABLE stats_conversations (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT UNIQUE,
    started_ms      INTEGER NOT NULL,
    day             TEXT NOT NULL,
    hour            INTEGER NOT NULL,
    channel         TEXT NOT NULL,
    lang            TEXT NOT NULL,
    messages        INTEGER NOT NULL DEFAULT 0,
    last_ms         INTEGER NOT NULL,
    -- The activity time whose flows in progress were recorded abandoned
    -- (the citizen stopped answering); cleared when they come back.
    idle_ms         INTEGER
);
CREATE INDEX stats_conversations_day ON stats_conversations (day);
CREATE INDEX stats_conversations_last ON stats_conversations (last_ms);

-- Messages nothing matched, or that two flows matched nearly as well,
-- masked as they are written, with the flow they came closest to.
CREATE TABLE stats_unmatched (
    id              INTEGER PRIMARY KEY,
    conversation_id TEXT,
    at_ms           INTEGER NOT NULL,
    day             TEXT NOT NULL,
    channel         TEXT NOT NULL,
    lang            TEXT NOT NULL,
    text            TEXT NOT NULL,
    closest         TEXT,
    -- Thousandths.
    score           INTEGER NOT NULL,
    ambiguous       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stats_unmatched_day ON stats_unmatched (day);
CREATE INDEX stats_unmatched_conversation ON stats_unmatched (conversation_id);

-- Counts rolled up from the rows above before they are purged: the same
-- dimensions ('' for none), how many, and the sum of their values.
-- `bucket` keeps a distribution: messages per conversation
-- (`conversation_messages`) or seconds (`conversation_seconds`).
CREATE TABLE stats_daily (
    day        TEXT NOT NULL,
    hour       INTEGER NOT NULL,
    channel    TEXT NOT NULL,
    lang       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    flow       TEXT NOT NULL DEFAULT '',
    step       TEXT NOT NULL DEFAULT '',
    step_index INTEGER NOT NULL DEFAULT -1,
    detail     TEXT NOT NULL DEFAULT '',
    extra      TEXT NOT NULL DEFAULT '',
    bucket     INTEGER NOT NULL DEFAULT -1,
    n          INTEGER NOT NULL,
    total      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX stats_daily_key ON stats_daily
    (kind, day, hour, channel, lang, flow, step, step_index, detail, extra, bucket);
