-- The decision engine's state: versioned lexicons and routing rules changed only with the chief
-- editor's approval (MB-6.1), refuted rumours (MB-11), emergency modes (MB-6.1 应急处置), what
-- moderation knows of authors (MB-9), published texts for retro-scans, and the review queue.

-- A post can now have several decisions: the automatic one at publication, a reviewer's, and one
-- per rumour found in it later. One of each kind at most.
ALTER TABLE decision DROP CONSTRAINT decision_post_id_key;
ALTER TABLE decision DROP CONSTRAINT decision_outcome_check;
ALTER TABLE decision ADD CONSTRAINT decision_outcome_check
    CHECK (outcome IN ('approve', 'hold_for_review', 'label', 'stop_transmission'));
ALTER TABLE decision
    ADD COLUMN stage           text NOT NULL DEFAULT 'publication'
        CHECK (stage IN ('publication', 'review', 'retro_scan')),
    ADD COLUMN suggestion      text NOT NULL DEFAULT 'pass' CHECK (suggestion IN ('pass', 'review', 'block')),
    ADD COLUMN risk            text NOT NULL DEFAULT 'low' CHECK (risk IN ('low', 'medium', 'high')),
    ADD COLUMN rule            text NOT NULL DEFAULT '',
    ADD COLUMN refutation      jsonb,
    ADD COLUMN rumour_id       uuid,
    ADD COLUMN rumour_hits     jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN supersedes      uuid REFERENCES decision (id),
    ADD COLUMN rumour_version  text NOT NULL DEFAULT '',
    ADD COLUMN rules_version   text NOT NULL DEFAULT '',
    ADD COLUMN decided_by      text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX decision_publication ON decision (post_id) WHERE stage = 'publication';
CREATE UNIQUE INDEX decision_review ON decision (supersedes) WHERE stage = 'review';
CREATE UNIQUE INDEX decision_retro ON decision (post_id, rumour_id) WHERE stage = 'retro_scan';
CREATE INDEX decision_post ON decision (post_id, decided_at);

-- Lexicon entries live from the release that added them until the one that removed them.
CREATE TABLE lexicon_entry (
    id           bigserial PRIMARY KEY,
    term         text    NOT NULL CHECK (length(term) BETWEEN 1 AND 64),
    category     text    NOT NULL,
    action       text    NOT NULL CHECK (action IN ('stop', 'review', 'label')),
    legal_basis  text[]  NOT NULL,
    added_in     integer NOT NULL,
    removed_in   integer
);
CREATE INDEX lexicon_entry_live ON lexicon_entry (id) WHERE removed_in IS NULL;

-- A proposed change to the lexicon or the routing rules, and the chief editor's decision on it.
CREATE TABLE policy_change (
    id             uuid PRIMARY KEY,
    kind           text        NOT NULL CHECK (kind IN ('lexicon', 'routing')),
    changes        jsonb       NOT NULL,
    reason         text        NOT NULL,
    proposed_by    text        NOT NULL,
    proposed_at    timestamptz NOT NULL DEFAULT now(),
    status         text        NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
    decided_by     text,
    decided_at     timestamptz,
    decision_note  text,
    release        integer
);

-- Every approved change makes a release; the lexicon and routing rules in force are the latest.
CREATE TABLE policy_release (
    release      integer PRIMARY KEY,
    change_id    uuid REFERENCES policy_change (id),
    routing      jsonb       NOT NULL,
    released_by  text        NOT NULL,
    released_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rumour (
    id                 uuid PRIMARY KEY,
    seq                bigserial UNIQUE,
    canonical_text     text        NOT NULL,
    refutation_text    text        NOT NULL,
    refutation_url     text        NOT NULL,
    authority          text        NOT NULL,
    action             text        NOT NULL CHECK (action IN ('label', 'stop')),
    legal_basis        text[]      NOT NULL,
    reason             text        NOT NULL,
    registered_by      text        NOT NULL,
    registered_at      timestamptz NOT NULL DEFAULT now(),
    -- the retro-scan of posts published before it (MB-11): resumable from its cursor
    scan_status        text        NOT NULL DEFAULT 'pending' CHECK (scan_status IN ('pending', 'running', 'done')),
    scan_after_at      timestamptz,
    scan_after_post    uuid,
    scan_heartbeat_at  timestamptz,
    scanned_posts      bigint      NOT NULL DEFAULT 0,
    matched_posts      bigint      NOT NULL DEFAULT 0,
    scan_finished_at   timestamptz,
    -- the earliest post found spreading it (traced source)
    source_post_id     uuid,
    source_author_id   uuid,
    source_created_at  timestamptz
);
CREATE INDEX rumour_scan_pending ON rumour (registered_at) WHERE scan_status <> 'done';

CREATE TABLE emergency_mode (
    id          uuid PRIMARY KEY,
    seq         bigserial UNIQUE,
    scope       text        NOT NULL CHECK (scope IN ('platform', 'topic', 'region')),
    value       text        NOT NULL,
    reason      text        NOT NULL,
    started_by  text        NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    ended_by    text,
    ended_at    timestamptz
);

-- What moderation knows of an author, from identity's events (MB-9).
CREATE TABLE author_standing (
    account_id     uuid PRIMARY KEY,
    registered_at  timestamptz,
    province_code  text,
    grade          integer,
    credit         integer,
    followers      bigint,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Published posts as the retro-scan reads them: folded sentences, one per line (MB-11).
CREATE TABLE published_text (
    post_id     uuid PRIMARY KEY,
    author_id   uuid        NOT NULL,
    created_at  timestamptz NOT NULL,
    content_sha256 text     NOT NULL,
    folded      text        NOT NULL
);
CREATE INDEX published_text_order ON published_text (created_at, post_id);

-- Held posts waiting for a reviewer (MB-6.1), with the text the reviewer judges.
CREATE TABLE review_item (
    decision_id  uuid PRIMARY KEY REFERENCES decision (id),
    post_id      uuid        NOT NULL,
    author_id    uuid        NOT NULL,
    text         text        NOT NULL,
    created_at   timestamptz NOT NULL,
    held_at      timestamptz NOT NULL DEFAULT now(),
    resolved_by  text,
    resolved_at  timestamptz,
    resolution   uuid REFERENCES decision (id)
);
CREATE INDEX review_item_open ON review_item (held_at) WHERE resolved_at IS NULL;
