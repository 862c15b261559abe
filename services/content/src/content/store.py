"""asyncpg SQL for content's own tables."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.outbox import OUTBOX_COLUMNS, OutboxRow


async def insert_post_announced(
    conn: asyncpg.Connection | asyncpg.Pool,
    *,
    post_id: uuid.UUID,
    author_id: uuid.UUID,
    text: str,
    idempotency_key: str | None,
    created_at: datetime,
    province_code: str,
    registered_at: datetime | None,
    announcement: OutboxRow,
) -> asyncpg.Record | None:
    """Insert a pending post and its announcement in one statement (one round trip, one implicit
    transaction), unless the author's standing forbids publishing (PA-13.1, PA-9.2, MB-9). None, and
    no announcement, if the author already sent this idempotency key or may not publish: the caller
    tells which."""
    return await conn.fetchrow(
        f"""WITH blocked AS (
                SELECT 1 FROM author_standing
                 WHERE account_id = $2
                   AND (closed OR suspended_until > $5 OR 'no_posting' = ANY(limits))
                UNION ALL
                SELECT 1 FROM cancelled_author WHERE account_id = $2),
            inserted AS (
                INSERT INTO post (id, author_id, text, status, idempotency_key, created_at, announced_at,
                                  author_province_code, author_registered_at)
                SELECT $1, $2, $3, 'pending', $4, $5, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM blocked)
                ON CONFLICT DO NOTHING RETURNING *),
            announced AS (
                INSERT INTO outbox_event {OUTBOX_COLUMNS}
                SELECT {OutboxRow.placeholders(8)} FROM inserted)
            SELECT * FROM inserted""",  # noqa: S608 - fixed SQL, values are parameters
        post_id,
        author_id,
        text,
        idempotency_key,
        created_at,
        province_code,
        registered_at,
        *announcement.params(),
    )


async def post_by_idempotency_key(
    conn: asyncpg.Connection | asyncpg.Pool, author_id: uuid.UUID, key: str
) -> asyncpg.Record:
    return await conn.fetchrow("SELECT * FROM post WHERE author_id = $1 AND idempotency_key = $2", author_id, key)


async def post_by_id(
    conn: asyncpg.Connection | asyncpg.Pool, post_id: uuid.UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM post WHERE id = $1{lock}", post_id)  # noqa: S608 - fixed clause


async def stop_record(conn: asyncpg.Connection | asyncpg.Pool, post_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM transmission_stop WHERE post_id = $1", post_id)


async def publish_if_pending(conn: asyncpg.Connection, approvals: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
    """Publish the posts (post id, decision id) still waiting for their decision or a reviewer, in
    one pipelined round trip; a published, stopped (or unknown) post is left alone."""
    await conn.executemany(
        """UPDATE post SET status = 'published', decided_at = now(), decision_id = $2
           WHERE id = $1 AND status IN ('pending', 'held')""",
        approvals,
    )


async def hold_if_pending(conn: asyncpg.Connection, post_id: uuid.UUID, decision_id: uuid.UUID) -> None:
    """MB-6.1: a post held for review stays the author's alone until a reviewer decides."""
    await conn.execute(
        "UPDATE post SET status = 'held', decision_id = $2 WHERE id = $1 AND status = 'pending'", post_id, decision_id
    )


async def label(conn: asyncpg.Connection, post_id: uuid.UUID, decision_id: uuid.UUID, refutation, basis: list[str]):
    """MB-11: publish (if still waiting) with the refutation attached; a stopped post stays stopped.
    The first refutation attached stays."""
    await publish_if_pending(conn, [(post_id, decision_id)])
    await conn.execute(
        """INSERT INTO post_label (post_id, decision_id, rumour_id, refutation_text, refutation_url, authority,
                                   legal_basis)
           SELECT $1, $2, $3, $4, $5, $6, $7 FROM post WHERE id = $1 AND status = 'published'
           ON CONFLICT (post_id) DO NOTHING""",
        post_id,
        decision_id,
        uuid.UUID(refutation.rumour_id),
        refutation.text,
        refutation.url,
        refutation.authority,
        basis,
    )


