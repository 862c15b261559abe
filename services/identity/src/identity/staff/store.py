"""SQL for staff accounts."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

_ADMINISTRATION_LOCK = 7100301


class StaffStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def insert(self, staff_id: uuid.UUID, *, username: str, password_hash: str, roles: list[str]) -> bool:
        """False when a staff account of this name exists."""
        created = await self.conn.fetchval(
            """INSERT INTO staff (id, username, password_hash, roles) VALUES ($1, $2, $3, $4)
               ON CONFLICT DO NOTHING RETURNING true""",
            staff_id,
            username,
            password_hash,
            roles,
        )
        return bool(created)

    async def active_by_username(self, username: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM staff WHERE lower(username) = lower($1) AND disabled_at IS NULL", username
        )

    # ---- administration by operators (MB-6.1, PA-5.1) ----

    async def lock_administration(self) -> None:
        """One administrative change at a time: the last-operator guard reads what the others write."""
        await self.conn.execute("SELECT pg_advisory_xact_lock($1)", _ADMINISTRATION_LOCK)

    async def page(self, *, after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[asyncpg.Record]:
        """Staff accounts in the order they were created, after the cursor (created_at, id)."""
        return await self.conn.fetch(
            """SELECT id, username, roles, created_at, disabled_at FROM staff
                WHERE ($1::timestamptz IS NULL OR (created_at, id) > ($1, $2))
                ORDER BY created_at, id LIMIT $3""",
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )

    async def get(self, staff_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT id, username, roles, created_at, disabled_at FROM staff WHERE id = $1", staff_id
        )

    async def other_active_operators(self, staff_id: uuid.UUID) -> int:
        return await self.conn.fetchval(
            "SELECT count(*) FROM staff WHERE 'operator' = ANY(roles) AND disabled_at IS NULL AND id <> $1", staff_id
        )

    async def set_disabled(self, staff_id: uuid.UUID, at: datetime | None) -> None:
        await self.conn.execute("UPDATE staff SET disabled_at = $2 WHERE id = $1", staff_id, at)

    async def set_roles(self, staff_id: uuid.UUID, roles: list[str]) -> None:
        await self.conn.execute("UPDATE staff SET roles = $2 WHERE id = $1", staff_id, roles)

    async def record_change(
        self,
        staff_id: uuid.UUID,
        *,
        change: str,
        roles_before: list[str],
        roles_after: list[str],
        reason: str | None,
        by: str,
        at: datetime,
    ) -> None:
        await self.conn.execute(
            """INSERT INTO staff_change (staff_id, change, roles_before, roles_after, reason, changed_by, changed_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            staff_id,
            change,
            roles_before,
            roles_after,
            reason,
            by,
            at,
        )

    async def insert_revocation(
        self, staff_id: uuid.UUID, *, issued_before: datetime, expires_at: datetime, reason: str
    ) -> None:
        await self.conn.execute(
            """INSERT INTO staff_revocation (staff_id, issued_before, expires_at, reason) VALUES ($1, $2, $3, $4)""",
            staff_id,
            issued_before,
            expires_at,
            reason,
        )

    async def revocations_in_force(self) -> list[asyncpg.Record]:
        """Each member's latest revocation that still refuses some unexpired token."""
        return await self.conn.fetch(
            """SELECT DISTINCT ON (staff_id) staff_id, issued_before, expires_at, reason
                 FROM staff_revocation WHERE expires_at > now()
                ORDER BY staff_id, issued_before DESC"""
        )
