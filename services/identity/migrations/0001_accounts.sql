-- Accounts, mobile confirmation and real-name records (MB-7.1, MB-7.3).
-- Personal data (mobile number, legal name, identity number) is stored only as AES-GCM
-- ciphertext, looked up by a keyed hash.
CREATE TABLE account (
    id                uuid PRIMARY KEY,
    username          text        NOT NULL,
    password_hash     text        NOT NULL,
    phone_ciphertext  bytea       NOT NULL,
    phone_lookup      bytea       NOT NULL,
    phone_confirmed_at timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX account_username_key ON account (lower(username));
CREATE INDEX account_phone_lookup ON account (phone_lookup);

CREATE TABLE phone_challenge (
    account_id  uuid PRIMARY KEY REFERENCES account (id),
    code_hash   bytea       NOT NULL,
    expires_at  timestamptz NOT NULL,
    attempts    integer     NOT NULL DEFAULT 0
);

CREATE TABLE real_name_verification (
    account_id             uuid PRIMARY KEY REFERENCES account (id),
    subject_type           text        NOT NULL CHECK (subject_type IN ('individual', 'organization')),
    legal_name_ciphertext  bytea       NOT NULL,
    id_number_ciphertext   bytea       NOT NULL,
    id_number_lookup       bytea       NOT NULL,
    province_code          text        NOT NULL,
    legal_basis            text[]      NOT NULL,
    verified_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX real_name_verification_lookup ON real_name_verification (id_number_lookup);
