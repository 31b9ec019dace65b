-- The answer to a client message id is the turn's own events: each event
-- of a turn carries the client message id it answered, and the answer is
-- read back from them. Before, the same events were written a second time
-- as one text in `inputs`, a row in another place of the file for every
-- turn. `inputs` keeps the answers written before, and any answer that is
-- not exactly its turn's events.
ALTER TABLE events ADD COLUMN client_id TEXT;
