-- Issue 13 §2: articles are posts (PA-11, MB-6.1): the head (kind 'article', its id the article's) and each
-- later revision (kind 'correction', parent_id the head) are moderated like any post; the article tables
-- keep what a post does not (title, the sanitised body, byline, revisions, drafts).
ALTER TABLE post DROP CONSTRAINT post_kind_check;
ALTER TABLE post ADD CONSTRAINT post_kind_check CHECK (kind IN ('post', 'repost', 'comment', 'article', 'correction'));
-- MB-4 / PA-8: the category a publication declared (NULL: none; 'news' needs a licence).
ALTER TABLE post ADD COLUMN category text;

CREATE TABLE article (
    id              uuid PRIMARY KEY REFERENCES post (id) ON DELETE CASCADE,
    account_id      uuid        NOT NULL,
    title           text        NOT NULL,
    format          text        NOT NULL CHECK (format IN ('markdown', 'html')),
    body_source     text        NOT NULL,
    body_html       text        NOT NULL,
    cover_media_id  uuid,
    category        text        NOT NULL,
    original        boolean     NOT NULL,
    source          text,
    author_name     text,
    editor_id       uuid,
    pushed          boolean     NOT NULL DEFAULT false,
    shown_post_id   uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    withdrawn_at    timestamptz,
    CHECK (original OR source IS NOT NULL)
);
CREATE INDEX article_account ON article (account_id, created_at DESC, id);

-- PA-11: every revision stays the record; shown_at once moderation published it.
CREATE TABLE article_revision (
    post_id          uuid PRIMARY KEY REFERENCES post (id) ON DELETE CASCADE,
    article_id       uuid        NOT NULL REFERENCES article (id) ON DELETE CASCADE,
    revision         integer     NOT NULL,
    title            text        NOT NULL,
    body_source      text        NOT NULL,
    body_html        text        NOT NULL,
    correction_note  text,
    editor_id        uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    shown_at         timestamptz,
    UNIQUE (article_id, revision)
);

CREATE TABLE article_draft (
    id              uuid PRIMARY KEY,
    account_id      uuid        NOT NULL,
    title           text        NOT NULL,
    format          text        NOT NULL CHECK (format IN ('markdown', 'html')),
    body_source     text        NOT NULL,
    cover_media_id  uuid,
    media_ids       uuid[]      NOT NULL DEFAULT '{}',
    category        text        NOT NULL,
    original        boolean     NOT NULL,
    source          text,
    author_name     text,
    editor_id       uuid,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer     NOT NULL DEFAULT 1
);
CREATE INDEX article_draft_account ON article_draft (account_id, updated_at DESC, id);
