-- Long jobs and their progress (MB-6.1, BJ-10: staff see how far a retro-scan, a lexicon release, a rumour's
-- re-decision or a regrading has come). Progress moves in the same transaction as the work's own batch, so
-- `done` is exact after a crash; `cursor` is where the work resumes; `heartbeat_at` lets another process take
-- over a job whose process died.
CREATE TABLE job (
    id            uuid PRIMARY KEY,
    kind          text        NOT NULL,
    state         text        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
    done          bigint      NOT NULL DEFAULT 0 CHECK (done >= 0),
    total         bigint      CHECK (total >= 0),
    subject       text        NOT NULL DEFAULT '',
    detail        jsonb       NOT NULL DEFAULT '{}',
    cursor        jsonb,
    requested_by  text        NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    heartbeat_at  timestamptz,
    finished_at   timestamptz,
    error         text
);
CREATE INDEX job_newest ON job (requested_at DESC, id DESC);
CREATE INDEX job_open ON job (kind, requested_at) WHERE state IN ('queued', 'running');
CREATE INDEX job_subject ON job (subject, requested_at);
