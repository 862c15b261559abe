"""SQL of search: posts and reposts whose text holds every term of the query (migration 0012: the
bigram index), only those the viewer may see (visible_sql, before the LIMIT), newest first."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.unit import Unit

from content.posts.store import visible_sql

# The index narrows by the query's tokens; then every term (split at spaces) must be a substring of
# the normalised text, so that a match is exact (bigrams AND-ed could come from apart).
# (The terms are split once per statement: an uncorrelated subquery.)
_TERMS = """NOT EXISTS (SELECT 1 FROM unnest((SELECT regexp_split_to_array(btrim(search_normal($1)), '\\s+'))) AS term
                   WHERE strpos(search_normal(p.text), term) = 0)"""
_VISIBLE = visible_sql("p", "$2::uuid")

# A common word fills a page from the newest posts at once, but the planner, counting the tokens of a
# longer word as independent, thinks it rare and would sort every match (~14,000 in the measurement).
# So the newest RECENT_WINDOW posts are looked at first, in order (post_recent); only when they hold
# less than a page is the bigram index asked (rare words: few matches, sorted cheaply).
RECENT_WINDOW = 1000
# Each with and without a keyset: a plan per shape, no "cursor IS NULL OR ..." for the planner to guess.
_AFTER = " AND (p.created_at, p.id) < ($4, $5)"


def _recent(after: str) -> str:
    return f"""SELECT p.id, p.created_at
      FROM (SELECT p.* FROM post p WHERE p.kind IN ('post', 'repost'){after}
             ORDER BY p.created_at DESC, p.id DESC LIMIT {RECENT_WINDOW}) AS p
     WHERE {_TERMS} AND {_VISIBLE}
     ORDER BY p.created_at DESC, p.id DESC LIMIT $3"""  # noqa: S608 - fixed SQL, values are parameters


def _indexed(after: str) -> str:
    return f"""SELECT p.id, p.created_at FROM post p
     WHERE p.kind IN ('post', 'repost') AND search_document(p.text) @@ search_query($1) AND {_TERMS}
       AND {_VISIBLE}{after}
     ORDER BY p.created_at DESC, p.id DESC LIMIT $3"""  # noqa: S608 - fixed SQL, values are parameters


def _articles(after: str) -> str:
    """Issue 13 §2: articles whose revision on show (the head, or the correction moderation published last)
    holds every term, shown as their article, once; the head must be visible to the viewer and the revision
    published (a stopped or pending correction is never a hit). Keyset on (the revision's time, the article)."""
    return f"""SELECT a.id, p.created_at FROM post p
      JOIN article a ON a.id = coalesce(p.parent_id, p.id) AND p.id = coalesce(a.shown_post_id, a.id)
      JOIN post h ON h.id = a.id
     WHERE p.kind IN ('article', 'correction') AND search_document(p.text) @@ search_query($1) AND {_TERMS}
       AND (p.id = h.id OR p.status = 'published') AND {visible_sql("h", "$2::uuid")}
       {after.replace("p.id", "a.id")}
     ORDER BY p.created_at DESC, a.id DESC LIMIT $3"""  # noqa: S608 - fixed SQL, values are parameters


_ARTICLES = {False: _articles(""), True: _articles(_AFTER)}
_RECENT = {False: _recent(""), True: _recent(_AFTER)}
_INDEXED = {False: _indexed(""), True: _indexed(_AFTER)}


class SearchStore(Unit):
    async def search(
        self, query: str, viewer: uuid.UUID | None, *, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[asyncpg.Record]:
        """Up to ``limit`` matching posts (id, created_at) the viewer may see, newest first, after the
        keyset ``after`` (created_at, id) when given."""
        keyset = after or ()
        rows = await self.conn.fetch(_RECENT[after is not None], query, viewer, limit, *keyset)
        if len(rows) < limit:
            rows = await self.conn.fetch(_INDEXED[after is not None], query, viewer, limit, *keyset)
        articles = await self.conn.fetch(_ARTICLES[after is not None], query, viewer, limit, *keyset)
        if not articles:
            return rows
        merged = sorted([*rows, *articles], key=lambda r: (r["created_at"], r["id"]), reverse=True)
        return merged[:limit]

    async def searchable(self, query: str) -> bool:
        """Does the query have a token to look up (a word of two ideographs, or letters or digits)?"""
        return await self.conn.fetchval("SELECT search_query($1) IS NOT NULL", query)
