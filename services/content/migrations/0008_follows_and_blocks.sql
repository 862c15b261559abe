-- MB-2: the follow mechanism. A follow row is one account following another; follow_count holds each
-- account's counts (and a version announced with them, MB-9); block is one account blocking another
-- (the blocked account may not follow, comment on or repost the blocker).
CREATE TABLE follow (
    follower_id  uuid        NOT NULL,
    followee_id  uuid        NOT NULL,
    followed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (follower_id, followee_id),
    CHECK (follower_id <> followee_id)
);
CREATE INDEX follow_followee ON follow (followee_id, followed_at DESC, follower_id);
CREATE INDEX follow_follower ON follow (follower_id, followed_at DESC, followee_id);

CREATE TABLE follow_count (
    account_id  uuid   PRIMARY KEY,
    followers   bigint NOT NULL DEFAULT 0 CHECK (followers >= 0),
    following   bigint NOT NULL DEFAULT 0 CHECK (following >= 0),
    version     bigint NOT NULL DEFAULT 0
);

CREATE TABLE block (
    blocker_id  uuid        NOT NULL,
    blocked_id  uuid        NOT NULL,
    blocked_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
CREATE INDEX block_blocked ON block (blocked_id, blocker_id);
