-- Verified ("V") accounts (MB-8, MB-10): applications with proof materials reviewed by staff; the
-- approved type and name shown on the account and filed with the office of its province (MB-10.1).
-- Display names, checked against impersonation (CM).
CREATE TABLE verified_application (
    id              uuid PRIMARY KEY,
    account_id      uuid        NOT NULL REFERENCES account (id),
    v_type          text        NOT NULL CHECK (v_type IN ('individual', 'enterprise', 'public_institution',
                                                           'government', 'media', 'foreign_organization')),
    proof_name      text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('submitted', 'approved', 'refused')),
    reason          text,
    submitted_at    timestamptz NOT NULL DEFAULT now(),
    reviewed_by     text,
    reviewed_at     timestamptz
);
CREATE INDEX verified_application_queue ON verified_application (submitted_at) WHERE status = 'submitted';
CREATE UNIQUE INDEX verified_application_one_open ON verified_application (account_id) WHERE status = 'submitted';

CREATE TABLE proof_file (
    id              uuid PRIMARY KEY,
    application_id  uuid        NOT NULL REFERENCES verified_application (id),
    filename        text        NOT NULL,
    content_type    text        NOT NULL,
    sha256          text        NOT NULL,
    size            integer     NOT NULL,
    -- proof materials can carry personal data: sealed like the rest (MB-7.3)
    content_sealed  bytea       NOT NULL
);

ALTER TABLE account
    ADD COLUMN display_name   text,
    ADD COLUMN verified_type  text,
    ADD COLUMN verified_name  text,
    ADD COLUMN verified_at_v  timestamptz;
