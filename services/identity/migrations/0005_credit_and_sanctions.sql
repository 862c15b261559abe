-- Credit as a ledger (MB-9, MB-15, PA-6.2), sanctions (PA-13.1, BJ-7(8)) and the blacklist (PA-13.2).
-- Every change is an entry with its cause and legal basis; an appeal reverses an entry with another.
CREATE TABLE credit_entry (
    id           bigserial PRIMARY KEY,
    account_id   uuid        NOT NULL REFERENCES account (id),
    delta        integer     NOT NULL,
    cause        text        NOT NULL,
    legal_basis  text[]      NOT NULL,
    -- what produced it, unique: a repeated event or job run makes no second entry
    source       text        NOT NULL UNIQUE,
    reverses     bigint      REFERENCES credit_entry (id),
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_entry_account ON credit_entry (account_id, id);
CREATE UNIQUE INDEX credit_entry_reversal ON credit_entry (reverses) WHERE reverses IS NOT NULL;

CREATE TABLE sanction (
    id           uuid PRIMARY KEY,
    account_id   uuid        NOT NULL REFERENCES account (id),
    kind         text        NOT NULL CHECK (kind IN ('warning', 'restrict_features', 'suspend_updates', 'close')),
    features     text[]      NOT NULL DEFAULT '{}',
    reason       text        NOT NULL,
    legal_basis  text[]      NOT NULL,
    source       text        NOT NULL UNIQUE,
    starts_at    timestamptz NOT NULL DEFAULT now(),
    ends_at      timestamptz,
    lifted_at    timestamptz,
    lifted_by    text,
    created_by   text        NOT NULL
);
CREATE INDEX sanction_account ON sanction (account_id, starts_at);

CREATE TABLE blacklist (
    id              uuid PRIMARY KEY,
    subject_lookup  bytea       NOT NULL UNIQUE,
    account_id      uuid        NOT NULL REFERENCES account (id),
    reason          text        NOT NULL,
    legal_basis     text[]      NOT NULL,
    listed_by       text        NOT NULL,
    listed_at       timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE account
    ADD COLUMN closed_at         timestamptz,
    ADD COLUMN standing_version  bigint NOT NULL DEFAULT 0;
