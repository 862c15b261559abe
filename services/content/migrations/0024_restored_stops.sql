-- Issue 14 (MB-12.2, MB-6.1): a wrongly stopped post, comment or article is restored by staff (moderation's
-- DecisionRestored). Its transmission_stop row keeps the snapshot and is marked restored (by which decision,
-- when); a later stop of the same post is a new row. So a post has at most one stop in force (not restored),
-- and a stop is keyed by its decision. was_published: whether the post was served before the stop (a restore
-- then serves it again; otherwise it is published as an approval would, fan-out included). NULL: not known
-- (stops recorded before this migration), handled as never published.
ALTER TABLE transmission_stop
    ADD COLUMN was_published  boolean,
    ADD COLUMN restored_at    timestamptz,
    ADD COLUMN restored_by_decision uuid,
    ADD COLUMN restore_reason text;
ALTER TABLE transmission_stop DROP CONSTRAINT transmission_stop_pkey;
ALTER TABLE transmission_stop ADD PRIMARY KEY (decision_id);
CREATE UNIQUE INDEX transmission_stop_in_force ON transmission_stop (post_id) WHERE restored_at IS NULL;
CREATE INDEX transmission_stop_post ON transmission_stop (post_id);
