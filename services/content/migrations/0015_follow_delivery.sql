-- Nothing acknowledged is lost (see 0014): a follow's FollowStarted drives the backfill of the follower's
-- home timeline and the followee's notice. Each consumer notes the follow it handled; a reconciler
-- announces again, after a grace period (at once after a broker loss), a follow one of them has not noted.
ALTER TABLE follow ADD COLUMN announced_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE follow ADD COLUMN backfilled_at timestamptz;
ALTER TABLE follow ADD COLUMN notified_at timestamptz;
UPDATE follow SET announced_at = followed_at, backfilled_at = followed_at, notified_at = followed_at;
CREATE INDEX follow_undelivered ON follow (announced_at) WHERE backfilled_at IS NULL OR notified_at IS NULL;
