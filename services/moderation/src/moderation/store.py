"""asyncpg SQL for moderation's own tables."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import asyncpg
from kit.outbox import OUTBOX_COLUMNS, OutboxRow

from moderation.domain import Verdict


async def decision_for_post(conn: asyncpg.Connection | asyncpg.Pool, post_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM decision WHERE post_id = $1", post_id)


def new_decision(*, post_id: uuid.UUID, author_id: uuid.UUID, verdict: Verdict) -> dict:
    """A decision row as the application makes it (id and time included), before it is stored."""
    matches = [
        {"term": h.entry.term, "category": h.entry.category, "start": h.start, "end": h.end} for h in verdict.hits
    ]
    return {
        "id": uuid.uuid4(),
        "post_id": post_id,
        "author_id": author_id,
        "outcome": verdict.outcome.value,
        "category": verdict.category,
        "legal_basis": verdict.legal_basis,
        "reason": verdict.reason,
        "matches": json.dumps(matches),
        "content_sha256": verdict.content_sha256,
        "engine_version": verdict.engine_version,
        "lexicon_version": verdict.lexicon_version,
        "decided_at": datetime.now(UTC),
    }


_INSERT_DECISION_ANNOUNCED = f"""
    WITH inserted AS (
        INSERT INTO decision (id, post_id, author_id, outcome, category, legal_basis, reason, matches,
                              content_sha256, engine_version, lexicon_version, decided_at, announced_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
        ON CONFLICT (post_id) DO NOTHING RETURNING id)
    INSERT INTO outbox_event {OUTBOX_COLUMNS}
    SELECT {OutboxRow.placeholders(13)} FROM inserted"""  # noqa: S608 - fixed SQL, values are parameters

_DECISION_FIELDS = (
    "id",
    "post_id",
    "author_id",
    "outcome",
    "category",
    "legal_basis",
    "reason",
    "matches",
    "content_sha256",
    "engine_version",
    "lexicon_version",
    "decided_at",
)


async def insert_decisions_announced(conn: asyncpg.Connection, decisions: list[tuple[dict, OutboxRow]]) -> None:
    """Store each decision with its announcement, all in one pipelined round trip. A post decided
    before keeps its first decision and gets no second announcement here (one decision per post)."""
    await conn.executemany(
        _INSERT_DECISION_ANNOUNCED,
        [(*(decision[k] for k in _DECISION_FIELDS), *announcement.params()) for decision, announcement in decisions],
    )


async def decided_before(conn: asyncpg.Connection, decisions: list[dict]) -> list[asyncpg.Record]:
    """Of these posts, the ones whose stored decision is not the one just made: decided before."""
    return await conn.fetch(
        "SELECT * FROM decision WHERE post_id = ANY($1::uuid[]) AND NOT (id = ANY($2::uuid[]))",
        [d["post_id"] for d in decisions],
        [d["id"] for d in decisions],
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
