-- The service agreement and platform rules (MB-6.2, PA-5.2): versioned; publishing needs acceptance of
-- the current version, and every acceptance is recorded.
CREATE TABLE service_agreement (
    version       integer PRIMARY KEY,
    title         text        NOT NULL,
    body          text        NOT NULL,
    sha256        text        NOT NULL,
    published_by  text        NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agreement_acceptance (
    account_id   uuid        NOT NULL REFERENCES account (id),
    version      integer     NOT NULL REFERENCES service_agreement (version),
    accepted_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, version)
);
