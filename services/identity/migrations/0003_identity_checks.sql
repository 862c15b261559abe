-- Three kinds of subject (MB-7.1, BJ-9), the outside identity check's reference, expiry and renewal
-- of verifications (MB-7.2), and a record of every check asked for (no personal data in it).
ALTER TABLE real_name_verification DROP CONSTRAINT real_name_verification_subject_type_check;
ALTER TABLE real_name_verification ADD CONSTRAINT real_name_verification_subject_type_check
    CHECK (subject_type IN ('individual', 'organization', 'foreign_organization'));
ALTER TABLE real_name_verification
    ADD COLUMN number_kind         text NOT NULL DEFAULT 'ric'
        CHECK (number_kind IN ('ric', 'uscc', 'organization_code', 'foreign_registration')),
    -- sealed JSON: a foreign organization's home country and office certificate
    ADD COLUMN details_ciphertext  bytea,
    ADD COLUMN check_reference     text NOT NULL DEFAULT '',
    ADD COLUMN expires_at          timestamptz,
    ADD COLUMN renewed_at          timestamptz,
    ADD COLUMN expiry_notified_at  timestamptz;
UPDATE real_name_verification SET expires_at = verified_at + interval '365 days' WHERE expires_at IS NULL;
ALTER TABLE real_name_verification ALTER COLUMN expires_at SET NOT NULL;
CREATE INDEX real_name_verification_expiring ON real_name_verification (expires_at) WHERE expiry_notified_at IS NULL;

CREATE TABLE identity_check (
    id            bigserial PRIMARY KEY,
    account_id    uuid        NOT NULL REFERENCES account (id),
    subject_type  text        NOT NULL,
    result        text        NOT NULL CHECK (result IN ('match', 'mismatch', 'unknown', 'unavailable')),
    reference     text        NOT NULL DEFAULT '',
    checked_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX identity_check_account ON identity_check (account_id, checked_at);
