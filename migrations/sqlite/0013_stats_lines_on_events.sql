-- A turn's statistics line is written on the turn's last event (`stats`),
-- in the same row and the same page as the events the turn writes anyway;
-- the fold counts the lines on events after the last one it counted
-- (`stats_folded.events_last`). A write with no event still puts its line
-- in `stats_lines`. The line stays as the record with its event, as long
-- as the conversation is kept.
ALTER TABLE events ADD COLUMN stats TEXT;
ALTER TABLE stats_folded ADD COLUMN events_last INTEGER NOT NULL DEFAULT 0;
UPDATE stats_folded SET events_last = (SELECT COALESCE(MAX(id), 0) FROM events);
-- A new event takes the greatest id plus one: when the newest events are
-- deleted (a conversation erased or expired), the mark comes back to the
-- greatest id left, so that the next line lands after it. Every line up to
-- the mark was counted; those left still were.
CREATE TRIGGER events_folded_mark AFTER DELETE ON events
WHEN (SELECT events_last FROM stats_folded) > (SELECT COALESCE(MAX(id), 0) FROM events)
BEGIN
    UPDATE stats_folded SET events_last = (SELECT COALESCE(MAX(id), 0) FROM events);
END;
