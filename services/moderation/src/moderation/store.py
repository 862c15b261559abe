"""asyncpg SQL for decisions, the texts retro-scans read, and the review queue."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import asyncpg
from kit.outbox import OUTBOX_COLUMNS, OutboxRow

from moderation.engine.decide import Verdict
from moderation.engine.lexicon import Hit

DECISION_FIELDS = (
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
    "stage",
    "suggestion",
    "risk",
    "rule",
    "refutation",
    "rumour_id",
    "rumour_hits",
    "supersedes",
    "rumour_version",
    "rules_version",
    "decided_by",
)


def match_views(hits: list[Hit]) -> list[dict]:
    """Lexicon hits as decisions record them: what matched, where in the original text, and how."""
    return [
        {
            "term": h.entry.term,
            "category": h.entry.category,
            "start": h.start,
            "end": h.end,
            "entry_id": h.entry.id,
            "channel": h.channel.value,
        }
        for h in hits
    ]


def new_decision(
    *,
    post_id: uuid.UUID,
    author_id: uuid.UUID,
    verdict: Verdict,
    stage: str = "publication",
    supersedes: uuid.UUID | None = None,
    decided_by: str = "",
) -> dict:
    """A decision row as the application makes it (id and time included), before it is stored."""
    matches = match_views(verdict.hits)
    rumour_hits = [{"rumour_id": r.rumour.id, "similarity": r.similarity} for r in verdict.rumour_hits]
    refutation = verdict.refutation
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
        "stage": stage,
        "suggestion": verdict.suggestion.value,
        "risk": verdict.risk.value,
        "rule": verdict.rule,
        "refutation": json.dumps(
            {
                "rumour_id": refutation.rumour.id,
                "text": refutation.rumour.refutation_text,
                "url": refutation.rumour.refutation_url,
                "authority": refutation.rumour.authority,
                "similarity": refutation.similarity,
            }
        )
        if refutation
        else None,
        "rumour_id": uuid.UUID(verdict.rumour_id) if verdict.rumour_id else None,
        "rumour_hits": json.dumps(rumour_hits),
        "supersedes": supersedes,
        "rumour_version": verdict.rumour_version,
        "rules_version": verdict.rules_version,
        "decided_by": decided_by,
    }


def _insert_announced(conflict: str) -> str:
    n = len(DECISION_FIELDS)
    return f"""
    WITH inserted AS (
        INSERT INTO decision ({", ".join(DECISION_FIELDS)}, announced_at)
        VALUES ({", ".join(f"${i}" for i in range(1, n + 1))}, $12)
        ON CONFLICT {conflict} DO NOTHING RETURNING id)
    INSERT INTO outbox_event {OUTBOX_COLUMNS}
    SELECT {OutboxRow.placeholders(n + 1)} FROM inserted"""  # noqa: S608 - fixed SQL, values are parameters


_INSERT_PUBLICATION = _insert_announced("(post_id) WHERE stage = 'publication'")
_INSERT_REVIEW = _insert_announced("(supersedes) WHERE stage = 'review'")
_INSERT_RETRO = _insert_announced("(post_id, rumour_id) WHERE stage = 'retro_scan'")


def _params(decisions: list[tuple[dict, OutboxRow]]) -> list[tuple]:
    return [(*(d[k] for k in DECISION_FIELDS), *announcement.params()) for d, announcement in decisions]


async def insert_decisions_announced(conn: asyncpg.Connection, decisions: list[tuple[dict, OutboxRow]]) -> None:
    """Store each publication decision with its announcement, all in one pipelined round trip. A post
    decided before keeps its first decision and gets no second announcement here."""
    await conn.executemany(_INSERT_PUBLICATION, _params(decisions))


async def insert_review_announced(conn: asyncpg.Connection, decision: dict, announcement: OutboxRow) -> bool:
    """A reviewer's decision on a held one; False when that held decision was reviewed already."""
    await conn.execute(_INSERT_REVIEW, *_params([(decision, announcement)])[0])
    stored = await conn.fetchval(
        "SELECT id FROM decision WHERE supersedes = $1 AND stage = 'review'", decision["supersedes"]
    )
    return stored == decision["id"]


