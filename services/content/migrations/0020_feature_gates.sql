-- MB-13, PA-12.1: features with news-opinion attributes or social-mobilisation capability (contracts.features)
-- stay off until a security assessment of their current version is filed with the regulator and
-- acknowledged. Content keeps the regulator gateway's news of each (feature, version): the assessment in
-- force, its receipt, and its withdrawal. A gate is open for the code's version only while it is
-- acknowledged and not withdrawn. Rows are never deleted: they are the record of why a gate was open.
CREATE TABLE feature_gate (
    feature          text        NOT NULL,
    version          integer     NOT NULL CHECK (version >= 1),
    assessment_id    uuid        NOT NULL,
    receipt_number   text        NOT NULL DEFAULT '',
    level            text        NOT NULL DEFAULT '',
    province_code    text        NOT NULL DEFAULT '',
    acknowledged_at  timestamptz,
    withdrawn_at     timestamptz,
    withdraw_reason  text        NOT NULL DEFAULT '',
    legal_basis      text[]      NOT NULL DEFAULT '{}',
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (feature, version),
    CHECK (acknowledged_at IS NOT NULL OR withdrawn_at IS NOT NULL)
);
