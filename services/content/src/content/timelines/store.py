"""SQL of the timelines (MB-2): the fanned-out entries of home timelines, and the reads of home and
account timelines. Every read filters with the read rule (content.posts.store.visible_sql) in SQL
before its LIMIT, so pages are full and nothing the reader may not see is counted or leaked."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.unit import Unit

from content.posts.store import views_sql, visible_sql
from content.timelines.domain import TIMELINE_KINDS

_KINDS = ", ".join(f"'{k}'" for k in TIMELINE_KINDS)
# Keyset "before" the cursor, newest first; no cursor starts above everything (one statement, whose
# row comparison stays an index condition).
_BEFORE = (
    "(({t}, {i}) < (coalesce($3::timestamptz, 'infinity'), coalesce($4::uuid, 'ffffffff-ffff-ffff-ffff-ffffffffffff')))"
)


def _authored(author: str) -> str:
    """The newest visible posts and reposts of one author before the cursor (post_author_timeline)."""
    return f"""SELECT p.id, p.created_at FROM post p
                WHERE p.author_id = {author} AND p.kind IN ({_KINDS})
                  AND {_BEFORE.format(t="p.created_at", i="p.id")} AND {visible_sql("p", "$1")}
                ORDER BY p.created_at DESC, p.id DESC LIMIT $2"""  # noqa: S608 - fixed SQL


# The home timeline: three streams, each newest first, each already filtered by the read rule and cut
# at the page's size, merged and cut again (an item of the page is within the first $2 of every stream
# it is in, so nothing is missed; UNION drops a post present in two streams):
#   1. the fanned-out entries of accounts the reader still follows (an unfollow acts at once). The
#      follow is checked per entry by a scalar subquery, not EXISTS: the planner would make EXISTS a join,
#      misjudge how many entries are followed (all, nearly) and read the owner's every entry before the
#      LIMIT; this way the key is walked newest first and stops at the page (EXPLAIN ANALYZE: ~0.5 ms);
#   2. the reader's own posts and reposts (never fanned out to themselves);
#   3. the posts of the large accounts they follow (content.timelines.domain.merged_at_read: $5);
#   4. the articles those large accounts pushed to every subscriber (MB-9, 群发; article_pushed, a partial
#      index of the few pushed ones), as fan-out writes them for an ordinary account (domain.fans_out).
_HOME = f"""
WITH entries AS (
    SELECT p.id, p.created_at FROM timeline_entry e JOIN post p ON p.id = e.post_id
     WHERE e.owner_id = $1 AND {_BEFORE.format(t="e.created_at", i="e.post_id")}
       AND (SELECT true FROM follow f WHERE f.follower_id = $1 AND f.followee_id = e.author_id)
       AND {visible_sql("p", "$1")}
     ORDER BY e.created_at DESC, e.post_id DESC LIMIT $2
), own AS ({_authored("$1")}
), large AS (
    SELECT m.id, m.created_at
      FROM follow f JOIN follow_count c ON c.account_id = f.followee_id AND c.followers >= $5
     CROSS JOIN LATERAL ({_authored("f.followee_id")}) m
     WHERE f.follower_id = $1
), pushed AS (
    SELECT m.id, m.created_at
      FROM follow f JOIN follow_count c ON c.account_id = f.followee_id AND c.followers >= $5
     CROSS JOIN LATERAL (
         SELECT p.id, p.created_at FROM article a JOIN post p ON p.id = a.id
          WHERE a.account_id = f.followee_id AND a.pushed AND p.kind = 'article'
            AND {_BEFORE.format(t="p.created_at", i="p.id")} AND {visible_sql("p", "$1")}
          ORDER BY p.created_at DESC, p.id DESC LIMIT $2) m
     WHERE f.follower_id = $1
)
SELECT id, created_at FROM (SELECT * FROM entries UNION SELECT * FROM own UNION SELECT * FROM large
                            UNION SELECT * FROM pushed) home
 ORDER BY created_at DESC, id DESC LIMIT $2"""  # noqa: S608 - fixed SQL, values are parameters

_ACCOUNT = f"""SELECT id, created_at FROM ({_authored("$5")}) a"""  # noqa: S608 - fixed SQL


def _viewed(timeline: str) -> str:
    """A timeline's page and the views of its posts in one statement (content.posts.store.views_sql)."""
    ordered = f"SELECT id, row_number() OVER (ORDER BY created_at DESC, id DESC) AS n FROM ({timeline}) t"  # noqa: S608
    return views_sql(ordered, "$1")


_HOME_VIEWS = _viewed(_HOME)
_ACCOUNT_VIEWS = _viewed(_ACCOUNT)


