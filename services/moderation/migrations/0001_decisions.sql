-- Moderation decisions: one per post, each with its legal basis and reason (MB-6.1, MB-12.2).
CREATE TABLE decision (
    id               uuid PRIMARY KEY,
    post_id          uuid        NOT NULL UNIQUE,
    author_id        uuid        NOT NULL,
    outcome          text        NOT NULL CHECK (outcome IN ('approve', 'stop_transmission')),
    category         text        NOT NULL,
    legal_basis      text[]      NOT NULL,
    reason           text        NOT NULL,
    matches          jsonb       NOT NULL DEFAULT '[]',
    content_sha256   text        NOT NULL,
    engine_version   text        NOT NULL,
    lexicon_version  text        NOT NULL,
    decided_at       timestamptz NOT NULL DEFAULT now(),
    announced_at     timestamptz NOT NULL DEFAULT now(),
    -- set when the regulator gateway confirms it holds the report of a stop-transmission
    reported_at      timestamptz
);
CREATE INDEX decision_unreported ON decision (announced_at)
    WHERE outcome = 'stop_transmission' AND reported_at IS NULL;
