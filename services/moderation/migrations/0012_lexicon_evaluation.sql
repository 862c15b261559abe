-- MB-6.1, MB-12 (issue 16): the measured recall and false positives of a lexicon. When a lexicon change is
-- proposed, the lexicon it would produce (the entries in force and the change) is evaluated in the background
-- (stage 'proposed'), and the chief editor sees the figures before approving; every release has its own
-- figures too (stage 'released': copied from its change's when nothing else was released in between, else
-- evaluated on the release's entries). One row per change and stage; `lexicon_version` names the lexicon
-- evaluated (Lexicon.version), `figures` is what `make eval` prints for it.
CREATE TABLE lexicon_evaluation (
    change_id        uuid        NOT NULL REFERENCES policy_change (id),
    stage            text        NOT NULL CHECK (stage IN ('proposed', 'released')),
    basis_release    integer     NOT NULL,  -- the release in force the change is applied to (or the release itself)
    release          integer,               -- stage 'released': the release evaluated
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    lexicon_version  text,
    figures          jsonb,
    error            text,
    job_id           uuid,
    requested_at     timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    PRIMARY KEY (change_id, stage)
);
CREATE UNIQUE INDEX lexicon_evaluation_release ON lexicon_evaluation (release) WHERE release IS NOT NULL;
