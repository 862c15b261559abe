"""SQL of the social graph (MB-2): follows, follow counts, blocks.

Locking: a change of follows first locks the follow_count rows of every account it touches, in the
order of their ids (``lock_counts``), then reads what it decides on and writes. Counts stay exact under
concurrent follows of one account, and two accounts following each other at once cannot deadlock."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.unit import Unit

from content.posts.store import author_shown_sql
from content.social.domain import CountChange, Edge, FollowCount, FollowStarted

# A keyset page newest first, ties by id (the follow and block indexes' order): "after" the last item.
_AFTER = "($2::timestamptz IS NULL OR {at} < $2 OR ({at} = $2 AND {id} > $3))"


class SocialStore(Unit):
    async def blocked(self, blocker_id: uuid.UUID, blocked_id: uuid.UUID) -> bool:
        """Has ``blocker_id`` blocked ``blocked_id``? (A blocked account may not follow, comment on or
        repost the blocker.)"""
        return await self.conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM block WHERE blocker_id = $1 AND blocked_id = $2)", blocker_id, blocked_id
        )

    async def follows(self, follower_id: uuid.UUID, followee_id: uuid.UUID) -> bool:
        return await self.conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM follow WHERE follower_id = $1 AND followee_id = $2)",
            follower_id,
            followee_id,
        )

    # --- writes (in the caller's transaction) -------------------------------------------------------

    async def lock_counts(self, account_ids: list[uuid.UUID]) -> None:
        """Lock these accounts' count rows (made when missing), in the order of their ids."""
        await self.conn.execute(
            """INSERT INTO follow_count (account_id)
               SELECT id FROM unnest($1::uuid[]) AS u(id) ORDER BY id ON CONFLICT DO NOTHING""",
            account_ids,
        )
        await self.conn.execute(
            "SELECT 1 FROM follow_count WHERE account_id = ANY($1::uuid[]) ORDER BY account_id FOR UPDATE",
            account_ids,
        )

    async def counterparts(self, account_id: uuid.UUID) -> list[uuid.UUID]:
        """Every account this one follows or is followed by."""
        rows = await self.conn.fetch(
            """SELECT followee_id AS id FROM follow WHERE follower_id = $1
               UNION SELECT follower_id FROM follow WHERE followee_id = $1""",
            account_id,
        )
        return [r["id"] for r in rows]

    async def follow(self, edge: Edge) -> datetime | None:
        """Record the follow; when it started, or None when it existed already."""
        return await self.conn.fetchval(
            """INSERT INTO follow (follower_id, followee_id) VALUES ($1, $2)
               ON CONFLICT DO NOTHING RETURNING followed_at""",
            edge.follower_id,
            edge.followee_id,
        )

    async def claim_undelivered(self, *, older_than_s: float, limit: int) -> list[FollowStarted]:
        """Follows the backfill or the notifier has not noted yet, last announced longer ago than the
        threshold, marked announced again now."""
        rows = await self.conn.fetch(
            """UPDATE follow f SET announced_at = now()
                WHERE (f.follower_id, f.followee_id) IN (
                       SELECT follower_id, followee_id FROM follow
                        WHERE (backfilled_at IS NULL OR notified_at IS NULL)
                          AND announced_at < now() - make_interval(secs => $1)
                        ORDER BY announced_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING f.follower_id, f.followee_id, f.followed_at""",
            older_than_s,
            limit,
        )
        return [FollowStarted(r["follower_id"], r["followee_id"], r["followed_at"]) for r in rows]

    async def note_backfilled(self, follower_id: uuid.UUID, followee_id: uuid.UUID) -> None:
        """The timelines' backfill handled this follow's announcement (in its transaction)."""
        await self.conn.execute(
            """UPDATE follow SET backfilled_at = now()
                WHERE follower_id = $1 AND followee_id = $2 AND backfilled_at IS NULL""",
            follower_id,
            followee_id,
        )

    async def note_follow_notified(self, follower_id: uuid.UUID, followee_id: uuid.UUID) -> None:
        """The notifier handled this follow's announcement (in its transaction)."""
        await self.conn.execute(
            """UPDATE follow SET notified_at = now()
                WHERE follower_id = $1 AND followee_id = $2 AND notified_at IS NULL""",
            follower_id,
            followee_id,
        )

    async def unfollow(self, edge: Edge) -> list[Edge]:
        return await self._removed(
            "DELETE FROM follow WHERE follower_id = $1 AND followee_id = $2 RETURNING follower_id, followee_id",
            edge.follower_id,
            edge.followee_id,
        )

    async def unfollow_both_ways(self, a: uuid.UUID, b: uuid.UUID) -> list[Edge]:
        return await self._removed(
            """DELETE FROM follow
                WHERE (follower_id = $1 AND followee_id = $2) OR (follower_id = $2 AND followee_id = $1)
            RETURNING follower_id, followee_id""",
            a,
            b,
        )

    async def remove_account(self, account_id: uuid.UUID) -> list[Edge]:
        """Every follow of and by the account, and its blocks either way, go (PA-9.2); the follows removed."""
        await self.conn.execute("DELETE FROM block WHERE blocker_id = $1 OR blocked_id = $1", account_id)
        return await self._removed(
            "DELETE FROM follow WHERE follower_id = $1 OR followee_id = $1 RETURNING follower_id, followee_id",
            account_id,
        )

    async def _removed(self, sql: str, *args: object) -> list[Edge]:
        return [Edge(r["follower_id"], r["followee_id"]) for r in await self.conn.fetch(sql, *args)]

    async def adjust_counts(self, changes: dict[uuid.UUID, CountChange]) -> list[FollowCount]:
        """Move the (locked) counts and bump each one's version; the counts after, in the order of ids."""
        if not changes:
            return []
        ids = list(changes)
        rows = await self.conn.fetch(
            """UPDATE follow_count c
                  SET followers = c.followers + d.followers, following = c.following + d.following,
                      version = c.version + 1
                 FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) AS d(account_id, followers, following)
                WHERE c.account_id = d.account_id
            RETURNING c.account_id, c.followers, c.following, c.version, now() AS changed_at""",
            ids,
            [changes[i].followers for i in ids],
            [changes[i].following for i in ids],
        )
        return sorted(
            (FollowCount(r["account_id"], r["followers"], r["following"], r["version"], r["changed_at"]) for r in rows),
            key=lambda c: c.account_id,
        )

    async def block(self, blocker_id: uuid.UUID, blocked_id: uuid.UUID) -> datetime | None:
        """Record the block; when it started, or None when it existed already."""
        return await self.conn.fetchval(
            """INSERT INTO block (blocker_id, blocked_id) VALUES ($1, $2)
               ON CONFLICT DO NOTHING RETURNING blocked_at""",
            blocker_id,
            blocked_id,
        )

    async def unblock(self, blocker_id: uuid.UUID, blocked_id: uuid.UUID) -> None:
        await self.conn.execute("DELETE FROM block WHERE blocker_id = $1 AND blocked_id = $2", blocker_id, blocked_id)

    # --- reads ------------------------------------------------------------------------------------

    async def relationship(self, account_id: uuid.UUID, viewer_id: uuid.UUID | None) -> asyncpg.Record:
        """The account's counts and how the viewer (NULL: anonymous) stands to it, in one round trip."""
        return await self.conn.fetchrow(
            """SELECT coalesce(c.followers, 0) AS followers, coalesce(c.following, 0) AS following,
                      EXISTS (SELECT 1 FROM follow WHERE follower_id = $2 AND followee_id = a.id) AS followed_by_me,
                      EXISTS (SELECT 1 FROM follow WHERE follower_id = a.id AND followee_id = $2) AS follows_me,
                      EXISTS (SELECT 1 FROM block WHERE blocker_id = $2 AND blocked_id = a.id) AS blocked_by_me
                 FROM (SELECT $1::uuid AS id) a LEFT JOIN follow_count c ON c.account_id = a.id""",
            account_id,
            viewer_id,
        )

    async def followers(
        self, account_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[asyncpg.Record]:
        """The account's followers newest first, leaving out hidden ones (PA-13.1, PA-9.2)."""
        return await self._page(
            f"""SELECT f.follower_id AS account_id, f.followed_at AS at FROM follow f
                 WHERE f.followee_id = $1 AND {author_shown_sql("f.follower_id")}
                   AND {_AFTER.format(at="f.followed_at", id="f.follower_id")}
                 ORDER BY f.followed_at DESC, f.follower_id LIMIT $4""",  # noqa: S608 - fixed SQL
            account_id,
            after,
            limit,
        )

    async def following(
        self, account_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[asyncpg.Record]:
        """The accounts it follows newest first, leaving out hidden ones (PA-13.1, PA-9.2)."""
        return await self._page(
            f"""SELECT f.followee_id AS account_id, f.followed_at AS at FROM follow f
                 WHERE f.follower_id = $1 AND {author_shown_sql("f.followee_id")}
                   AND {_AFTER.format(at="f.followed_at", id="f.followee_id")}
                 ORDER BY f.followed_at DESC, f.followee_id LIMIT $4""",  # noqa: S608 - fixed SQL
            account_id,
            after,
            limit,
        )

    async def blocks(
        self, blocker_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[asyncpg.Record]:
        """The accounts the blocker blocks, newest first."""
        return await self._page(
            f"""SELECT b.blocked_id AS account_id, b.blocked_at AS at FROM block b
                 WHERE b.blocker_id = $1 AND {_AFTER.format(at="b.blocked_at", id="b.blocked_id")}
                 ORDER BY b.blocked_at DESC, b.blocked_id LIMIT $4""",  # noqa: S608 - fixed SQL
            blocker_id,
            after,
            limit,
        )

    # --- subscriptions: follows of public accounts (S4, issue 13) --------------------------------------

    async def is_public_account(self, account_id: uuid.UUID) -> bool:
        """An approved public account, not cancelled (content's projection of identity's approvals)."""
        return await self.conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM public_account WHERE account_id = $1 AND cancelled_at IS NULL)", account_id
        )

    async def subscriptions(
        self, account_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[asyncpg.Record]:
        """The public accounts the account follows, newest first, leaving out cancelled and hidden ones."""
        return await self._page(
            f"""SELECT f.followee_id AS account_id, f.followed_at AS at, pa.name, pa.label FROM follow f
                  JOIN public_account pa ON pa.account_id = f.followee_id AND pa.cancelled_at IS NULL
                 WHERE f.follower_id = $1 AND {author_shown_sql("f.followee_id")}
                   AND {_AFTER.format(at="f.followed_at", id="f.followee_id")}
                 ORDER BY f.followed_at DESC, f.followee_id LIMIT $4""",  # noqa: S608 - fixed SQL
            account_id,
            after,
            limit,
        )

    async def _page(
        self, sql: str, account_id: uuid.UUID, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[asyncpg.Record]:
        at, last = after if after is not None else (None, None)
        return await self.conn.fetch(sql, account_id, at, last, limit)
