-- MB-13, PA-12.1, MB-16.1: the office in whose jurisdiction a filing lies acknowledges it with its own
-- receipt number (for a security assessment, what opens the feature's gate). Set once; the same receipt
-- again changes nothing, another is refused.
ALTER TABLE filing
    ADD COLUMN acknowledged_at  timestamptz,
    ADD COLUMN acknowledged_by  uuid REFERENCES regulator_office (id),
    ADD COLUMN receipt_number   text;
