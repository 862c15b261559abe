-- Issue 15 (MB-16.1, MB-3): a rate limit per office that holds across every process of the service: a
-- fixed-window counter, one row per office per minute, one UPSERT per request. Windows a few minutes old
-- are pruned by the service's worker.
CREATE TABLE office_rate_window (
    office_id     uuid        NOT NULL,
    window_start  timestamptz NOT NULL,
    requests      integer     NOT NULL,
    PRIMARY KEY (office_id, window_start)
);

-- Each office's access record (MB-16.1: every access recorded), which the office reads itself: the route
-- (its template), the answer's status, the key used and the query's filters (declared filters only: never
-- personal data). One INSERT per request, outside any transaction.
ALTER TABLE regulator_access
    ADD COLUMN route    text,
    ADD COLUMN status   integer,
    ADD COLUMN key_id   text,
    ADD COLUMN filters  jsonb NOT NULL DEFAULT '{}';
CREATE INDEX regulator_access_office ON regulator_access (office_id, accessed_at, id);
CREATE INDEX regulator_access_listing ON regulator_access (accessed_at, id);
