-- Nothing acknowledged is lost: a published post's PostPublished drives the fan-out into home timelines
-- (MB-2) and the notifier; a broker that loses the event in flight (the embedded one keeps topics in
-- memory) would lose both. Publishing a post writes a row here in the same transaction; the consumer
-- that fans it out and tells the parent's author deletes it in the same transaction as its effects; a
-- reconciler announces again, after a grace period (at once after a broker loss), what is still here
-- (content.posts.handlers.reannounce_undelivered). The consumer is idempotent, so a repeat doubles
-- nothing. A narrow table of its own: updating the post row instead would rewrite every index of `post`
-- (its search index included) once more per post.
CREATE TABLE post_delivery (
    post_id       uuid PRIMARY KEY,
    announced_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX post_delivery_due ON post_delivery (announced_at);
