-- The kit's own tables, applied to every service database before the service's migrations.

-- Transactional outbox: written in the same transaction as the state change it announces,
-- published by the relay, then marked. Rows are kept for a while as a record of what was said.
CREATE TABLE IF NOT EXISTS outbox_event (
    id            bigserial PRIMARY KEY,
    ce_id         uuid        NOT NULL,
    ce_type       text        NOT NULL,
    ce_source     text        NOT NULL,
    ce_subject    text,
    ce_time       timestamptz NOT NULL DEFAULT now(),
    topic         text        NOT NULL,
    partition_key text,
    traceparent   text,
    payload       bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,
    attempts      integer     NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_event_unpublished ON outbox_event (id) WHERE published_at IS NULL;

-- Inbox: the ids of the events a consumer has handled, written in the same transaction as
-- the handler's effect, so a redelivered event has no second effect.
CREATE TABLE IF NOT EXISTS inbox_event (
    consumer    text        NOT NULL,
    ce_id       text        NOT NULL,
    ce_type     text        NOT NULL,
    handled_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, ce_id)
);

-- Events a handler failed on for a reason other than a transient outage: kept whole, so an
-- operator can fix the cause and replay them. Nothing received is dropped.
CREATE TABLE IF NOT EXISTS dead_letter_event (
    id          bigserial PRIMARY KEY,
    consumer    text        NOT NULL,
    topic       text        NOT NULL,
    kafka_partition integer NOT NULL,
    kafka_offset bigint     NOT NULL,
    ce_id       text,
    ce_type     text,
    headers     jsonb       NOT NULL,
    payload     bytea       NOT NULL,
    error       text        NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now()
);
