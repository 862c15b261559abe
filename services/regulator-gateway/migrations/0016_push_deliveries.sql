-- Issue 15 (MB-12.2, MB-16.1): an office may receive its jurisdiction's reports by push at an endpoint of its own,
-- besides pulling them. office_endpoint: where (set by an operator command) and since when (reports filed before
-- are not pushed). push_delivery: one row per office, report and report version (an amendment is pushed again),
-- derived from the report table by the delivery loop, so none is lost; retried with back-off until the office
-- answers with its reference; escalated when that is overdue.
CREATE TABLE office_endpoint (
    office_id  uuid PRIMARY KEY REFERENCES regulator_office (id),
    url        text        NOT NULL,
    since      timestamptz NOT NULL DEFAULT now(),
    set_by     text        NOT NULL,
    set_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE push_delivery (
    id               uuid PRIMARY KEY,
    office_id        uuid        NOT NULL REFERENCES regulator_office (id),
    report_id        uuid        NOT NULL REFERENCES report (id),
    version          integer     NOT NULL CHECK (version >= 1),
    created_at       timestamptz NOT NULL DEFAULT now(),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_attempt_at  timestamptz,
    last_status      integer,
    last_error       text,
    delivered_at     timestamptz,
    reference        text,
    escalated_at     timestamptz,
    UNIQUE (office_id, report_id, version)
);
CREATE INDEX push_delivery_due ON push_delivery (next_attempt_at) WHERE delivered_at IS NULL;
CREATE INDEX push_delivery_listing ON push_delivery (created_at, id);
