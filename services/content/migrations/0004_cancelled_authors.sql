-- PA-9.2: a cancelled account's posts are withdrawn at once (served to nobody) and deleted after the
-- retention period; stopped posts stay as the records MB-12.2 requires.
ALTER TABLE post DROP CONSTRAINT post_status_check;
ALTER TABLE post ADD CONSTRAINT post_status_check
    CHECK (status IN ('pending', 'held', 'published', 'stopped', 'withdrawn'));
ALTER TABLE post ADD COLUMN purge_after timestamptz;
CREATE INDEX post_purge_due ON post (purge_after) WHERE status = 'withdrawn';

CREATE TABLE cancelled_author (
    account_id    uuid PRIMARY KEY,
    cancelled_at  timestamptz NOT NULL,
    purge_after   timestamptz NOT NULL
);
