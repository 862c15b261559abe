-- Graded management (MB-9, PA-6.2, PA-7.2): the grading rules are data, versioned and filed with the
-- regulator; each account's grade is computed from them and announced with its standing.
CREATE TABLE grading_rules (
    version       integer PRIMARY KEY,
    rules         jsonb       NOT NULL,
    published_by  text        NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE account
    ADD COLUMN grade             integer,
    ADD COLUMN grade_rules       integer,
    ADD COLUMN followers         bigint NOT NULL DEFAULT 0,
    ADD COLUMN reads             bigint NOT NULL DEFAULT 0;

-- Operators of many public accounts (PA-7.3): the declaration (registrant, business scope, accounts),
-- filed with the office of the operator's province.
CREATE TABLE operator_declaration (
    id              uuid PRIMARY KEY,
    account_id      uuid        NOT NULL REFERENCES account (id),
    registrant      text        NOT NULL,
    business_scope  text        NOT NULL,
    accounts        uuid[]      NOT NULL,
    declared_at     timestamptz NOT NULL DEFAULT now()
);
