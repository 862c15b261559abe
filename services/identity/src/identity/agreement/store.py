"""SQL for the service agreement (MB-6.2, PA-5.2): its versions and who accepted which."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

_PUBLISH_LOCK = 7_100_101  # one publisher at a time: versions are consecutive


class AgreementStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def seed(self, *, title: str, body: str, sha256: str) -> None:
        await self.conn.execute(
            """INSERT INTO service_agreement (version, title, body, sha256, published_by)
               VALUES (1, $1, $2, $3, 'system:seed') ON CONFLICT DO NOTHING""",
            title,
            body,
            sha256,
        )

    async def current(self) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM service_agreement ORDER BY version DESC LIMIT 1")

    async def publish(self, *, title: str, body: str, sha256: str, by: str) -> asyncpg.Record:
        await self.conn.execute("SELECT pg_advisory_xact_lock($1)", _PUBLISH_LOCK)
        return await self.conn.fetchrow(
            """INSERT INTO service_agreement (version, title, body, sha256, published_by)
               SELECT coalesce(max(version), 0) + 1, $1, $2, $3, $4 FROM service_agreement RETURNING *""",
            title,
            body,
            sha256,
            by,
        )

    async def record_acceptance(self, account_id: uuid.UUID, version: int) -> None:
        await self.conn.execute(
            "INSERT INTO agreement_acceptance (account_id, version) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            account_id,
            version,
        )

    async def superseded_since(self, since: datetime) -> list[asyncpg.Record]:
        """The versions a later one replaced after ``since``: (version, superseded_at)."""
        return await self.conn.fetch(
            """SELECT version, superseded_at FROM (
                   SELECT version, lead(published_at) OVER (ORDER BY version) AS superseded_at FROM service_agreement
               ) v WHERE superseded_at > $1 ORDER BY version""",
            since,
        )
