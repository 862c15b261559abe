-- depends: kit_0005_jobs
-- Rows sent again after a broker lost its state (`replay_on_loss`, MB-16.2) wait behind fresh ones: a replay
-- of ten minutes of user log entries must not hold new posts' events back (the bench's recovery figures
-- found decisions stalled for minutes behind one). Adding a column with a constant default rewrites nothing.
ALTER TABLE outbox_event ADD COLUMN IF NOT EXISTS replayed boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS outbox_event_fresh ON outbox_event (id) WHERE published_at IS NULL AND NOT replayed;
CREATE INDEX IF NOT EXISTS outbox_event_replayed ON outbox_event (id) WHERE published_at IS NULL AND replayed;
