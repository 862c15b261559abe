"""SQL of the notifications inbox: one row per notification and recipient, unique on its dedup key
(nothing is sent twice), and the last standing the notifier saw of each account."""

from __future__ import annotations

import json
import uuid
from datetime import datetime

import asyncpg
from kit.unit import Unit

from content.articles.store import article_shown_sql
from content.notifications.domain import ABOUT_ARTICLES, ABOUT_OTHERS_ITEMS, FROM_AN_ACCOUNT, Notice, StandingSeen
from content.posts.domain import PostKind, PostStatus
from content.posts.store import author_shown_sql, visible_sql


def _kinds(kinds: frozenset) -> str:
    return ", ".join(f"'{k}'" for k in sorted(kinds))  # our own enum values, never input


def shown_sql(n: str, viewer: str) -> str:
    """SQL: notification alias ``n`` is shown to its recipient ``viewer`` (MB-12.2): a notice about
    someone else's repost, comment or reply only while that item is visible to them; a notice from an
    account only while that account's content is served (PA-13.1); a notice about an article only while
    the article is shown to them (MB-12.2: not stopped, withdrawn, or of a suspended account). The list
    and the unread count both filter with this, before any LIMIT."""
    return f"""(({n}.kind NOT IN ({_kinds(ABOUT_OTHERS_ITEMS)})
                 OR EXISTS (SELECT 1 FROM post p WHERE p.id = {n}.post_id AND {visible_sql("p", viewer)}))
                AND ({n}.kind NOT IN ({_kinds(FROM_AN_ACCOUNT)}) OR {author_shown_sql(n + ".actor_id")})
                AND ({n}.kind NOT IN ({_kinds(ABOUT_ARTICLES)}) OR {article_shown_sql(n + ".post_id", viewer)}))"""  # noqa: S608


_INSERT = """INSERT INTO notification (recipient_id, dedup_key, kind, actor_id, post_id, category, legal_basis,
                                       reason, details)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
             ON CONFLICT (recipient_id, dedup_key) DO NOTHING"""

_PAGE = f"""
SELECT n.* FROM notification n
 WHERE n.recipient_id = $1
   AND ($2::timestamptz IS NULL OR (n.created_at, n.id) < ($2::timestamptz, $3::uuid))
   AND (NOT $4::boolean OR n.read_at IS NULL)
   AND {shown_sql("n", "$1::uuid")}
 ORDER BY n.created_at DESC, n.id DESC
 LIMIT $5"""  # noqa: S608 - fixed SQL, values are parameters

_UNREAD = f"""
SELECT count(*) FROM notification n
 WHERE n.recipient_id = $1 AND n.read_at IS NULL AND {shown_sql("n", "$1::uuid")}"""  # noqa: S608


def _params(notice: Notice, recipient_id: uuid.UUID) -> tuple:
    return (
        recipient_id,
        notice.dedup_key,
        str(notice.kind),
        notice.actor_id,
        notice.post_id,
        notice.category or None,
        list(notice.legal_basis),
        notice.reason or None,
        json.dumps(notice.details, ensure_ascii=False),
    )


