-- Counts a turn adds, not yet added to their row of `stats_daily`. On
-- PostgreSQL every turn adding to the same few rows of `stats_daily` in its
-- own transaction made turns wait for each other's commit on those rows:
-- a turn appends its counts here instead, and the server moves them into
-- `stats_daily` every few seconds. Figures read both tables. (The embedded
-- store's single writer adds its counts to `stats_daily` directly, once per
-- group commit: this table stays empty there.)
CREATE TABLE stats_daily_pending (
    id         BIGSERIAL PRIMARY KEY,
    day        TEXT NOT NULL,
    hour       BIGINT NOT NULL,
    channel    TEXT NOT NULL,
    lang       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    flow       TEXT NOT NULL DEFAULT '',
    step       TEXT NOT NULL DEFAULT '',
    step_index BIGINT NOT NULL DEFAULT -1,
    detail     TEXT NOT NULL DEFAULT '',
    extra      TEXT NOT NULL DEFAULT '',
    bucket     BIGINT NOT NULL DEFAULT -1,
    n          BIGINT NOT NULL,
    total      BIGINT NOT NULL DEFAULT 0
);
