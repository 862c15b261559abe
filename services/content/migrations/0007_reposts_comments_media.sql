-- MB-2: reposts (转发) keep their chain and comments (跟帖) have one level of replies. Both are posts, so
-- moderation checks each exactly like one (MB-6.1) and every stop, hold and label applies to them.
--   repost:  parent_id = what was reposted, root_id = the original post of the chain
--   comment: parent_id = the post, repost or comment answered, root_id = the post or repost whose thread it is in
-- No foreign keys on the chain: a purged parent leaves its children, which then show it as unavailable.
ALTER TABLE post DROP CONSTRAINT post_status_check;
ALTER TABLE post ADD CONSTRAINT post_status_check
    CHECK (status IN ('pending', 'held', 'published', 'stopped', 'withdrawn', 'deleted'));
ALTER TABLE post ADD COLUMN kind text NOT NULL DEFAULT 'post' CHECK (kind IN ('post', 'repost', 'comment'));
ALTER TABLE post ADD COLUMN parent_id uuid;
ALTER TABLE post ADD COLUMN root_id uuid;
-- MB-16.2: a post its author deleted is served to nobody; the row stays as the record until purge_after.
ALTER TABLE post ADD COLUMN deleted_at timestamptz;
-- Comment management (MB-10.2, PA-12): 'shown'; 'awaiting' the owner's approval (精选); 'hidden' by the owner.
ALTER TABLE post ADD COLUMN owner_state text NOT NULL DEFAULT 'shown'
    CHECK (owner_state IN ('shown', 'awaiting', 'hidden'));
CREATE INDEX post_parent ON post (parent_id, kind, created_at DESC, id) WHERE parent_id IS NOT NULL;
CREATE INDEX post_root ON post (root_id, kind, created_at DESC, id) WHERE root_id IS NOT NULL;
DROP INDEX post_purge_due;
CREATE INDEX post_purge_due ON post (purge_after) WHERE status IN ('withdrawn', 'deleted');

-- Until when an author's content is served to nobody but the author (PA-13.1 suspension and closure,
-- PA-9.2 cancellation), decided by content.posts.domain.hidden_until; every read path checks it.
ALTER TABLE author_standing ADD COLUMN hidden_until timestamptz;
UPDATE author_standing SET hidden_until = CASE WHEN closed THEN '9999-12-31T00:00:00Z' ELSE suspended_until END;
UPDATE author_standing SET hidden_until = '9999-12-31T00:00:00Z'
 WHERE account_id IN (SELECT account_id FROM cancelled_author);

-- Media attachments by reference (MB-2): the bytes live in the object store under storage_key.
CREATE TABLE post_media (
    post_id       uuid    NOT NULL REFERENCES post (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    media_id      uuid    NOT NULL,
    content_type  text    NOT NULL,
    size          bigint  NOT NULL,
    sha256        text    NOT NULL,
    storage_key   text    NOT NULL,
    PRIMARY KEY (post_id, position)
);

-- Likes: one per account and post.
CREATE TABLE post_like (
    post_id     uuid        NOT NULL REFERENCES post (id) ON DELETE CASCADE,
    account_id  uuid        NOT NULL,
    liked_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (post_id, account_id)
);
CREATE INDEX post_like_account ON post_like (account_id, liked_at DESC);

-- Media a client uploaded (POST /v1/media), before and after a post references it: the bytes live in
-- the object store (content.media.storage) under storage_key; sha256 is of the bytes as received.
CREATE TABLE media (
    id            uuid PRIMARY KEY,
    owner_id      uuid        NOT NULL,
    content_type  text        NOT NULL,
    size          bigint      NOT NULL,
    sha256        text        NOT NULL,
    storage_key   text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX media_owner ON media (owner_id, created_at DESC);
