-- Staff accounts (MB-6.1, PA-5.1): reviewers, senior reviewers, the chief editor, operators and
-- auditors. Separate from user accounts: staff sign in at their own endpoint and their roles
-- travel in the token.
CREATE TABLE staff (
    id             uuid PRIMARY KEY,
    username       text        NOT NULL,
    password_hash  text        NOT NULL,
    roles          text[]      NOT NULL CHECK (
        cardinality(roles) > 0
        AND roles <@ ARRAY['reviewer', 'senior_reviewer', 'chief_editor', 'operator', 'auditor']::text[]),
    created_at     timestamptz NOT NULL DEFAULT now(),
    disabled_at    timestamptz
);
CREATE UNIQUE INDEX staff_username_key ON staff (lower(username));
