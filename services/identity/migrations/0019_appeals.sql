-- Appeals (PA-6.2, MB-6.1): an account appeals one of its sanctions or one of its credit penalties, once
-- each, within the appeal window; a senior reviewer or the chief editor who did not impose it decides.
-- Upheld: the sanction is lifted / the penalty reversed (a new ledger entry). Exactly one target.
CREATE TABLE appeal (
    id               uuid PRIMARY KEY,
    account_id       uuid        NOT NULL REFERENCES account (id),
    sanction_id      uuid        REFERENCES sanction (id),
    credit_entry_id  bigint      REFERENCES credit_entry (id),
    statement        text        NOT NULL,
    state            text        NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'upheld', 'dismissed')),
    filed_at         timestamptz NOT NULL DEFAULT now(),
    decided_by       text,
    decided_at       timestamptz,
    decision_reason  text,
    CHECK ((sanction_id IS NULL) <> (credit_entry_id IS NULL)),
    CHECK ((state = 'open') = (decided_at IS NULL))
);
-- One appeal per sanction, one per credit entry (Mastodon: one appeal per strike).
CREATE UNIQUE INDEX appeal_one_per_sanction ON appeal (sanction_id) WHERE sanction_id IS NOT NULL;
CREATE UNIQUE INDEX appeal_one_per_entry ON appeal (credit_entry_id) WHERE credit_entry_id IS NOT NULL;
CREATE INDEX appeal_account ON appeal (account_id, filed_at DESC, id DESC);
CREATE INDEX appeal_queue ON appeal (filed_at, id) WHERE state = 'open';
CREATE INDEX appeal_decided ON appeal (filed_at, id) WHERE state <> 'open';
