"""asyncpg SQL for decisions and the texts of published posts the retro-scans read."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from kit.outbox import OUTBOX_COLUMNS, OutboxRow

from moderation.decisions.domain import DECISION_FIELDS


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
_INSERT_RETRO = _insert_announced("(post_id, rumour_id) WHERE stage = 'retro_scan' AND supersedes IS NULL")
# MB-11: a rumour's label superseded once (withdrawn: approved; raised to a stop: stopped).
_INSERT_SUPERSEDING = _insert_announced("(supersedes) WHERE stage = 'retro_scan' AND supersedes IS NOT NULL")
# Staff takedowns and restores (issue 14, MB-12.2): one of each per decision they supersede.
_INSERT_STAFF = {
    "takedown": _insert_announced("(supersedes) WHERE stage = 'takedown'"),
    "restore": _insert_announced("(supersedes) WHERE stage = 'restore'"),
}


def _params(decisions: list[tuple[dict, OutboxRow]]) -> list[tuple]:
    return [(*(d[k] for k in DECISION_FIELDS), *announcement.params()) for d, announcement in decisions]


# A stop of transmission in force on the post of decision `d`: a stop no restore superseded (MB-12.2, issue 14).
_STOPPED_SQL = """EXISTS (SELECT 1 FROM decision x
                   WHERE x.post_id = d.post_id AND x.outcome = 'stop_transmission'
                     AND NOT EXISTS (SELECT 1 FROM decision r WHERE r.supersedes = x.id AND r.stage = 'restore'))"""


class DecisionStore:
    """Decisions (with their announcements, one statement each) and published texts."""

    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        self.conn = conn

    async def insert_decisions_announced(self, decisions: list[tuple[dict, OutboxRow]]) -> None:
        """Store each publication decision with its announcement, all in one pipelined round trip. A post
        decided before keeps its first decision and gets no second announcement here."""
        await self.conn.executemany(_INSERT_PUBLICATION, _params(decisions))

    async def insert_review_announced(self, decision: dict, announcement: OutboxRow) -> bool:
        """A reviewer's decision on a held one; False when that held decision was reviewed already."""
        await self.conn.execute(_INSERT_REVIEW, *_params([(decision, announcement)])[0])
        stored = await self.conn.fetchval(
            "SELECT id FROM decision WHERE supersedes = $1 AND stage = 'review'", decision["supersedes"]
        )
        return stored == decision["id"]

    async def insert_staff_announced(self, decision: dict, announcement: OutboxRow) -> None:
        """A staff takedown or restore with its announcement; the caller holds the post's lock (lock_post),
        and the unique index keeps one per superseded decision even so."""
        await self.conn.execute(_INSERT_STAFF[decision["stage"]], *_params([(decision, announcement)])[0])

    async def lock_post(self, post_id: uuid.UUID) -> None:
        """Serialise staff decisions on one post (takedown, restore, a case's stop) for this transaction."""
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 14))", str(post_id))

    async def insert_retro_announced(self, decisions: list[tuple[dict, OutboxRow]]) -> None:
        if decisions:
            await self.conn.executemany(_INSERT_RETRO, _params(decisions))

    async def insert_superseding_announced(self, decisions: list[tuple[dict, OutboxRow]]) -> None:
        """Decisions superseding a rumour's labels, each once whatever the repeats (MB-11)."""
        if decisions:
            await self.conn.executemany(_INSERT_SUPERSEDING, _params(decisions))

    async def rumour_labels(
        self, rumour_id: uuid.UUID, *, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[asyncpg.Record]:
        """The label decisions a rumour put on posts, oldest first, after the keyset cursor (decided_at, id),
        each with whether it stands: not superseded yet, and its post not stopped (by any rule, unless restored)."""
        after_at, after_id = after or (None, None)
        return await self.conn.fetch(
            f"""SELECT d.*, NOT EXISTS (SELECT 1 FROM decision s WHERE s.supersedes = d.id)
                           AND NOT {_STOPPED_SQL} AS stands
                 FROM decision d
                WHERE d.rumour_id = $1 AND d.outcome = 'label'
                  AND ($2::timestamptz IS NULL OR (d.decided_at, d.id) > ($2, $3::uuid))
                ORDER BY d.decided_at, d.id LIMIT $4""",  # noqa: S608 - a fixed fragment
            rumour_id,
            after_at,
            after_id,
            limit,
        )

    async def count_rumour_labels(self, rumour_id: uuid.UUID) -> int:
        return await self.conn.fetchval(
            "SELECT count(*) FROM decision WHERE rumour_id = $1 AND outcome = 'label'", rumour_id
        )

    async def count_published_texts(
        self, *, until: datetime, after_at: datetime | None, after_post: uuid.UUID | None
    ) -> int:
        """How many published texts a retro-scan has still to read (its job's total)."""
        return await self.conn.fetchval(
            """SELECT count(*) FROM published_text
                WHERE created_at <= $1 AND ($2::timestamptz IS NULL OR (created_at, post_id) > ($2, $3::uuid))""",
            until,
            after_at,
            after_post,
        )

    async def decided_before(self, decisions: list[dict]) -> list[asyncpg.Record]:
        """Of these posts, the ones whose stored publication decision is not the one just made."""
        return await self.conn.fetch(
            """SELECT * FROM decision WHERE stage = 'publication' AND post_id = ANY($1::uuid[])
                  AND NOT (id = ANY($2::uuid[]))""",
            [d["post_id"] for d in decisions],
            [d["id"] for d in decisions],
        )

    async def decision(self, decision_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM decision WHERE id = $1", decision_id)

    async def decisions_for_post(self, post_id: uuid.UUID) -> list[asyncpg.Record]:
        return await self.conn.fetch("SELECT * FROM decision WHERE post_id = $1 ORDER BY decided_at, id", post_id)

    async def posts_with_rumour_decision(self, post_ids: list[uuid.UUID], rumour_id: uuid.UUID) -> set[uuid.UUID]:
        """Of these posts, those the retro-scan leaves alone: decided for this rumour already, or stopped
        (by any rule: a stopped post is stopped once, reported once and penalised once). A post whose stop staff
        restored as wrong is scanned again like any served post."""
        rows = await self.conn.fetch(
            f"""SELECT DISTINCT post_id FROM decision d
                WHERE post_id = ANY($1::uuid[]) AND (rumour_id = $2 OR {_STOPPED_SQL})""",  # noqa: S608 - fixed
            post_ids,
            rumour_id,
        )
        return {r["post_id"] for r in rows}

    async def mark_announced(self, decision_id: uuid.UUID) -> None:
        await self.conn.execute("UPDATE decision SET announced_at = now() WHERE id = $1", decision_id)

    async def mark_reported(self, decision_id: uuid.UUID) -> None:
        await self.conn.execute(
            "UPDATE decision SET reported_at = coalesce(reported_at, now()) WHERE id = $1", decision_id
        )

    async def claim_unreported(self, *, older_than_s: float, limit: int) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            """UPDATE decision SET announced_at = now()
                WHERE id IN (SELECT id FROM decision
                              WHERE outcome = 'stop_transmission' AND reported_at IS NULL
                                AND announced_at < now() - make_interval(secs => $1)
                              ORDER BY announced_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING *""",
            older_than_s,
            limit,
        )

    async def insert_published_texts(self, rows: list[tuple]) -> None:
        """(post_id, author_id, created_at, content_sha256, folded sentences) of posts now published."""
        if rows:
            await self.conn.executemany(
                """INSERT INTO published_text (post_id, author_id, created_at, content_sha256, folded)
                   VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
                rows,
            )

    async def published_texts_after(
        self, *, until: datetime, after_at: datetime | None, after_post: uuid.UUID | None, limit: int
    ) -> list[asyncpg.Record]:
        """Published texts up to `until`, oldest first, after the keyset cursor."""
        return await self.conn.fetch(
            """SELECT post_id, author_id, created_at, content_sha256, folded FROM published_text
                WHERE created_at <= $1
                  AND ($2::timestamptz IS NULL OR (created_at, post_id) > ($2, $3::uuid))
                ORDER BY created_at, post_id LIMIT $4""",
            until,
            after_at,
            after_post,
            limit,
        )
