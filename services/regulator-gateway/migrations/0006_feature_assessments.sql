-- MB-13, PA-12.1: the security assessments of features with news-opinion attributes or social-mobilisation
-- capability (contracts.features), filed by the chief editor with the national office or a province's
-- (the filing, kind 'security_assessment', in the same transaction). An assessment is in force from the
-- office's acknowledgement until withdrawn; rows are never deleted (the record of why a gate was open).
-- The document is the platform's own assessment report, not personal data: stored as filed, not sealed.
CREATE TABLE feature_assessment (
    id               uuid PRIMARY KEY,
    feature          text        NOT NULL,
    version          integer     NOT NULL CHECK (version >= 1),
    level            text        NOT NULL CHECK (level IN ('national', 'provincial')),
    province_code    text,
    summary          text        NOT NULL,
    document         bytea       NOT NULL,
    document_sha256  text        NOT NULL,
    filed_by         uuid        NOT NULL,
    filed_at         timestamptz NOT NULL DEFAULT now(),
    filing_id        uuid        NOT NULL UNIQUE REFERENCES filing (id),
    status           text        NOT NULL DEFAULT 'filed' CHECK (status IN ('filed', 'acknowledged', 'withdrawn')),
    acknowledged_at  timestamptz,
    receipt_number   text,
    withdrawn_at     timestamptz,
    withdrawn_by     uuid,
    withdraw_reason  text,
    CHECK ((level = 'national') = (province_code IS NULL)),
    CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL))
);
-- One assessment of a feature's version at a time: another may be filed only after a withdrawal.
CREATE UNIQUE INDEX feature_assessment_current ON feature_assessment (feature, version) WHERE status <> 'withdrawn';
CREATE INDEX feature_assessment_listing ON feature_assessment (filed_at, id);
-- The re-announcement: the latest acknowledged assessment of each feature's version.
CREATE INDEX feature_assessment_acknowledged ON feature_assessment (feature, version, acknowledged_at DESC)
    WHERE acknowledged_at IS NOT NULL;
