"""SQL for the news licence registry (MB-4, PA-8): licences, their sealed evidence, and the accounts of a
holder subject."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import asyncpg


class LicenceStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def subject_of(self, account_id: uuid.UUID) -> bytes | None:
        """The subject (keyed hash) of a verified user account, or of a public account's registrant."""
        found = await self.conn.fetchval(
            """SELECT id_number_lookup FROM real_name_verification r JOIN account a ON a.id = r.account_id
                WHERE r.account_id = $1 AND r.expires_at > now() AND a.cancelled_at IS NULL AND a.closed_at IS NULL
               UNION ALL
               SELECT subject_lookup FROM public_account WHERE account_id = $1 AND cancelled_at IS NULL
               LIMIT 1""",
            account_id,
        )
        return bytes(found) if found is not None else None

    async def accounts_of_subject(self, subject_lookup: bytes) -> list[uuid.UUID]:
        """Every account of the subject: its verified user accounts and its public accounts (not cancelled)."""
        rows = await self.conn.fetch(
            """SELECT r.account_id FROM real_name_verification r JOIN account a ON a.id = r.account_id
                WHERE r.id_number_lookup = $1 AND a.cancelled_at IS NULL
               UNION
               SELECT account_id FROM public_account WHERE subject_lookup = $1 AND cancelled_at IS NULL""",
            subject_lookup,
        )
        return sorted(r["account_id"] for r in rows)

    async def insert(
        self,
        licence_id: uuid.UUID,
        *,
        number: str,
        subject_lookup: bytes,
        holder: uuid.UUID,
        scopes: list[str],
        valid_from: date,
        valid_until: date,
        by: str,
    ) -> bool:
        """False when the number is recorded already."""
        try:
            await self.conn.execute(
                """INSERT INTO news_licence (id, number, subject_lookup, holder_account_id, scopes, valid_from,
                       valid_until, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
                licence_id,
                number,
                subject_lookup,
                holder,
                scopes,
                valid_from,
                valid_until,
                by,
            )
        except asyncpg.UniqueViolationError:
            return False
        return True

    async def insert_evidence(
        self, licence_id: uuid.UUID, *, filename: str, content_type: str, sha256: str, size: int, sealed: bytes
    ) -> None:
        await self.conn.execute(
            """INSERT INTO news_licence_evidence (id, licence_id, filename, content_type, sha256, size, content_sealed)
               VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            uuid.uuid4(),
            licence_id,
            filename,
            content_type,
            sha256,
            size,
            sealed,
        )

    async def get(self, licence_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
        lock = " FOR UPDATE" if for_update else ""
        return await self.conn.fetchrow(f"SELECT * FROM news_licence WHERE id = $1{lock}", licence_id)  # noqa: S608

    async def evidence(self, licence_id: uuid.UUID) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            """SELECT filename, content_type, sha256, size FROM news_licence_evidence WHERE licence_id = $1
                ORDER BY filename, id""",
            licence_id,
        )

    async def page(self, *, after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            """SELECT * FROM news_licence WHERE ($1::timestamptz IS NULL OR (recorded_at, id) > ($1, $2))
                ORDER BY recorded_at, id LIMIT $3""",
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )

    async def of_subject(self, subject_lookup: bytes) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            "SELECT * FROM news_licence WHERE subject_lookup = $1 ORDER BY recorded_at, id", subject_lookup
        )

    async def revoke(self, licence_id: uuid.UUID, *, reason: str, by: str, at: datetime) -> asyncpg.Record | None:
        """The revoked licence; None when it was revoked already."""
        return await self.conn.fetchrow(
            """UPDATE news_licence SET revoked_at = $4, revoked_by = $3, revoke_reason = $2, version = version + 1
                WHERE id = $1 AND revoked_at IS NULL RETURNING *""",
            licence_id,
            reason,
            by,
            at,
        )

    async def worth_announcing(self, since: date) -> list[asyncpg.Record]:
        """Licences someone may still rely on or must learn the end of: valid until at least ``since``."""
        return await self.conn.fetch(
            "SELECT * FROM news_licence WHERE valid_until >= $1 ORDER BY recorded_at, id LIMIT 10000", since
        )