async def insert_retro_announced(conn: asyncpg.Connection, decisions: list[tuple[dict, OutboxRow]]) -> None:
    if decisions:
        await conn.executemany(_INSERT_RETRO, _params(decisions))


async def decided_before(conn: asyncpg.Connection, decisions: list[dict]) -> list[asyncpg.Record]:
    """Of these posts, the ones whose stored publication decision is not the one just made."""
    return await conn.fetch(
        """SELECT * FROM decision WHERE stage = 'publication' AND post_id = ANY($1::uuid[])
              AND NOT (id = ANY($2::uuid[]))""",
        [d["post_id"] for d in decisions],
        [d["id"] for d in decisions],
    )


async def decision(conn: asyncpg.Pool | asyncpg.Connection, decision_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM decision WHERE id = $1", decision_id)


async def decisions_for_post(conn: asyncpg.Pool | asyncpg.Connection, post_id: uuid.UUID) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT * FROM decision WHERE post_id = $1 ORDER BY decided_at, id", post_id)


async def posts_with_rumour_decision(
    conn: asyncpg.Connection, post_ids: list[uuid.UUID], rumour_id: uuid.UUID
) -> set[uuid.UUID]:
    rows = await conn.fetch(
        "SELECT post_id FROM decision WHERE post_id = ANY($1::uuid[]) AND rumour_id = $2", post_ids, rumour_id
    )
    return {r["post_id"] for r in rows}


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


# --- texts for retro-scans, review queue ------------------------------------------------------


async def insert_published_texts(conn: asyncpg.Connection, rows: list[tuple]) -> None:
    """(post_id, author_id, created_at, content_sha256, folded sentences) of posts now published."""
    if rows:
        await conn.executemany(
            """INSERT INTO published_text (post_id, author_id, created_at, content_sha256, folded)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
            rows,
        )


async def published_texts_after(
    conn: asyncpg.Connection, *, until: datetime, after_at: datetime | None, after_post: uuid.UUID | None, limit: int
) -> list[asyncpg.Record]:
    """Published texts up to `until`, oldest first, after the keyset cursor."""
    return await conn.fetch(
        """SELECT post_id, author_id, created_at, content_sha256, folded FROM published_text
            WHERE created_at <= $1
              AND ($2::timestamptz IS NULL OR (created_at, post_id) > ($2, $3::uuid))
            ORDER BY created_at, post_id LIMIT $4""",
        until,
        after_at,
        after_post,
        limit,
    )


async def insert_review_items(conn: asyncpg.Connection, rows: list[tuple]) -> None:
    """(decision_id, post_id, author_id, text, created_at) of posts held for review."""
    if rows:
        await conn.executemany(
            """INSERT INTO review_item (decision_id, post_id, author_id, text, created_at)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
            rows,
        )


async def open_review_items(conn: asyncpg.Pool | asyncpg.Connection, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT r.*, d.rule, d.reason, d.risk, d.suggestion, d.category, d.matches, d.rumour_hits
             FROM review_item r JOIN decision d ON d.id = r.decision_id
            WHERE r.resolved_at IS NULL ORDER BY r.held_at LIMIT $1""",
        limit,
    )


async def review_item_for_update(conn: asyncpg.Connection, decision_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM review_item WHERE decision_id = $1 FOR UPDATE", decision_id)


async def resolve_review_item(conn: asyncpg.Connection, decision_id: uuid.UUID, *, by: str, resolution: uuid.UUID):
    await conn.execute(
        "UPDATE review_item SET resolved_by = $2, resolved_at = now(), resolution = $3 WHERE decision_id = $1",
        decision_id,
        by,
        resolution,
    )
