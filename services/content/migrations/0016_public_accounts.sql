-- Issue 13 (docs/design/13-public-accounts.md §2, §5, §7): what identity says of public accounts, news
-- licences and grade privileges, kept by content from its events, and the daily publishing quotas.

-- PA-7.1: approved public accounts (公众账号), from PublicAccountApproved. No personal data.
CREATE TABLE public_account (
    account_id        uuid PRIMARY KEY,
    owner_account_id  uuid        NOT NULL,
    name              text        NOT NULL,
    kind              text        NOT NULL,
    label             text        NOT NULL,
    category          text        NOT NULL,
    province_code     text        NOT NULL DEFAULT '',
    approved_at       timestamptz NOT NULL,
    cancelled_at      timestamptz
);

-- MB-4 / PA-8: the news licences an account's subject holds, from NewsLicenceChanged (newer version only).
-- Validity is checked on the Beijing date at request time, so a lapse needs no event.
CREATE TABLE news_licence (
    account_id   uuid    NOT NULL,
    licence_id   uuid    NOT NULL,
    number       text    NOT NULL,
    scopes       text[]  NOT NULL,
    valid_from   date    NOT NULL,
    valid_until  date    NOT NULL,
    revoked_at   timestamptz,
    version      bigint  NOT NULL,
    PRIMARY KEY (account_id, licence_id)
);

-- MB-9 / PA-7.2: the grade and what it allows ({} until identity says: grade-1 defaults apply).
ALTER TABLE author_standing ADD COLUMN grade integer;
ALTER TABLE author_standing ADD COLUMN privileges jsonb NOT NULL DEFAULT '{}';

-- MB-9: what an account used of its daily quotas, per Beijing day.
CREATE TABLE publish_quota_use (
    account_id  uuid    NOT NULL,
    day         date    NOT NULL,
    what        text    NOT NULL CHECK (what IN ('post', 'article', 'push')),
    used        integer NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, day, what)
);
