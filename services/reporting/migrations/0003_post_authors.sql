-- Who wrote each post (MB-14): a projection of content's post announcements (content.post.v1), so a
-- complaint names a post that exists and an upheld complaint penalises its author, never an account
-- a reviewer names.
CREATE TABLE post_author (
    post_id       uuid PRIMARY KEY,
    author_id     uuid        NOT NULL,
    announced_at  timestamptz NOT NULL DEFAULT now()
);

-- The author of the post complained about, as known when the complaint was filed.
ALTER TABLE complaint ADD COLUMN author_id uuid;
