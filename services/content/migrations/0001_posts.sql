-- Posts and the record of every stop of transmission (MB-12.2).
CREATE TABLE post (
    id               uuid PRIMARY KEY,
    author_id        uuid        NOT NULL,
    text             text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'published', 'stopped')),
    idempotency_key  text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    announced_at     timestamptz NOT NULL DEFAULT now(),
    announcements    integer     NOT NULL DEFAULT 1,
    decided_at       timestamptz,
    decision_id      uuid
);
CREATE UNIQUE INDEX post_idempotency ON post (author_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX post_waiting ON post (announced_at) WHERE status = 'pending';
CREATE INDEX post_author ON post (author_id, created_at DESC);

-- The record kept when transmission stops: the snapshot as it was, its hash and the legal basis.
-- Never updated or deleted by the application.
CREATE TABLE transmission_stop (
    post_id         uuid PRIMARY KEY REFERENCES post (id),
    decision_id     uuid        NOT NULL,
    category        text        NOT NULL,
    legal_basis     text[]      NOT NULL,
    reason          text        NOT NULL,
    snapshot_text   text        NOT NULL,
    snapshot_sha256 text        NOT NULL,
    decided_at      timestamptz NOT NULL,
    stopped_at      timestamptz NOT NULL DEFAULT now()
);
