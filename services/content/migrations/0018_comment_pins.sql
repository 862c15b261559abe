-- Issue 13 §4 (PA-12.2): an operator pins comments on a thread; pinned ones come first.
CREATE TABLE comment_pin (
    comment_id  uuid PRIMARY KEY REFERENCES post (id) ON DELETE CASCADE,
    root_id     uuid        NOT NULL,
    pinned_by   uuid        NOT NULL,
    pinned_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comment_pin_root ON comment_pin (root_id, pinned_at DESC);

-- Each pin and unpin is recorded with the other management actions.
ALTER TABLE comment_action DROP CONSTRAINT comment_action_action_check;
ALTER TABLE comment_action ADD CONSTRAINT comment_action_action_check
    CHECK (action IN ('hide', 'unhide', 'approve', 'delete', 'pin', 'unpin'));
