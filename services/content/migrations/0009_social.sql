-- MB-2: an account's blocks, newest first (GET /v1/accounts/me/blocks), in the keyset order of its pages.
CREATE INDEX block_blocker ON block (blocker_id, blocked_at DESC, blocked_id);
