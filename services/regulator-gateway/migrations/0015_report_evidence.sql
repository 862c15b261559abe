-- Issue 15 (MB-12.2, PA-11.2, BJ-7(8)): every report carries its evidence. Two parts arrive apart: moderation's
-- decision (the stop-transmission event: rule, matches, engine, lexicon and rule versions, who decided) and
-- content's sealed snapshot of what was stopped (text, media hashes, the author's account and province). When the
-- report and both parts are held, the evidence document is sealed: its bytes (RFC 8785 canonical JSON) and their
-- SHA-256, never changed afterwards. Keyed by the stop's decision, like the report.
CREATE TABLE stop_decision_record (
    decision_id  uuid PRIMARY KEY,
    record       jsonb       NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stop_snapshot (
    decision_id           uuid PRIMARY KEY,
    post_id               uuid        NOT NULL,
    author_id             uuid        NOT NULL,
    author_province_code  text        NOT NULL,
    kind                  text        NOT NULL,
    text                  text        NOT NULL,
    snapshot_sha256       text        NOT NULL,
    media                 jsonb       NOT NULL,
    category              text        NOT NULL,
    created_at            timestamptz NOT NULL,
    was_published         boolean     NOT NULL,
    stopped_at            timestamptz NOT NULL,
    received_at           timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE report_evidence (
    decision_id  uuid PRIMARY KEY,
    report_id    uuid        NOT NULL UNIQUE,
    document     bytea       NOT NULL,
    sha256       text        NOT NULL,
    sealed_at    timestamptz NOT NULL DEFAULT now()
);
