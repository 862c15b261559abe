-- A reviewer's outcome of a complaint (MB-14): upheld against an account, or dismissed.
ALTER TABLE complaint
    ADD COLUMN upheld        boolean,
    ADD COLUMN account_id    uuid,
    ADD COLUMN outcome_note  text,
    ADD COLUMN decided_by    text,
    ADD COLUMN decided_at    timestamptz;
