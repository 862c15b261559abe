-- PA-15.2 (issue 14): a projection of reporting's complaint cases (reporting.complaint.v1), for the handling
-- statistics each office sees of its jurisdiction (the province of the account responsible, from
-- account_jurisdiction at read time, so a province learnt later counts).
CREATE TABLE complaint_case_record (
    case_id      uuid PRIMARY KEY,
    target_type  text        NOT NULL,
    author_id    uuid,
    category     text        NOT NULL,
    opened_at    timestamptz,
    deadline     timestamptz,
    version      bigint      NOT NULL DEFAULT 0,
    complaints   integer     NOT NULL DEFAULT 0,
    upheld       boolean,
    action       text,
    decided_at   timestamptz
);
CREATE INDEX complaint_case_record_opened ON complaint_case_record (opened_at);
