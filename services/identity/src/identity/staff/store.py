"""SQL for staff accounts."""

from __future__ import annotations

import uuid

import asyncpg


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
