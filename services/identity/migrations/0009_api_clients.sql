-- Third-party API clients (BJ-7(6)): registered with their ICP licence or filing number before they
-- get credentials; a revoked registration is refused everywhere at once (auth.revocation.v1).
CREATE TABLE api_client (
    id             uuid PRIMARY KEY,
    name           text        NOT NULL,
    icp_number     text        NOT NULL,
    secret_hash    bytea       NOT NULL,
    registered_by  text        NOT NULL,
    registered_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz,
    revoked_by     text,
    revoke_reason  text
);
