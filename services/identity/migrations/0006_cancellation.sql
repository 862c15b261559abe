-- Account cancellation (PA-9.2): the account goes at once; the records the law requires stay until
-- purge_after, then the personal data is purged (the blacklist's keyed hash stays: PA-13.2).
ALTER TABLE account
    ADD COLUMN cancelled_at  timestamptz,
    ADD COLUMN purge_after   timestamptz,
    ADD COLUMN purged_at     timestamptz;
CREATE INDEX account_purge_due ON account (purge_after) WHERE purged_at IS NULL AND purge_after IS NOT NULL;
