-- depends: kit_0003_staff_action
-- Dead-letter replay (`python -m kit.ops dead-letters replay`): when a parked event was handled again by the
-- group that parked it, by whom and why, and how often (a row is replayed once unless forced). The record's
-- key is kept from now on, so the handler sees the event's key as the consumer did.
ALTER TABLE dead_letter_event ADD COLUMN IF NOT EXISTS partition_key text;
ALTER TABLE dead_letter_event ADD COLUMN IF NOT EXISTS replayed_at timestamptz;
ALTER TABLE dead_letter_event ADD COLUMN IF NOT EXISTS replayed_by text;
ALTER TABLE dead_letter_event ADD COLUMN IF NOT EXISTS replay_reason text;
ALTER TABLE dead_letter_event ADD COLUMN IF NOT EXISTS replays integer NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS dead_letter_event_waiting ON dead_letter_event (consumer, id) WHERE replayed_at IS NULL;
