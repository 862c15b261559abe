-- MB-16.2, PA-16.2 (issue 15): the user-log archive. Every service's user log entries (sign-ins, publications,
-- with time and network address) are appended to one hash chain: each record carries the hash of the one
-- before (regulator_gateway.archive.domain spells the encoding). Each UTC day is closed by an Ed25519-signed
-- anchor (the day's chain head), so a change, deletion or insertion is detectable by the regulator without
-- trusting the platform. Records are kept ARCHIVE_RETENTION_DAYS (>= 183) and then purged by whole days; the
-- anchors are kept for ever.
CREATE TABLE user_log_record (
    seq             bigint      PRIMARY KEY CHECK (seq >= 1),
    day             date        NOT NULL,  -- the archive's UTC day (not occurred_at's): late entries join today
    recorded_at     timestamptz NOT NULL,
    record_id       uuid        NOT NULL UNIQUE,  -- the producer's id: a redelivery adds nothing
    source          text        NOT NULL,  -- the announcing service
    kind            text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    account_id      uuid,
    actor_id        text,                  -- who acted (a staff action): 'staff:<id>'
    sealed_address  bytea       NOT NULL,  -- "<address> <port>" sealed to the archive's X25519 key (never plaintext)
    address_hash    bytea,                 -- HMAC-SHA256(ARCHIVE_LOOKUP_KEY, address): searched by address
    client_id       text        NOT NULL,
    subject_type    text        NOT NULL,
    subject_id      text        NOT NULL,
    succeeded       boolean     NOT NULL,
    detail          text        NOT NULL,
    legal_basis     text[]      NOT NULL,
    prev_hash       bytea       NOT NULL,
    hash            bytea       NOT NULL
);
CREATE INDEX user_log_record_day ON user_log_record (day, seq);
CREATE INDEX user_log_record_account ON user_log_record (account_id, seq) WHERE account_id IS NOT NULL;
CREATE INDEX user_log_record_address ON user_log_record (address_hash, seq) WHERE address_hash IS NOT NULL;
CREATE INDEX user_log_record_occurred ON user_log_record (occurred_at);

-- One signed anchor per closed UTC day: the chain head at the day's end (MB-16.2). Kept for ever, purge or not.
CREATE TABLE user_log_anchor (
    day               date        PRIMARY KEY,
    first_seq         bigint      NOT NULL,  -- an empty day: last_seq = first_seq - 1, count 0
    last_seq          bigint      NOT NULL,
    count             bigint      NOT NULL,
    head_hash         bytea       NOT NULL,  -- hash of record last_seq (the chain head before, for an empty day)
    prev_anchor_hash  bytea       NOT NULL,  -- SHA-256 of the previous day's anchor message (zeros for the first)
    signed_at         timestamptz NOT NULL,
    key_id            text        NOT NULL,
    signature         bytea       NOT NULL
);

-- Whole days purged past retention (MB-16.2): what went, when; their anchors stay.
CREATE TABLE user_log_purge (
    day          date        PRIMARY KEY,
    records      bigint      NOT NULL,
    purged_at    timestamptz NOT NULL DEFAULT now(),
    legal_basis  text[]      NOT NULL
);

-- Every query of the log by a regulator office (MB-16.1): who, when, what filter (an address only as its
-- lookup hash), how many rows.
CREATE TABLE log_query (
    id            bigserial   PRIMARY KEY,
    office_id     uuid        NOT NULL REFERENCES regulator_office (id),
    account_id    uuid,
    address_hash  bytea,
    since         timestamptz,
    until         timestamptz,
    after_seq     bigint,
    rows          integer     NOT NULL,
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX log_query_office ON log_query (office_id, id);

-- Append-only in the database too: UPDATE, DELETE and TRUNCATE of records are refused, except the DELETE of
-- user_log_purge_day() (a transaction-local setting it sets and clears). Anchors are never changed. The
-- database owner can still disable the triggers and tamper: that is what verification against the signed
-- anchors detects.
CREATE FUNCTION user_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'user_log_record' AND TG_OP = 'DELETE'
       AND current_setting('qinglang.user_log_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'MB-16.2: % is append-only; % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER user_log_record_append_only BEFORE UPDATE OR DELETE ON user_log_record
    FOR EACH ROW EXECUTE FUNCTION user_log_refuse_change();
CREATE TRIGGER user_log_record_no_truncate BEFORE TRUNCATE ON user_log_record
    FOR EACH STATEMENT EXECUTE FUNCTION user_log_refuse_change();
CREATE TRIGGER user_log_anchor_append_only BEFORE UPDATE OR DELETE ON user_log_anchor
    FOR EACH ROW EXECUTE FUNCTION user_log_refuse_change();
CREATE TRIGGER user_log_anchor_no_truncate BEFORE TRUNCATE ON user_log_anchor
    FOR EACH STATEMENT EXECUTE FUNCTION user_log_refuse_change();

-- The purge's one way in: a whole anchored day's records, past retention (checked by the caller too).
CREATE FUNCTION user_log_purge_day(purged date) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    gone bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM user_log_anchor WHERE day = purged) THEN
        RAISE EXCEPTION 'MB-16.2: day % has no anchor; only anchored days are purged', purged;
    END IF;
    PERFORM set_config('qinglang.user_log_purge', 'on', true);
    DELETE FROM user_log_record WHERE day = purged;
    GET DIAGNOSTICS gone = ROW_COUNT;
    PERFORM set_config('qinglang.user_log_purge', 'off', true);
    RETURN gone;
END
$$;
