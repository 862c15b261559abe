-- MB-12, BJ-10: a lexicon of any size imported as a TSV file in parts, each under the gateway's body limit;
-- completed, it is validated whole and becomes one policy change the chief editor approves (MB-6.1).
CREATE TABLE lexicon_import (
    id            uuid PRIMARY KEY,
    reason        text        NOT NULL,
    mode          text        NOT NULL CHECK (mode IN ('merge', 'replace')),
    requested_by  text        NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz,
    change_id     uuid REFERENCES policy_change (id)
);

CREATE TABLE lexicon_import_part (
    import_id    uuid        NOT NULL REFERENCES lexicon_import (id),
    n            integer     NOT NULL CHECK (n >= 1),
    body         bytea       NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (import_id, n)
);
