"""SQL for the abuse limits: events counted over time (`throttle_event`), under advisory locks."""

from __future__ import annotations

import uuid
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


class CohortStore:
    """Registrations by network (keyed hash) and the bulk cohorts they open (CM, BJ-9.2)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def note_registration(self, account_id: uuid.UUID, address_key: bytes, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO registration_address (account_id, address_key, registered_at) VALUES ($1, $2, $3)",
            account_id,
            address_key,
            at,
        )

    async def registered_since(self, address_key: bytes, since: datetime) -> list[uuid.UUID]:
        """The accounts registered from the network since then, oldest first."""
        rows = await self.conn.fetch(
            """SELECT account_id FROM registration_address WHERE address_key = $1 AND registered_at > $2
                ORDER BY registered_at, account_id""",
            address_key,
            since,
        )
        return [r["account_id"] for r in rows]

    async def open_cohort(self, address_key: bytes, since: datetime) -> asyncpg.Record | None:
        """The network's cohort still open (id, cleared_at): one a member joined since then."""
        return await self.conn.fetchrow(
            """SELECT id, cleared_at FROM registration_cohort WHERE address_key = $1 AND last_joined_at > $2
                ORDER BY last_joined_at DESC LIMIT 1""",
            address_key,
            since,
        )

    async def insert_cohort(self, cohort_id: uuid.UUID, address_key: bytes, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO registration_cohort (id, address_key, opened_at, last_joined_at) VALUES ($1, $2, $3, $3)",
            cohort_id,
            address_key,
            at,
        )

    async def add_members(self, cohort_id: uuid.UUID, account_ids: list[uuid.UUID], at: datetime) -> int:
        """Add the members; the cohort's size after."""
        await self.conn.execute(
            """INSERT INTO cohort_member (cohort_id, account_id, joined_at)
               SELECT $1, a, $3 FROM unnest($2::uuid[]) AS a ON CONFLICT DO NOTHING""",
            cohort_id,
            account_ids,
            at,
        )
        await self.conn.execute("UPDATE registration_cohort SET last_joined_at = $2 WHERE id = $1", cohort_id, at)
        return await self.conn.fetchval("SELECT count(*) FROM cohort_member WHERE cohort_id = $1", cohort_id)

    # ---- staff clearance (issue 13 §16 item 6) ----

    _COHORT = """SELECT c.id, c.address_key, c.opened_at, c.last_joined_at, c.cleared_at, c.cleared_by,
                        c.clearance_reason, (SELECT count(*) FROM cohort_member m WHERE m.cohort_id = c.id) AS size
                   FROM registration_cohort c"""

    async def cohort(self, cohort_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(f"{self._COHORT} WHERE c.id = $1", cohort_id)

    async def cohorts(
        self, *, cleared: bool | None, after: tuple[datetime, uuid.UUID] | None, limit: int
    ) -> list[asyncpg.Record]:
        """Newest first; ``cleared``: only the cleared (True) or the still flagged (False) ones."""
        return await self.conn.fetch(
            f"""{self._COHORT}
                WHERE ($1::boolean IS NULL OR (c.cleared_at IS NOT NULL) = $1)
                  AND ($2::timestamptz IS NULL OR (c.opened_at, c.id) < ($2, $3))
                ORDER BY c.opened_at DESC, c.id DESC LIMIT $4""",
            cleared,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )

    async def clear(self, cohort_id: uuid.UUID, *, reason: str, by: str, at: datetime) -> bool:
        """Whether it was cleared now (False: cleared already)."""
        return (
            await self.conn.fetchval(
                """UPDATE registration_cohort SET cleared_at = $2, cleared_by = $3, clearance_reason = $4
                    WHERE id = $1 AND cleared_at IS NULL RETURNING true""",
                cohort_id,
                at,
                by,
                reason,
            )
            is not None
        )

    async def members(self, cohort_id: uuid.UUID) -> list[uuid.UUID]:
        rows = await self.conn.fetch(
            "SELECT account_id FROM cohort_member WHERE cohort_id = $1 ORDER BY joined_at, account_id", cohort_id
        )
        return [r["account_id"] for r in rows]

    async def forget_addresses_before(self, before: datetime) -> None:
        """Registrations older than the window count for nothing: their network's hash goes."""
        await self.conn.execute("DELETE FROM registration_address WHERE registered_at < $1", before)
