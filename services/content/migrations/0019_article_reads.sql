-- MB-9, PA-7.2, CM (S4, issue 13, docs/design/13-public-accounts.md §3): article read counts, counted once
-- per reader per Beijing day and robust against inflation. A read beacon is one insert here (no counter row
-- touched on the request path, so a viral article has no hot row); the aggregator claims uncounted rows and
-- adds their weights to the counts. No FK to article: the articles slice may land after this one.
CREATE TABLE article_read (
    article_id  uuid        NOT NULL,
    day         date        NOT NULL,          -- the reader's Beijing day
    reader_id   uuid        NOT NULL,
    account_id  uuid        NOT NULL,          -- the article's public account (its author)
    read_at     timestamptz NOT NULL DEFAULT now(),
    weight      smallint    NOT NULL CHECK (weight IN (0, 1)),
    -- Why a read weighs 0 (discounted, CM): bulk_registration, new_account, reader_daily_cap.
    flag        text        CHECK (flag IN ('bulk_registration', 'new_account', 'reader_daily_cap')),
    counted     boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (article_id, day, reader_id),
    CHECK ((weight = 0) = (flag IS NOT NULL))
);
CREATE INDEX article_read_uncounted ON article_read (read_at) WHERE NOT counted;
-- A flagged reader's recent reads are re-weighted (the retroactive discount); reader ids are user log
-- data, purged after READS_RETENTION_DAYS (MB-16.2).
CREATE INDEX article_read_reader ON article_read (reader_id, day);
CREATE INDEX article_read_day ON article_read (day);

CREATE TABLE article_read_count (
    article_id     uuid   PRIMARY KEY,
    account_id     uuid   NOT NULL,
    reads          bigint NOT NULL DEFAULT 0,   -- weighted: what every article view shows
    flagged_reads  bigint NOT NULL DEFAULT 0    -- discounted reads (operators and staff only)
);
CREATE INDEX article_read_count_account ON article_read_count (account_id);

-- Each public account's reads, announced as ReadCountChanged (version+1) at most every
-- READ_ANNOUNCE_INTERVAL_S while it changes; identity keeps the newest version and regrades.
CREATE TABLE read_count_account (
    account_id     uuid        PRIMARY KEY,
    reads          bigint      NOT NULL DEFAULT 0,
    flagged_reads  bigint      NOT NULL DEFAULT 0,
    version        bigint      NOT NULL DEFAULT 0,
    changed_at     timestamptz NOT NULL DEFAULT now(),
    announced_at   timestamptz
);
CREATE INDEX read_count_account_unannounced ON read_count_account (changed_at)
    WHERE announced_at IS NULL OR announced_at < changed_at;

-- How many weighted reads a reader has had counted on a Beijing day (READS_COUNTED_PER_READER_PER_DAY).
CREATE TABLE reader_day (
    reader_id  uuid    NOT NULL,
    day        date    NOT NULL,
    counted    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (reader_id, day)
);

-- CM, BJ-9.2: accounts identity flagged as registered in bulk (RegistrationCohortFlagged). Their reads
-- weigh 0; the aggregator re-weights their reads of the last READ_REFLAG_DAYS once (reweighted_at).
CREATE TABLE reader_flag (
    account_id    uuid        PRIMARY KEY,
    cohort_id     uuid        NOT NULL,
    flag          text        NOT NULL DEFAULT 'bulk_registration',
    flagged_at    timestamptz NOT NULL,
    reweighted_at timestamptz
);
CREATE INDEX reader_flag_new ON reader_flag (flagged_at) WHERE reweighted_at IS NULL;
