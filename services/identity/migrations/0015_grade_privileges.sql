-- Grades that bite (MB-9, PA-7.2): the read count content announces (ReadCountChanged) is taken only when
-- its version is newer than the one held, like the follower count. The privileges of each grade are data
-- in the grading rules (jsonb, unchanged here).
ALTER TABLE account ADD COLUMN reads_version bigint NOT NULL DEFAULT 0;