async def label_of(conn: asyncpg.Connection | asyncpg.Pool, post_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM post_label WHERE post_id = $1", post_id)


async def stop_transmission(
    conn: asyncpg.Connection,
    *,
    post: asyncpg.Record,
    decision_id: uuid.UUID,
    category: str,
    legal_basis: list[str],
    reason: str,
    snapshot_sha256: str,
    decided_at: object,
) -> None:
    await conn.execute(
        "UPDATE post SET status = 'stopped', decided_at = now(), decision_id = $2 WHERE id = $1",
        post["id"],
        decision_id,
    )
    await conn.execute(
        """INSERT INTO transmission_stop (post_id, decision_id, category, legal_basis, reason, snapshot_text,
                                          snapshot_sha256, decided_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (post_id) DO NOTHING""",
        post["id"],
        decision_id,
        category,
        legal_basis,
        reason,
        post["text"],
        snapshot_sha256,
        decided_at,
    )


async def claim_waiting_posts(conn: asyncpg.Connection, *, older_than_s: float, limit: int) -> list[asyncpg.Record]:
    """Pending posts whose last announcement is older than the threshold, marked re-announced."""
    return await conn.fetch(
        """UPDATE post SET announced_at = now(), announcements = announcements + 1
            WHERE id IN (SELECT id FROM post
                          WHERE status = 'pending' AND announced_at < now() - make_interval(secs => $1)
                          ORDER BY announced_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING *""",
        older_than_s,
        limit,
    )


async def author_standing(conn: asyncpg.Connection | asyncpg.Pool, author_id: uuid.UUID) -> asyncpg.Record | None:
    """What identity said of the author (standing, cancellation); None when it said nothing yet."""
    return await conn.fetchrow(
        """SELECT s.closed, s.suspended_until, s.limits, s.credit_level, c.cancelled_at
             FROM (SELECT $1::uuid AS id) a
             LEFT JOIN author_standing s ON s.account_id = a.id
             LEFT JOIN cancelled_author c ON c.account_id = a.id
            WHERE s.account_id IS NOT NULL OR c.account_id IS NOT NULL""",
        author_id,
    )


async def withdraw_author(
    conn: asyncpg.Connection, account_id: uuid.UUID, cancelled_at: datetime, purge_after: datetime
) -> None:
    await conn.execute(
        """INSERT INTO cancelled_author (account_id, cancelled_at, purge_after) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING""",
        account_id,
        cancelled_at,
        purge_after,
    )
    await conn.execute(
        """UPDATE post SET status = 'withdrawn', purge_after = $2
            WHERE author_id = $1 AND status IN ('pending', 'held', 'published')""",
        account_id,
        purge_after,
    )


async def purge_withdrawn(conn: asyncpg.Connection) -> int:
    """Delete withdrawn posts past their retention (their labels with them)."""
    ids = [
        r["id"]
        for r in await conn.fetch(
            """SELECT id FROM post WHERE status = 'withdrawn' AND purge_after <= now()
               LIMIT 1000 FOR UPDATE SKIP LOCKED"""
        )
    ]
    if ids:
        await conn.execute("DELETE FROM post_label WHERE post_id = ANY($1::uuid[])", ids)
        await conn.execute("DELETE FROM post WHERE id = ANY($1::uuid[])", ids)
    return len(ids)


async def note_standing(
    conn: asyncpg.Connection,
    *,
    account_id: uuid.UUID,
    version: int,
    credit_level: str,
    limits: list[str],
    suspended_until: datetime | None,
    closed: bool,
) -> None:
    await conn.execute(
        """INSERT INTO author_standing (account_id, version, credit_level, limits, suspended_until, closed)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (account_id) DO UPDATE SET version = EXCLUDED.version, credit_level = EXCLUDED.credit_level,
                  limits = EXCLUDED.limits, suspended_until = EXCLUDED.suspended_until, closed = EXCLUDED.closed,
                  updated_at = now()
            WHERE author_standing.version < EXCLUDED.version""",
        account_id,
        version,
        credit_level,
        limits,
        suspended_until,
        closed,
    )
