-- Complaints from the public (MB-14 / PA-15.2 / BJ-13); handling workflow comes later.
CREATE TABLE complaint (
    id               uuid PRIMARY KEY,
    complainant_id   uuid        NOT NULL,
    target_type      text        NOT NULL CHECK (target_type IN ('post')),
    target_id        uuid        NOT NULL,
    reason           text        NOT NULL,
    detail           text        NOT NULL DEFAULT '',
    status           text        NOT NULL DEFAULT 'received',
    idempotency_key  text,
    filed_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX complaint_idempotency ON complaint (complainant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX complaint_target ON complaint (target_type, target_id);
