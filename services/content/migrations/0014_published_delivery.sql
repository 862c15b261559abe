-- Nothing acknowledged is lost: a published post's PostPublished drives the fan-out into home timelines
-- (MB-2) and the notifier; a broker that loses the event in flight (the embedded one keeps topics in
-- memory) would lose both. Each consumer notes that it handled the post, in the same transaction as its
-- effect; a reconciler announces again, after a grace period (at once after a broker loss), what a
-- consumer has not noted yet (content.posts.handlers.reannounce_undelivered). Both consumers are
-- idempotent, so a repeat doubles nothing.
ALTER TABLE post ADD COLUMN published_announced_at timestamptz;
ALTER TABLE post ADD COLUMN fanned_out_at timestamptz;
ALTER TABLE post ADD COLUMN notified_at timestamptz;
-- What was published before this migration was delivered by then.
UPDATE post SET published_announced_at = decided_at, fanned_out_at = decided_at, notified_at = decided_at
 WHERE status = 'published';
CREATE INDEX post_undelivered ON post (published_announced_at)
    WHERE status = 'published' AND (fanned_out_at IS NULL OR notified_at IS NULL);
