-- Accounts created in bulk (CM, BJ-9.2, BJ-7(7)): BULK_COHORT_MIN registrations from one address (a /24 IPv4
-- or /64 IPv6 network) within BULK_COHORT_WINDOW_S open a cohort; its members (the window's accounts, then
-- each later one while registrations keep coming) are announced so content discounts their reads. The
-- address is kept only as a keyed hash (HMAC) of its network, and only as long as the window counts it.
CREATE TABLE registration_address (
    account_id     uuid PRIMARY KEY REFERENCES account (id),
    address_key    bytea       NOT NULL,
    registered_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registration_address_key ON registration_address (address_key, registered_at DESC);
CREATE INDEX registration_address_at ON registration_address (registered_at);

CREATE TABLE registration_cohort (
    id              uuid PRIMARY KEY,
    address_key     bytea       NOT NULL,
    opened_at       timestamptz NOT NULL DEFAULT now(),
    last_joined_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX registration_cohort_key ON registration_cohort (address_key, last_joined_at DESC);

CREATE TABLE cohort_member (
    cohort_id   uuid        NOT NULL REFERENCES registration_cohort (id),
    account_id  uuid        NOT NULL REFERENCES account (id),
    joined_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cohort_id, account_id)
);
CREATE INDEX cohort_member_account ON cohort_member (account_id);
