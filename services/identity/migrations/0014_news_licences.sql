-- The registry of internet news information service licences (互联网新闻信息服务许可, MB-4, PA-8), kept by
-- staff with the evidence. The holder is a subject (found by keyed hash, never the number); rows are never
-- deleted, only revoked. Every change bumps `version`: content takes a newer version only.
CREATE TABLE news_licence (
    id                 uuid PRIMARY KEY,
    number             text        NOT NULL UNIQUE,
    subject_lookup     bytea       NOT NULL,
    holder_account_id  uuid        NOT NULL REFERENCES account (id),
    -- 采编发布 (original), 转载 (repost), 传播平台 (platform)
    scopes             text[]      NOT NULL CHECK (scopes <@ ARRAY['original', 'repost', 'platform']
                                                   AND cardinality(scopes) > 0),
    valid_from         date        NOT NULL,
    valid_until        date        NOT NULL CHECK (valid_until >= valid_from),
    recorded_by        text        NOT NULL,
    recorded_at        timestamptz NOT NULL DEFAULT now(),
    revoked_at         timestamptz,
    revoked_by         text,
    revoke_reason      text,
    version            bigint      NOT NULL DEFAULT 1
);
CREATE INDEX news_licence_subject ON news_licence (subject_lookup);
CREATE INDEX news_licence_recorded ON news_licence (recorded_at, id);

-- The evidence (the licence's scan): sealed like proof files (MB-7.3), its SHA-256 the record.
CREATE TABLE news_licence_evidence (
    id              uuid PRIMARY KEY,
    licence_id      uuid        NOT NULL REFERENCES news_licence (id),
    filename        text        NOT NULL,
    content_type    text        NOT NULL,
    sha256          text        NOT NULL,
    size            integer     NOT NULL,
    content_sealed  bytea       NOT NULL
);
CREATE INDEX news_licence_evidence_licence ON news_licence_evidence (licence_id);
