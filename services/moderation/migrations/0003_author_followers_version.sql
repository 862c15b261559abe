-- MB-9 / MB-6.1: authors' follower counts come from content (FollowerCountChanged), taken only when
-- their version is newer than the one held, for the high-reach routing.
ALTER TABLE author_standing ADD COLUMN followers_version bigint;
