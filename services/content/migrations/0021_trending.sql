-- The trending list (热搜), the first gated feature (MB-13, PA-12.1; CM; MB-12.2) (S4, issue 13, §9).

-- What a term's score is computed from: #话题# terms of published posts and reposts (one per post), and
-- signed-in searches (one per account, term and hour). Purged after TRENDING_SIGNAL_RETENTION_H.
CREATE TABLE trend_signal (
    term           text        NOT NULL,           -- folded (NFKC, case-folded, no spaces)
    source         text        NOT NULL CHECK (source IN ('post', 'repost', 'search')),
    account_id     uuid        NOT NULL,
    post_id        uuid,                           -- NULL for a search
    text_sha256    text,                           -- the post's text, for identical-text bursts (CM)
    bucket         timestamptz NOT NULL,           -- the post's time; for a search, its hour
    at             timestamptz NOT NULL DEFAULT now(),
    -- What weighs an account's contribution 0 and is known only when the signal is taken.
    registered_at  timestamptz,
    verified       boolean     NOT NULL DEFAULT true,
    display        text        NOT NULL,           -- the term as written
    UNIQUE NULLS NOT DISTINCT (term, source, account_id, post_id, bucket)
);
CREATE INDEX trend_signal_at ON trend_signal (at);

-- Each computation's list, kept 24 h as the record of what was shown.
CREATE TABLE trending_snapshot (
    id           bigserial   PRIMARY KEY,
    computed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE trending_entry (
    snapshot_id       bigint           NOT NULL REFERENCES trending_snapshot ON DELETE CASCADE,
    rank              integer          NOT NULL,
    term              text             NOT NULL,
    display           text             NOT NULL,
    score             double precision NOT NULL,
    authors           integer          NOT NULL,
    backing_post_ids  uuid[]           NOT NULL,
    flags             text[]           NOT NULL DEFAULT '{}',
    PRIMARY KEY (snapshot_id, rank)
);

-- Staff removals, each with its recorded reason and legal basis; never deleted, only lifted.
CREATE TABLE trending_removal (
    id           uuid        PRIMARY KEY,
    term         text        NOT NULL,
    reason       text        NOT NULL CHECK (reason <> ''),
    legal_basis  text[]      NOT NULL CHECK (cardinality(legal_basis) > 0),
    removed_by   text        NOT NULL,
    removed_at   timestamptz NOT NULL DEFAULT now(),
    until        timestamptz,
    lifted_at    timestamptz,
    lifted_by    text,
    lift_reason  text
);
CREATE INDEX trending_removal_active ON trending_removal (term) WHERE lifted_at IS NULL;
CREATE INDEX trending_removal_newest ON trending_removal (removed_at DESC, id);
