-- Reposts, comments and likes (MB-2) and comment management (MB-10.2, PA-12). Reposts and comments are
-- rows of post (0007); likes are post_like.

-- MB-10.2: an account's verified type, from identity's VerifiedAccountApproved: organisation accounts
-- (enterprise, public_institution, government, media) get approval and delegation by default.
CREATE TABLE verified_account (
    account_id     uuid PRIMARY KEY,
    verified_type  text        NOT NULL,
    approved_at    timestamptz NOT NULL
);

-- MB-10.2 / PA-12: how comments under an account's posts are managed; NULL: the default (approval: on for
-- organisation accounts). A post's own settings (post_comment_settings) come first.
CREATE TABLE comment_settings (
    account_id      uuid PRIMARY KEY,
    closed          boolean,
    followers_only  boolean,
    approval        boolean,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE post_comment_settings (
    post_id         uuid PRIMARY KEY REFERENCES post (id) ON DELETE CASCADE,
    closed          boolean,
    followers_only  boolean,
    approval        boolean,
    updated_by      uuid        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- MB-10.2: the operators an organisation account names to manage the comments under its posts.
CREATE TABLE comment_delegate (
    owner_id     uuid        NOT NULL,
    delegate_id  uuid        NOT NULL,
    named_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_id, delegate_id),
    CHECK (owner_id <> delegate_id)
);
CREATE INDEX comment_delegate_delegate ON comment_delegate (delegate_id, owner_id);

-- The record of every management action on a comment (hide, unhide, approve, delete): who, when.
CREATE TABLE comment_action (
    id          bigserial PRIMARY KEY,
    comment_id  uuid        NOT NULL,
    action      text        NOT NULL CHECK (action IN ('hide', 'unhide', 'approve', 'delete')),
    actor_id    uuid        NOT NULL,
    acted_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comment_action_comment ON comment_action (comment_id, acted_at);

-- PA-12.2: staff restrict or remove an account's comment, repost or like features when it manages them
-- badly; recorded with the reason and legal basis, never deleted (a lift is recorded on the row).
CREATE TABLE feature_restriction (
    id           uuid PRIMARY KEY,
    account_id   uuid        NOT NULL,
    features     text[]      NOT NULL CHECK (cardinality(features) > 0
                                             AND features <@ ARRAY['comments', 'reposts', 'likes']::text[]),
    reason       text        NOT NULL,
    legal_basis  text[]      NOT NULL,
    until        timestamptz,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    lifted_at    timestamptz,
    lifted_by    text,
    lift_reason  text
);
CREATE INDEX feature_restriction_account ON feature_restriction (account_id, created_at DESC, id);
CREATE INDEX feature_restriction_created ON feature_restriction (created_at DESC, id);

-- PA-6.2 / PA-13.1: where each limit in force comes from ({"no_reposts": "PA-13.1", ...}), decided by
-- content.posts.domain.limit_basis when identity's standing arrives; refusals name it.
ALTER TABLE author_standing ADD COLUMN limit_basis jsonb NOT NULL DEFAULT '{}';
