-- Every record went into an index on (conversation_id, kind): an entry in a
-- different place of that index for each conversation's turn, so each turn
-- wrote one more page of it, most of what the record cost. Two queries
-- need a conversation's records, both of one kind, and the indexes now hold
-- those only:
-- - an abandoned flow's duration: when the conversation last started the
--   flow (one seek, the flow and the time in the index);
-- - a citizen back after their flows were recorded abandoned for idleness:
--   those records are taken back.
-- Erasure and export, rare, read the table through.
DROP INDEX stats_events_conversation;
CREATE INDEX stats_events_starts ON stats_events (conversation_id, flow, at_ms)
    WHERE kind = 'flow_started';
CREATE INDEX stats_events_idle ON stats_events (conversation_id)
    WHERE kind = 'flow_abandoned' AND detail = 'idle';