class TimelineStore(Unit):
    async def home(
        self, reader_id: uuid.UUID, *, before: tuple[datetime, uuid.UUID] | None, limit: int, max_followers: int
    ) -> list[asyncpg.Record]:
        """The newest ``limit`` posts of the reader's home timeline before the cursor, newest first, hydrated
        for their views (content.posts.store.views_sql: the reposts' originals after them)."""
        after_t, after_id = before or (None, None)
        return await self.conn.fetch(_HOME_VIEWS, reader_id, limit, after_t, after_id, max_followers)

    async def account(
        self,
        account_id: uuid.UUID,
        viewer_id: uuid.UUID | None,
        *,
        before: tuple[datetime, uuid.UUID] | None,
        limit: int,
    ) -> list[asyncpg.Record]:
        """An account's newest ``limit`` posts and reposts the viewer may see, hydrated for their views
        (content.posts.store.views_sql: the reposts' originals after them)."""
        after_t, after_id = before or (None, None)
        return await self.conn.fetch(_ACCOUNT_VIEWS, viewer_id, limit, after_t, after_id, account_id)

    async def followers_of_each(self, account_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        """Each account's follower count as the social graph holds it (0 when it has none)."""
        rows = await self.conn.fetch(
            "SELECT account_id, followers FROM follow_count WHERE account_id = ANY($1::uuid[])", account_ids
        )
        counts = {r["account_id"]: r["followers"] for r in rows}
        return {a: counts.get(a, 0) for a in account_ids}

    async def fan_out(self, post_ids: list[uuid.UUID]) -> int:
        """One entry per current follower of each post's author, in one statement; a repeat inserts
        nothing (the key). A post no longer published is left out (its readers would not see it)."""
        if not post_ids:
            return 0
        status = await self.conn.execute(
            """INSERT INTO timeline_entry (owner_id, post_id, author_id, created_at)
               SELECT f.follower_id, p.id, p.author_id, p.created_at
                 FROM post p JOIN follow f ON f.followee_id = p.author_id
                WHERE p.id = ANY($1::uuid[]) AND p.status = 'published'
               ON CONFLICT DO NOTHING""",
            post_ids,
        )
        return _count(status)

    async def backfill(self, follower_id: uuid.UUID, followee_id: uuid.UUID, count: int) -> int:
        """The followee's newest ``count`` published posts and reposts into the follower's home timeline,
        while the follow still stands; a repeat inserts nothing."""
        status = await self.conn.execute(
            f"""INSERT INTO timeline_entry (owner_id, post_id, author_id, created_at)
                SELECT $1, p.id, p.author_id, p.created_at FROM post p
                 WHERE p.author_id = $2 AND p.kind IN ({_KINDS}) AND p.status = 'published'
                   AND EXISTS (SELECT 1 FROM follow f WHERE f.follower_id = $1 AND f.followee_id = $2)
                 ORDER BY p.created_at DESC, p.id DESC LIMIT $3
                ON CONFLICT DO NOTHING""",  # noqa: S608 - fixed SQL, values are parameters
            follower_id,
            followee_id,
            count,
        )
        return _count(status)

    async def owners_after(self, owner_id: uuid.UUID | None, limit: int) -> list[uuid.UUID]:
        """The next ``limit`` owners of home timelines after ``owner_id``, in order (a skip scan of the key:
        one index probe per owner, however many entries each has)."""
        rows = await self.conn.fetch(
            """WITH RECURSIVE owner AS (
                   (SELECT owner_id FROM timeline_entry
                     WHERE owner_id > coalesce($1::uuid, '00000000-0000-0000-0000-000000000000')
                     ORDER BY owner_id LIMIT 1)
                   UNION ALL
                   SELECT (SELECT e.owner_id FROM timeline_entry e WHERE e.owner_id > o.owner_id
                            ORDER BY e.owner_id LIMIT 1)
                     FROM owner o WHERE o.owner_id IS NOT NULL)
               SELECT owner_id FROM owner WHERE owner_id IS NOT NULL LIMIT $2""",
            owner_id,
            limit,
        )
        return [r["owner_id"] for r in rows]

    async def trim(self, owners: list[uuid.UUID], keep: int) -> int:
        """Keep each owner's newest ``keep`` entries of accounts they still follow; drop the rest (the
        entries of accounts they unfollowed first, then those past the cut)."""
        unfollowed = await self.conn.execute(
            """DELETE FROM timeline_entry e
                WHERE e.owner_id = ANY($1::uuid[])
                  AND NOT EXISTS (SELECT 1 FROM follow f
                                   WHERE f.follower_id = e.owner_id AND f.followee_id = e.author_id)""",
            owners,
        )
        past = await self.conn.execute(
            """DELETE FROM timeline_entry e
                USING unnest($1::uuid[]) AS o(owner_id)
                CROSS JOIN LATERAL (SELECT k.created_at, k.post_id FROM timeline_entry k WHERE k.owner_id = o.owner_id
                                     ORDER BY k.created_at DESC, k.post_id DESC OFFSET $2 LIMIT 1) cut
                WHERE e.owner_id = o.owner_id AND (e.created_at, e.post_id) <= (cut.created_at, cut.post_id)""",
            owners,
            keep,
        )
        return _count(unfollowed) + _count(past)


def _count(status: str) -> int:
    """The row count of a command's status ("INSERT 0 12", "DELETE 3")."""
    return int(status.rsplit(" ", 1)[-1])
