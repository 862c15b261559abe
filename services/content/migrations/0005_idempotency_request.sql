-- An Idempotency-Key replays its first post only for the same request: the hash of the canonical
-- request is kept with the key, and the same key with another body is refused (422).
ALTER TABLE post ADD COLUMN request_sha256 text;
