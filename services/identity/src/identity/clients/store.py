"""SQL for registered third-party API clients (BJ-7(6))."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg


class ClientStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def register(self, client_id: uuid.UUID, *, name: str, icp_number: str, secret_hash: bytes, by: str):
        return await self.conn.fetchrow(
            """INSERT INTO api_client (id, name, icp_number, secret_hash, registered_by) VALUES ($1, $2, $3, $4, $5)
               RETURNING *""",
            client_id,
            name,
            icp_number,
            secret_hash,
            by,
        )

    async def get(self, client_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM api_client WHERE id = $1", client_id)

    async def page(self, *, after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[asyncpg.Record]:
        """Clients in the order they were registered, after the cursor (registered_at, id)."""
        return await self.conn.fetch(
            """SELECT * FROM api_client WHERE ($1::timestamptz IS NULL OR (registered_at, id) > ($1, $2))
                ORDER BY registered_at, id LIMIT $3""",
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )

    async def revoke(self, client_id: uuid.UUID, *, reason: str, by: str) -> asyncpg.Record | None:
        """None when there is no such client or it was revoked already."""
        return await self.conn.fetchrow(
            """UPDATE api_client SET revoked_at = now(), revoked_by = $2, revoke_reason = $3
                WHERE id = $1 AND revoked_at IS NULL RETURNING *""",
            client_id,
            by,
            reason,
        )

    async def revoked(self) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            "SELECT id, revoke_reason, revoked_at FROM api_client WHERE revoked_at IS NOT NULL"
        )
