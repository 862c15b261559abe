"""SQL for the abuse limits: events counted over time (`throttle_event`), under advisory locks."""

from __future__ import annotations

from datetime import datetime

import asyncpg


class ThrottleStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def lock_key(self, name: str) -> None:
        """Serialise check-then-record on one key across every process, until the transaction ends."""
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", name)

    async def recent_events(self, kind: str, key: str, since: datetime, limit: int) -> list[datetime]:
        """When the latest ``limit`` events of ``kind`` on ``key`` after ``since`` happened, newest first."""
        rows = await self.conn.fetch(
            """SELECT at FROM throttle_event WHERE kind = $1 AND key = $2 AND at > $3 ORDER BY at DESC LIMIT $4""",
            kind,
            key,
            since,
            limit,
        )
        return [r["at"] for r in rows]

    async def record_events(self, at: datetime, *events: tuple[str, str]) -> None:
        await self.conn.executemany(
            "INSERT INTO throttle_event (kind, key, at) VALUES ($1, $2, $3)", [(kind, key, at) for kind, key in events]
        )

    async def record_events_returning(self, at: datetime, *events: tuple[str, str]) -> list[int]:
        rows = await self.conn.fetch(
            """INSERT INTO throttle_event (kind, key, at)
               SELECT e.kind, e.key, $3 FROM unnest($1::text[], $2::text[]) AS e(kind, key) RETURNING id""",
            [kind for kind, _ in events],
            [key for _, key in events],
            at,
        )
        return [r["id"] for r in rows]

    async def forget_events(self, ids: list[int]) -> None:
        await self.conn.execute("DELETE FROM throttle_event WHERE id = ANY($1::bigint[])", ids)

    async def forget_events_before(self, before: datetime) -> None:
        await self.conn.execute("DELETE FROM throttle_event WHERE at < $1", before)
