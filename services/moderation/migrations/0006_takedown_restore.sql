-- Issue 14 (MB-6.1, MB-12.2, PA-5.1): staff take down published content (stage 'takedown': a stop of
-- transmission superseding the decision in force) and restore wrongly stopped content (stage 'restore': an
-- approval superseding the stop). A decision the chief editor made on an escalated item is final: later
-- takedown or restore of that content needs the chief editor.
ALTER TABLE decision DROP CONSTRAINT decision_stage_check;
ALTER TABLE decision ADD CONSTRAINT decision_stage_check
    CHECK (stage IN ('publication', 'review', 'retro_scan', 'takedown', 'restore'));
ALTER TABLE decision ADD COLUMN final boolean NOT NULL DEFAULT false;
-- one takedown, one restore of a decision in force: two staff acting at once make one
CREATE UNIQUE INDEX decision_takedown ON decision (supersedes) WHERE stage = 'takedown';
CREATE UNIQUE INDEX decision_restore ON decision (supersedes) WHERE stage = 'restore';
