"""asyncpg SQL for moderation's own tables."""

from __future__ import annotations

import json
import uuid

import asyncpg

from moderation.domain import Verdict


async def decision_for_post(conn: asyncpg.Connection | asyncpg.Pool, post_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM decision WHERE post_id = $1", post_id)


async def insert_decision(
    conn: asyncpg.Connection, *, post_id: uuid.UUID, author_id: uuid.UUID, verdict: Verdict
) -> asyncpg.Record | None:
    """Insert the post's decision; None if the post was decided before (one decision per post)."""
    matches = [
        {"term": h.entry.term, "category": h.entry.category, "start": h.start, "end": h.end} for h in verdict.hits
    ]
    return await conn.fetchrow(
        """INSERT INTO decision (id, post_id, author_id, outcome, category, legal_basis, reason, matches,
                                 content_sha256, engine_version, lexicon_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (post_id) DO NOTHING RETURNING *""",
        uuid.uuid4(),
        post_id,
        author_id,
        verdict.outcome.value,
        verdict.category,
        verdict.legal_basis,
        verdict.reason,
        json.dumps(matches),
        verdict.content_sha256,
        verdict.engine_version,
        verdict.lexicon_version,
    )


async def mark_announced(conn: asyncpg.Connection, decision_id: uuid.UUID) -> None:
    await conn.execute("UPDATE decision SET announced_at = now() WHERE id = $1", decision_id)


async def mark_reported(conn: asyncpg.Connection, decision_id: uuid.UUID) -> None:
    await conn.execute("UPDATE decision SET reported_at = coalesce(reported_at, now()) WHERE id = $1", decision_id)


async def claim_unreported(conn: asyncpg.Connection, *, older_than_s: float, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        """UPDATE decision SET announced_at = now()
            WHERE id IN (SELECT id FROM decision
                          WHERE outcome = 'stop_transmission' AND reported_at IS NULL
                            AND announced_at < now() - make_interval(secs => $1)
                          ORDER BY announced_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING *""",
        older_than_s,
        limit,
    )
