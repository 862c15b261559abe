-- Abuse limits (issue 9): one-time codes, sign-ins and registrations counted over time, in the
-- database so every process of the service sees the same counts. `key` is never personal data in
-- the clear: a mobile number appears only as its keyed hash (hex, MB-7.3); an address as the client
-- address the gateway reported; an account as its id or, for sign-ins, its lower-cased username.
CREATE TABLE throttle_event (
    id    bigserial   PRIMARY KEY,
    kind  text        NOT NULL,
    key   text        NOT NULL,
    at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX throttle_event_kind_key_at ON throttle_event (kind, key, at DESC);
CREATE INDEX throttle_event_at ON throttle_event (at);

-- Ended sessions (PA-9.2 cancellation, PA-13.1 suspension and closure): tokens of the account issued
-- before `issued_before` are refused by every service (auth.revocation.v1, claim "sub"); announced
-- again until `expires_at`, when every such token has expired anyway.
CREATE TABLE session_revocation (
    id             bigserial   PRIMARY KEY,
    account_id     uuid        NOT NULL REFERENCES account (id),
    issued_before  timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    reason         text        NOT NULL,
    legal_basis    text[]      NOT NULL
);
CREATE INDEX session_revocation_account ON session_revocation (account_id, issued_before DESC);
CREATE INDEX session_revocation_expires ON session_revocation (expires_at);
