-- Staff clearance of a bulk registration cohort (CM, BJ-9.2; issue 13 §16 item 6): the /24-per-hour heuristic
-- can catch a campus or carrier NAT. A cleared cohort records who cleared it, when and why; its members' reads
-- count again (RegistrationCohortCleared) and nobody joins it flagged any more. Listed newest first.
ALTER TABLE registration_cohort
    ADD COLUMN cleared_at        timestamptz,
    ADD COLUMN cleared_by        text,
    ADD COLUMN clearance_reason  text;
CREATE INDEX registration_cohort_listing ON registration_cohort (opened_at DESC, id DESC);
