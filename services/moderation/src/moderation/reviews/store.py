"""asyncpg SQL for the review queue (MB-6.1): held posts and their resolution."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg


class ReviewStore:
    """Held posts waiting for a reviewer, and who resolved them."""

    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        self.conn = conn

    async def insert_review_items(self, rows: list[tuple]) -> None:
        """(decision_id, post_id, author_id, text, created_at) of posts held for review."""
        if rows:
            await self.conn.executemany(
                """INSERT INTO review_item (decision_id, post_id, author_id, text, created_at)
                   VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
                rows,
            )

    async def open_review_items(self, *, after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[asyncpg.Record]:
        """Held posts waiting for a reviewer, oldest first, after the keyset cursor (held_at, decision_id)."""
        after_at, after_id = after or (None, None)
        return await self.conn.fetch(
            """SELECT r.*, d.rule, d.reason, d.risk, d.suggestion, d.category, d.matches, d.rumour_hits
                 FROM review_item r JOIN decision d ON d.id = r.decision_id
                WHERE r.resolved_at IS NULL
                  AND ($1::timestamptz IS NULL OR (r.held_at, r.decision_id) > ($1, $2::uuid))
                ORDER BY r.held_at, r.decision_id LIMIT $3""",
            after_at,
            after_id,
            limit,
        )

    async def review_item_for_update(self, decision_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM review_item WHERE decision_id = $1 FOR UPDATE", decision_id)

    async def resolve_review_item(self, decision_id: uuid.UUID, *, by: str, resolution: uuid.UUID):
        await self.conn.execute(
            "UPDATE review_item SET resolved_by = $2, resolved_at = now(), resolution = $3 WHERE decision_id = $1",
            decision_id,
            by,
            resolution,
        )
