-- What identity says of each author's standing (MB-9, PA-13.1), from its events: content enforces
-- suspensions, closures and credit limits at once, whatever the author's token says.
CREATE TABLE author_standing (
    account_id       uuid PRIMARY KEY,
    version          bigint      NOT NULL,
    credit_level     text        NOT NULL,
    limits           text[]      NOT NULL,
    suspended_until  timestamptz,
    closed           boolean     NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
