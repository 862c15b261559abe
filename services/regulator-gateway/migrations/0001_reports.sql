-- Regulator offices and their API keys (MB-16.1): each sees only its own jurisdiction.
CREATE TABLE regulator_office (
    id            uuid PRIMARY KEY,
    name          text        NOT NULL,
    -- 'national', or a GB/T 2260 province code such as '110000'
    jurisdiction  text        NOT NULL,
    key_hash      bytea       NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);

-- Province of registration per account, learned from identity's events (no personal data).
CREATE TABLE account_jurisdiction (
    account_id     uuid PRIMARY KEY,
    province_code  text NOT NULL
);

-- One report per stop-transmission decision (MB-12.2): never two for the same decision.
CREATE TABLE report (
    id               uuid PRIMARY KEY,
    decision_id      uuid        NOT NULL UNIQUE,
    post_id          uuid        NOT NULL,
    account_id       uuid        NOT NULL,
    category         text        NOT NULL,
    legal_basis      text[]      NOT NULL,
    reason           text        NOT NULL,
    decided_at       timestamptz NOT NULL,
    content_sha256   text        NOT NULL,
    province_code    text,
    filed_at         timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    acknowledged_by  uuid REFERENCES regulator_office (id),
    ack_reference    text
);
CREATE INDEX report_listing ON report (filed_at, id);
CREATE INDEX report_account ON report (account_id) WHERE province_code IS NULL;

-- Every access by a regulator is recorded (MB-16.1).
CREATE TABLE regulator_access (
    id           bigserial PRIMARY KEY,
    office_id    uuid        NOT NULL REFERENCES regulator_office (id),
    method       text        NOT NULL,
    path         text        NOT NULL,
    accessed_at  timestamptz NOT NULL DEFAULT now()
);
