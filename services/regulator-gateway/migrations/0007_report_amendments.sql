-- Issue 14 (MB-12.2, MB-16.1): a stop's report is amended when staff restore the stopped content
-- (moderation's DecisionRestored): each amendment is a new version of the report, the report as filed kept.
-- Keyed by the stop's decision (the report's decision_id), so an amendment that arrives before its report
-- (or a report filed again later) still finds it.
CREATE TABLE report_amendment (
    id                    uuid PRIMARY KEY,
    decision_id           uuid        NOT NULL,
    amending_decision_id  uuid        NOT NULL UNIQUE,
    kind                  text        NOT NULL CHECK (kind IN ('restore')),
    reason                text        NOT NULL,
    legal_basis           text[]      NOT NULL,
    decided_by            text        NOT NULL,
    decided_at            timestamptz NOT NULL,
    recorded_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_amendment_decision ON report_amendment (decision_id, recorded_at, id);
