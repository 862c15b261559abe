-- MB-9: the follower count content announces (FollowerCountChanged) is taken only when its version is
-- newer than the one held: a late or repeated announcement never moves the count back.
ALTER TABLE account ADD COLUMN followers_version bigint NOT NULL DEFAULT 0;
