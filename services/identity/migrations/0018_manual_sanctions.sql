-- Manual sanctions along the ladder (PA-13.1, PA-13.2, MB-6.1): staff impose a warning, a feature
-- restriction, a suspension, a closure or a blacklisting with its reason and legal basis; each is a
-- `sanction` row like the automatic ones (created_by names the staff member: `staff:<id>`), with the source
-- `manual:<id>`. A new kind, `blacklist`: the account closed and its subject blacklisted (PA-13.2). A lift
-- keeps its reason; a lifted blacklisting stays on record (lifted_at), no longer refusing re-registration.
ALTER TABLE sanction DROP CONSTRAINT sanction_kind_check;
ALTER TABLE sanction ADD CONSTRAINT sanction_kind_check
    CHECK (kind IN ('warning', 'restrict_features', 'suspend_updates', 'close', 'blacklist'));
ALTER TABLE sanction ADD COLUMN lift_reason text;
-- The account's own list of its sanctions, newest first (GET /v1/accounts/me/sanctions).
CREATE INDEX sanction_account_newest ON sanction (account_id, starts_at DESC, id DESC);

ALTER TABLE blacklist
    ADD COLUMN lifted_at   timestamptz,
    ADD COLUMN lifted_by   text,
    ADD COLUMN lift_reason text;
