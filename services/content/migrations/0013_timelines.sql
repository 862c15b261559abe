-- MB-2: home timelines, fanned out on write. One row per follower per post or repost of an ordinary
-- account (comments never fan out; accounts with very many followers are merged at read time instead).
-- Rows are pointers only: every read joins post and applies the read rule (MB-12.2, PA-13.1), so a stop,
-- hold, deletion or hidden author leaves every home timeline at once without touching these rows.
-- The key is the read's order (newest first per owner, scanned backwards) and makes the fan-out
-- idempotent: created_at is always the post's own, so (owner_id, post_id) is unique too.
CREATE TABLE timeline_entry (
    owner_id    uuid        NOT NULL,
    post_id     uuid        NOT NULL,
    author_id   uuid        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (owner_id, created_at, post_id) INCLUDE (author_id)
);

-- An account's own timeline, and the posts merged at read time (the reader's own, large accounts'):
-- an author's posts and reposts in order, comments left out.
CREATE INDEX post_author_timeline ON post (author_id, created_at, id) WHERE kind IN ('post', 'repost');
-- The accounts whose posts are merged at read time (followers at or above the setting).
CREATE INDEX follow_count_followers ON follow_count (followers, account_id);
