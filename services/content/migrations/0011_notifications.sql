-- Notifications: an inbox per account. One row per notification and recipient; the dedup key is unique
-- per recipient, so an event delivered twice, or announced again by a reconciler, notifies once. The
-- statement of reasons (category, legal basis, reason) where there is one (MB-12.2, MB-6.1, PA-13.1,
-- MB-7.2); details hold a refutation (MB-11) or a standing (PA-6.2). What a row is about (post_id) is
-- shown only while the recipient may see it (content.notifications.store.shown_sql).
CREATE TABLE notification (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    recipient_id  uuid        NOT NULL,
    dedup_key     text        NOT NULL,
    kind          text        NOT NULL,
    actor_id      uuid,
    post_id       uuid,
    category      text,
    legal_basis   text[]      NOT NULL DEFAULT '{}',
    reason        text,
    details       jsonb       NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    read_at       timestamptz,
    UNIQUE (recipient_id, dedup_key)
);
CREATE INDEX notification_inbox ON notification (recipient_id, created_at DESC, id DESC);
CREATE INDEX notification_unread ON notification (recipient_id, created_at DESC, id DESC) WHERE read_at IS NULL;

-- The last standing of each account the notifier saw (PA-13.1, PA-6.2): a change is told only when it
-- is one the holder would care about, measured against this.
CREATE TABLE notified_standing (
    account_id       uuid        PRIMARY KEY,
    version          bigint      NOT NULL,
    credit_score     integer     NOT NULL,
    credit_level     text        NOT NULL,
    limits           text[]      NOT NULL DEFAULT '{}',
    suspended_until  timestamptz,
    closed           boolean     NOT NULL DEFAULT false
);
