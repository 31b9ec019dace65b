-- An abandoned flow's record keeps how long the flow had run: the write
-- looks up when the conversation last started that flow. With the index on
-- (conversation_id, kind) alone, that read went through every start of
-- every flow of the conversation; with the flow and the time in the index
-- it is one seek. Erasure and the idle records' undo read its prefix.
DROP INDEX stats_events_conversation;
CREATE INDEX stats_events_conversation ON stats_events (conversation_id, kind, flow, at_ms);
