-- PA-13.1 / MB-9 / PA-9.2: until when an author may not publish, decided by content's domain rule
-- (content.domain.publishing_barred_until) when identity's news arrives, and enforced by the statement
-- that inserts a post: one round trip, and no window between a check and the insert.
ALTER TABLE author_standing ADD COLUMN publishing_barred_until timestamptz;

-- Rows from before: the same rule, once, for what is already stored.
UPDATE author_standing
   SET publishing_barred_until = CASE WHEN closed OR 'no_posting' = ANY (limits) THEN '9999-12-31T00:00:00Z'
                                      ELSE suspended_until END;
INSERT INTO author_standing (account_id, version, credit_level, limits, closed, publishing_barred_until)
SELECT account_id, 0, '', '{}', false, '9999-12-31T00:00:00Z' FROM cancelled_author
ON CONFLICT (account_id) DO UPDATE SET publishing_barred_until = '9999-12-31T00:00:00Z';
