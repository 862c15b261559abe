-- Issue 14 (MB-6.1, MB-14, PA-5.1): the review queue grows into queue items of two kinds. 'held_post' is a
-- post held at publication (the rows so far); 'complaint_case' is reporting's case of complaints about one
-- target (ComplaintCase, upserted by case id, newest version kept). Items move open -> assigned -> escalated
-- -> closed; every staff action on one is recorded in review_action (claimed, released, assigned, escalated,
-- noted, decided: who, when, why).
ALTER TABLE review_item ADD COLUMN id uuid;
UPDATE review_item SET id = gen_random_uuid();
ALTER TABLE review_item ALTER COLUMN id SET NOT NULL;
ALTER TABLE review_item DROP CONSTRAINT review_item_pkey;
ALTER TABLE review_item ADD PRIMARY KEY (id);
ALTER TABLE review_item ALTER COLUMN decision_id DROP NOT NULL;
CREATE UNIQUE INDEX review_item_decision ON review_item (decision_id) WHERE decision_id IS NOT NULL;
ALTER TABLE review_item ALTER COLUMN post_id DROP NOT NULL;
ALTER TABLE review_item ALTER COLUMN text DROP NOT NULL;
ALTER TABLE review_item ALTER COLUMN created_at DROP NOT NULL;
ALTER TABLE review_item
    ADD COLUMN kind             text        NOT NULL DEFAULT 'held_post' CHECK (kind IN ('held_post', 'complaint_case')),
    -- 'post' (posts, reposts, comments and articles: all are posts to moderation) or 'account'
    ADD COLUMN target_type      text        NOT NULL DEFAULT 'post' CHECK (target_type IN ('post', 'account')),
    ADD COLUMN target_id        uuid,
    -- what the complaint named the target as: post, comment, article, account ('' for held posts)
    ADD COLUMN target_kind      text        NOT NULL DEFAULT '',
    ADD COLUMN state            text        NOT NULL DEFAULT 'open'
        CHECK (state IN ('open', 'assigned', 'escalated', 'closed')),
    ADD COLUMN assignee         text,
    ADD COLUMN priority         integer     NOT NULL DEFAULT 0,
    ADD COLUMN deadline         timestamptz,
    ADD COLUMN category         text        NOT NULL DEFAULT '',
    ADD COLUMN escalation_reason text,
    -- the complaint case's facts (reporting's ComplaintCase), newest version kept
    ADD COLUMN case_id          uuid,
    ADD COLUMN case_version     bigint,
    ADD COLUMN case_facts       jsonb,
    -- how it was closed: acted (anything but approve / dismiss / none), upheld and action for cases, and
    -- whether the chief editor decided it on escalation (final, MB-6.1, PA-5.1)
    ADD COLUMN acted            boolean,
    ADD COLUMN upheld           boolean,
    ADD COLUMN action           text,
    ADD COLUMN final            boolean     NOT NULL DEFAULT false,
    ADD COLUMN decision_note    text;
UPDATE review_item SET target_id = post_id, state = CASE WHEN resolved_at IS NULL THEN 'open' ELSE 'closed' END,
       acted = CASE WHEN resolved_at IS NULL THEN NULL
                    ELSE (SELECT d.outcome <> 'approve' FROM decision d WHERE d.id = review_item.resolution) END;
UPDATE review_item r SET category = d.category,
       priority = CASE d.risk WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END
  FROM decision d WHERE d.id = r.decision_id;
ALTER TABLE review_item ALTER COLUMN target_id SET NOT NULL;
ALTER TABLE review_item ADD CONSTRAINT review_item_kind_fields CHECK (
    (kind = 'held_post' AND decision_id IS NOT NULL AND post_id IS NOT NULL)
    OR (kind = 'complaint_case' AND case_id IS NOT NULL));
CREATE UNIQUE INDEX review_item_case ON review_item (case_id) WHERE case_id IS NOT NULL;
-- the queue's order: priority first, then the nearest deadline, then age
CREATE INDEX review_item_queue ON review_item (priority DESC, (coalesce(deadline, '9999-12-31 00:00:00+00'::timestamptz)), held_at, id)
    WHERE state <> 'closed';
CREATE INDEX review_item_target ON review_item (target_id);
CREATE INDEX review_item_closed ON review_item (resolved_at) WHERE state = 'closed';

CREATE TABLE review_action (
    id        bigserial   PRIMARY KEY,
    item_id   uuid        NOT NULL REFERENCES review_item (id),
    action    text        NOT NULL
        CHECK (action IN ('opened', 'claimed', 'released', 'assigned', 'escalated', 'noted', 'decided')),
    actor     text        NOT NULL,
    at        timestamptz NOT NULL DEFAULT now(),
    -- the reason given (escalation, decision), the note's text, or the assignee
    text      text        NOT NULL DEFAULT '',
    detail    jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX review_action_item ON review_action (item_id, id);
