-- Issue 15 (MB-12.2, BJ-7(8)): a stop's sealed snapshot goes to the regulator gateway as the evidence of its
-- report (StopSnapshotSealed, announced with the stop). evidence_announced_at: when it was last announced;
-- evidence_held_at: when the gateway said it holds the evidence (its ReportFiled carried evidence_sha256).
-- The reconciler announces again what the gateway does not hold yet (stops from before this migration too,
-- which announced_at NULL sends at once).
ALTER TABLE transmission_stop
    ADD COLUMN evidence_announced_at timestamptz,
    ADD COLUMN evidence_held_at      timestamptz;
CREATE INDEX transmission_stop_evidence_unheld ON transmission_stop (evidence_announced_at NULLS FIRST)
    WHERE evidence_held_at IS NULL;
