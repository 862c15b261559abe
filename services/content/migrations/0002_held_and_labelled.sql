-- A post can be held for human review (MB-6.1), and a published post can carry the refutation of a
-- rumour it spreads (MB-11).
ALTER TABLE post DROP CONSTRAINT post_status_check;
ALTER TABLE post ADD CONSTRAINT post_status_check CHECK (status IN ('pending', 'held', 'published', 'stopped'));

-- The author's province of registration when the post was made (from the token), announced with it.
ALTER TABLE post ADD COLUMN author_province_code text NOT NULL DEFAULT '';
ALTER TABLE post ADD COLUMN author_registered_at timestamptz;

CREATE TABLE post_label (
    post_id          uuid PRIMARY KEY REFERENCES post (id),
    decision_id      uuid        NOT NULL,
    rumour_id        uuid        NOT NULL,
    refutation_text  text        NOT NULL,
    refutation_url   text        NOT NULL,
    authority        text        NOT NULL,
    legal_basis      text[]      NOT NULL,
    labelled_at      timestamptz NOT NULL DEFAULT now()
);
