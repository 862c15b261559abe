-- Issue 14 (MB-14 / PA-15.2 / BJ-13): complaints about posts, comments, articles and accounts, with
-- evidence, the victim's proof for an infringement, an acceptance receipt; grouped into one case per target
-- with a deadline, escalation and breaches; screened for malicious reports (恶意举报甄别).

ALTER TABLE complaint DROP CONSTRAINT complaint_target_type_check;
ALTER TABLE complaint ADD CONSTRAINT complaint_target_type_check
    CHECK (target_type IN ('post', 'comment', 'article', 'account'));
ALTER TABLE complaint
    ADD COLUMN receipt_number  text UNIQUE,
    ADD COLUMN case_id         uuid,
    ADD COLUMN evidence        jsonb            NOT NULL DEFAULT '{}',
    ADD COLUMN victim_proof    jsonb,
    ADD COLUMN weight          double precision NOT NULL DEFAULT 1,
    ADD COLUMN action          text;
CREATE INDEX complaint_of_complainant ON complaint (complainant_id, filed_at DESC, id DESC);
CREATE INDEX complaint_of_case ON complaint (case_id);
-- Screening: a reporter's recently dismissed complaints.
CREATE INDEX complaint_dismissed ON complaint (complainant_id, decided_at) WHERE upheld = false;

-- The receipts' sequence (MB-14: a human-readable, unique number).
CREATE SEQUENCE complaint_receipt;

-- What each post is (post, repost, comment, article, correction): a complaint names its kind. NULL: a post
-- learnt before kinds were (taken as any kind).
ALTER TABLE post_author ADD COLUMN kind text;

-- Accounts (identity.account.v1): complaints about accounts name known ones; screening reads registration
-- time and credit (no personal data).
CREATE TABLE account (
    account_id        uuid PRIMARY KEY,
    registered_at     timestamptz,
    credit_score      integer,
    standing_version  bigint  NOT NULL DEFAULT 0,
    public            boolean NOT NULL DEFAULT false
);

-- One open case per target (MB-14); a complaint after the case closed opens a new one.
CREATE TABLE complaint_case (
    id               uuid PRIMARY KEY,
    target_type      text             NOT NULL,
    target_id        uuid             NOT NULL,
    author_id        uuid,
    category         text             NOT NULL,
    categories       text[]           NOT NULL,
    complaint_count  integer          NOT NULL,
    weight           double precision NOT NULL,
    coordinated      boolean          NOT NULL DEFAULT false,
    priority         integer          NOT NULL CHECK (priority BETWEEN 0 AND 3),
    victim_proof     boolean          NOT NULL DEFAULT false,
    opened_at        timestamptz      NOT NULL,
    deadline         timestamptz      NOT NULL,
    escalate_at      timestamptz      NOT NULL,
    escalated_at     timestamptz,
    breached_at      timestamptz,
    version          bigint           NOT NULL,
    state            text             NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    upheld           boolean,
    action           text,
    note             text,
    decided_by       text,
    decided_at       timestamptz,
    decision_id      uuid
);
CREATE UNIQUE INDEX complaint_case_open_per_target ON complaint_case (target_type, target_id) WHERE state = 'open';
CREATE INDEX complaint_case_to_escalate ON complaint_case (escalate_at) WHERE state = 'open' AND escalated_at IS NULL;
CREATE INDEX complaint_case_to_breach ON complaint_case (deadline) WHERE state = 'open' AND breached_at IS NULL;
CREATE INDEX complaint_case_by_deadline ON complaint_case (deadline, id);
CREATE INDEX complaint_case_opened ON complaint_case (opened_at);

-- PA-15.2: a deadline passed with the case unhandled, once per case.
CREATE TABLE complaint_case_breach (
    case_id      uuid PRIMARY KEY REFERENCES complaint_case (id),
    category     text        NOT NULL,
    deadline     timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

-- Complaints still waiting for an outcome join a case of their target (72 h from their first filing, the
-- default window; announced when it next changes). Decided ones keep no case.
INSERT INTO complaint_case (id, target_type, target_id, author_id, category, categories, complaint_count, weight,
                            priority, opened_at, deadline, escalate_at, version)
SELECT gen_random_uuid(), target_type, target_id,
       (array_agg(author_id) FILTER (WHERE author_id IS NOT NULL))[1],
       (array_agg(reason ORDER BY filed_at))[1], array_agg(DISTINCT reason), count(*), count(*), 2,
       min(filed_at), min(filed_at) + interval '72 hours', min(filed_at) + interval '54 hours', 1
  FROM complaint
 WHERE decided_at IS NULL
 GROUP BY target_type, target_id;
UPDATE complaint c SET case_id = k.id
  FROM complaint_case k
 WHERE c.decided_at IS NULL AND k.target_type = c.target_type AND k.target_id = c.target_id;
