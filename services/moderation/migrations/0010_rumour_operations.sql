-- MB-11, MB-6.1: the chief editor withdraws a rumour (it stops matching; the labels it put go) or raises it
-- to a stop (its cluster is stopped, each stop reported once, MB-12.2). Both re-decide posts as a job
-- (kit_0005_jobs.sql); the retro-scan after a registration is a job too (`scan_job_id`).
ALTER TABLE rumour
    ADD COLUMN withdrawn_at        timestamptz,
    ADD COLUMN withdrawn_by        text,
    ADD COLUMN withdrawal_reason   text,
    ADD COLUMN escalated_at        timestamptz,
    ADD COLUMN escalated_by        text,
    ADD COLUMN escalation_reason   text,
    ADD COLUMN escalation_category text,
    ADD COLUMN scan_job_id         uuid;

-- The rumour index's version: bumped by every registration, withdrawal and escalation (each process
-- rebuilds its index when it changes).
CREATE SEQUENCE rumour_revision;
ALTER TABLE rumour ADD COLUMN revision bigint NOT NULL DEFAULT nextval('rumour_revision');

-- A rumour's label is superseded once: by an approval when the rumour is withdrawn, by a stop when it is
-- raised to one. The first retro-scan decision on a post per rumour stays unique as before.
DROP INDEX decision_retro;
CREATE UNIQUE INDEX decision_retro ON decision (post_id, rumour_id) WHERE stage = 'retro_scan' AND supersedes IS NULL;
CREATE UNIQUE INDEX decision_retro_superseding ON decision (supersedes)
    WHERE stage = 'retro_scan' AND supersedes IS NOT NULL;
CREATE INDEX decision_rumour_label ON decision (rumour_id, decided_at, id) WHERE outcome = 'label';
