"""Reporting's SQL: complaints and the projection of who wrote each post."""

from __future__ import annotations

import uuid

import asyncpg


async def record_post_author(conn: asyncpg.Connection, post_id: uuid.UUID, author_id: uuid.UUID) -> None:
    """A post announced (again: content re-announces a post that waits): its author, once."""
    await conn.execute(
        "INSERT INTO post_author (post_id, author_id) VALUES ($1, $2) ON CONFLICT (post_id) DO NOTHING",
        post_id,
        author_id,
    )


async def post_author(conn: asyncpg.Connection, post_id: uuid.UUID) -> uuid.UUID | None:
    return await conn.fetchval("SELECT author_id FROM post_author WHERE post_id = $1", post_id)


async def insert_complaint(
    conn: asyncpg.Connection,
    *,
    complainant_id: uuid.UUID,
    target_type: str,
    target_id: uuid.UUID,
    author_id: uuid.UUID,
    reason: str,
    detail: str,
    idempotency_key: str | None,
) -> asyncpg.Record | None:
    """The new complaint, or None when the complainant filed one with this idempotency key already."""
    return await conn.fetchrow(
        """INSERT INTO complaint (id, complainant_id, target_type, target_id, author_id, reason, detail,
                                  idempotency_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING *""",
        uuid.uuid4(),
        complainant_id,
        target_type,
        target_id,
        author_id,
        reason,
        detail,
        idempotency_key,
    )


async def complaint_by_key(conn: asyncpg.Connection, complainant_id: uuid.UUID, key: str | None) -> asyncpg.Record:
    return await conn.fetchrow(
        "SELECT * FROM complaint WHERE complainant_id = $1 AND idempotency_key = $2", complainant_id, key
    )


async def complaint(conn: asyncpg.Connection | asyncpg.Pool, complaint_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM complaint WHERE id = $1", complaint_id)


async def complaint_for_update(conn: asyncpg.Connection, complaint_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM complaint WHERE id = $1 FOR UPDATE", complaint_id)


async def record_outcome(
    conn: asyncpg.Connection,
    complaint_id: uuid.UUID,
    *,
    upheld: bool,
    account_id: uuid.UUID | None,
    note: str,
    by: str,
) -> asyncpg.Record:
    return await conn.fetchrow(
        """UPDATE complaint SET status = $2, upheld = $3, account_id = $4, outcome_note = $5, decided_by = $6,
                  decided_at = now()
            WHERE id = $1 RETURNING *""",
        complaint_id,
        "upheld" if upheld else "dismissed",
        upheld,
        account_id,
        note,
        by,
    )
