-- Issue 15 (MB-16.1, MB-3): an office's API keys in a table of their own, so a key can be rotated (the old
-- one keeps working for an overlap window, then expires) and revoked at once. A key's id is the first 8 bytes
-- of its SHA-256, in hex: it names the key in the operator's listing and the access record, never the key.
CREATE TABLE office_key (
    id          text        PRIMARY KEY,
    office_id   uuid        NOT NULL REFERENCES regulator_office (id),
    key_hash    bytea       NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,  -- NULL: until revoked or rotated away
    revoked_at  timestamptz
);
CREATE INDEX office_key_office ON office_key (office_id, created_at);

-- Every office's existing key is copied, revoked ones as revoked: no office loses its key.
INSERT INTO office_key (id, office_id, key_hash, created_at, revoked_at)
SELECT encode(substring(key_hash FROM 1 FOR 8), 'hex'), id, key_hash, created_at, revoked_at
  FROM regulator_office;

-- The office's own column is neither written nor read any more (kept for a rolling update's old processes).
ALTER TABLE regulator_office ALTER COLUMN key_hash DROP NOT NULL;
