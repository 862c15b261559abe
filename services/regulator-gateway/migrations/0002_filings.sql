-- Filings other than reports of stopped content: the blacklist (PA-13.2) now; verified accounts
-- (MB-10.1), grading rules (MB-9) and operators of many accounts (PA-7.3) use the same table.
-- One filing per announcing event (its CloudEvents id), each for the office of its province.
CREATE TABLE filing (
    id             uuid PRIMARY KEY,
    event_id       text        NOT NULL UNIQUE,
    kind           text        NOT NULL,
    account_id     uuid,
    province_code  text,
    legal_basis    text[]      NOT NULL,
    details        jsonb       NOT NULL,
    filed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX filing_jurisdiction ON filing (province_code, filed_at);