class NotificationStore(Unit):
    async def notify(self, notices: list[Notice]) -> None:
        """Each notice to its recipient, once: a notice whose key the recipient has is left out."""
        rows = [_params(n, n.recipient_id) for n in notices if n.recipient_id is not None]
        if rows:
            await self.conn.executemany(_INSERT, rows)

    async def notify_reposters_and_commenters(self, notice: Notice, except_id: uuid.UUID) -> None:
        """MB-11: the notice to every account that reposted the post (anywhere in its chain) or commented
        on it or in its thread, once each, but not to ``except_id`` (its author, told on their own)."""
        assert notice.post_id is not None
        await self.conn.execute(
            """INSERT INTO notification (recipient_id, dedup_key, kind, actor_id, post_id, category, legal_basis,
                                         reason, details)
               SELECT DISTINCT c.author_id, $2::text, $3::text, $4::uuid, $5::uuid, $6::text, $7::text[], $8::text,
                      $9::jsonb
                 FROM post c
                WHERE (c.parent_id = $5 OR c.root_id = $5) AND c.kind IN ($10, $11)
                  AND c.status <> $12 AND c.author_id <> $1
               ON CONFLICT (recipient_id, dedup_key) DO NOTHING""",
            *_params(notice, except_id),  # $1: the one left out; each row's recipient is a child's author
            str(PostKind.REPOST),
            str(PostKind.COMMENT),
            str(PostStatus.WITHDRAWN),
        )

    async def notify_subscribers(self, notice: Notice) -> None:
        """MB-9: the notice to every subscriber of its actor (a public account's followers), once each, in
        one statement; the account itself is never told."""
        assert notice.actor_id is not None
        await self.conn.execute(
            """INSERT INTO notification (recipient_id, dedup_key, kind, actor_id, post_id, category, legal_basis,
                                         reason, details)
               SELECT f.follower_id, $2::text, $3::text, $4::uuid, $5::uuid, $6::text, $7::text[], $8::text, $9::jsonb
                 FROM follow f
                WHERE f.followee_id = $4 AND f.follower_id <> $1
               ON CONFLICT (recipient_id, dedup_key) DO NOTHING""",
            *_params(notice, notice.actor_id),  # $1: the account, left out; each row's recipient a subscriber
        )

    async def standing_seen(self, account_id: uuid.UUID) -> StandingSeen | None:
        """The last standing seen of the account, locked until the caller's transaction ends."""
        row = await self.conn.fetchrow("SELECT * FROM notified_standing WHERE account_id = $1 FOR UPDATE", account_id)
        if row is None:
            return None
        return StandingSeen(
            version=row["version"],
            credit_score=row["credit_score"],
            credit_level=row["credit_level"],
            limits=tuple(row["limits"]),
            suspended_until=row["suspended_until"],
            closed=row["closed"],
        )

    async def note_standing_seen(self, account_id: uuid.UUID, seen: StandingSeen) -> None:
        """Keep the newer standing (an older or repeated version changes nothing)."""
        await self.conn.execute(
            """INSERT INTO notified_standing (account_id, version, credit_score, credit_level, limits,
                                              suspended_until, closed)
               VALUES ($1, $2, $3, $4, $5, $6, $7)
               ON CONFLICT (account_id) DO UPDATE SET version = EXCLUDED.version,
                      credit_score = EXCLUDED.credit_score, credit_level = EXCLUDED.credit_level,
                      limits = EXCLUDED.limits, suspended_until = EXCLUDED.suspended_until,
                      closed = EXCLUDED.closed
                WHERE notified_standing.version < EXCLUDED.version""",
            account_id,
            seen.version,
            seen.credit_score,
            seen.credit_level,
            list(seen.limits),
            seen.suspended_until,
            seen.closed,
        )

    async def page(
        self,
        recipient_id: uuid.UUID,
        *,
        after: tuple[datetime, uuid.UUID] | None,
        limit: int,
        unread_only: bool,
    ) -> list[asyncpg.Record]:
        """The recipient's notifications they may be shown, newest first, after the keyset ``after``."""
        return await self.conn.fetch(
            _PAGE,
            recipient_id,
            after[0] if after else None,
            after[1] if after else None,
            unread_only,
            limit,
        )

    async def unread_count(self, recipient_id: uuid.UUID) -> int:
        """How many unread notifications the list would show."""
        return await self.conn.fetchval(_UNREAD, recipient_id)

    async def mark_read(self, recipient_id: uuid.UUID, ids: list[uuid.UUID]) -> int:
        """Mark the recipient's notifications among ``ids`` read; how many were unread."""
        return await self.conn.fetchval(
            """WITH marked AS (UPDATE notification SET read_at = now()
                                WHERE recipient_id = $1 AND id = ANY($2::uuid[]) AND read_at IS NULL
                            RETURNING 1)
               SELECT count(*) FROM marked""",
            recipient_id,
            ids,
        )

    async def mark_read_up_to(self, recipient_id: uuid.UUID, up_to: uuid.UUID) -> int | None:
        """Mark read the recipient's notification ``up_to`` and every older one; how many were unread,
        or None when ``up_to`` is not theirs."""
        row = await self.conn.fetchrow(
            """WITH mark AS (SELECT created_at, id FROM notification WHERE recipient_id = $1 AND id = $2),
                    marked AS (UPDATE notification n SET read_at = now() FROM mark
                                WHERE n.recipient_id = $1 AND n.read_at IS NULL
                                  AND (n.created_at, n.id) <= (mark.created_at, mark.id)
                            RETURNING 1)
               SELECT EXISTS (SELECT 1 FROM mark) AS found, (SELECT count(*) FROM marked) AS marked""",
            recipient_id,
            up_to,
        )
        return row["marked"] if row["found"] else None
