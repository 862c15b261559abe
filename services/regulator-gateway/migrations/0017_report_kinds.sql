-- Issue 15 (PA-13.1, PA-13.2, BJ-7(8), MB-16.1): reports of sanctions and of referrals beside those of stops.
-- `kind` is now the report's kind (stop, sanction, referral); the stop's stage that 0012 kept as `kind` is renamed
-- `stage`. A sanction's or a referral's report has no post and no content hash; `details` holds what it is about
-- (a sanction's kind, terms and who imposed it; a referral's offence and statement). A sanction lifted before its
-- end amends its report (amendment kind 'lift'), as a restore amends a stop's.
ALTER TABLE report RENAME COLUMN kind TO stage;
ALTER TABLE report ADD COLUMN kind text NOT NULL DEFAULT 'stop' CHECK (kind IN ('stop', 'sanction', 'referral'));
ALTER TABLE report ADD COLUMN details jsonb NOT NULL DEFAULT '{}';
ALTER TABLE report ALTER COLUMN post_id DROP NOT NULL;
ALTER TABLE report ALTER COLUMN content_sha256 DROP NOT NULL;
ALTER TABLE report_amendment DROP CONSTRAINT report_amendment_kind_check;
ALTER TABLE report_amendment ADD CONSTRAINT report_amendment_kind_check CHECK (kind IN ('restore', 'lift'));
CREATE INDEX report_kind_listing ON report (kind, filed_at, id);
