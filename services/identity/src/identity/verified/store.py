"""SQL for verified ("V") accounts: applications, their proof files, and the names accounts show."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg


class VerifiedStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def own_verified_name(self, account_id: uuid.UUID) -> str | None:
        return await self.conn.fetchval("SELECT verified_display_name FROM account WHERE id = $1", account_id)

    async def others_verified_names(self, account_id: uuid.UUID) -> list[str]:
        rows = await self.conn.fetch(
            "SELECT verified_display_name FROM account WHERE verified_display_name IS NOT NULL AND id <> $1",
            account_id,
        )
        return [r["verified_display_name"] for r in rows]

    async def insert_application(
        self,
        application_id: uuid.UUID,
        account_id: uuid.UUID,
        *,
        v_type: str,
        proof_name_ciphertext: bytes,
        display_name: str,
        status: str,
        reason: str | None,
        reviewed_by: str | None,
        reviewed_at: datetime | None,
    ) -> bool:
        """False when an application of the account is waiting for review already."""
        try:
            await self.conn.execute(
                """INSERT INTO verified_application (id, account_id, v_type, proof_name_ciphertext, display_name,
                                                     status, reason, reviewed_by, reviewed_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
                application_id,
                account_id,
                v_type,
                proof_name_ciphertext,
                display_name,
                status,
                reason,
                reviewed_by,
                reviewed_at,
            )
        except asyncpg.UniqueViolationError:
            return False
        return True

    async def insert_proof_file(
        self,
        application_id: uuid.UUID,
        *,
        ordinal: int,
        filename: str,
        content_type: str,
        sha256: str,
        size: int,
        sealed: bytes,
    ) -> None:
        await self.conn.execute(
            """INSERT INTO proof_file (id, application_id, ordinal, filename, content_type, sha256, size,
                                       content_sealed)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
            uuid.uuid4(),
            application_id,
            ordinal,
            filename,
            content_type,
            sha256,
            size,
            sealed,
        )

    async def application(self, application_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
        lock = " FOR UPDATE" if for_update else ""
        return await self.conn.fetchrow(f"SELECT * FROM verified_application WHERE id = $1{lock}", application_id)  # noqa: S608

    async def files(self, application_id: uuid.UUID) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            """SELECT ordinal, filename, content_type, sha256, size FROM proof_file WHERE application_id = $1
                ORDER BY ordinal""",
            application_id,
        )

    async def waiting(self, *, after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[asyncpg.Record]:
        """Applications waiting for review, oldest first, after the cursor (submitted_at, id)."""
        return await self.conn.fetch(
            """SELECT * FROM verified_application WHERE status = 'submitted'
                  AND ($1::timestamptz IS NULL OR (submitted_at, id) > ($1, $2))
                ORDER BY submitted_at, id LIMIT $3""",
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )

    async def decide(self, application_id: uuid.UUID, *, status: str, reason: str, by: str, at: datetime) -> None:
        await self.conn.execute(
            """UPDATE verified_application SET status = $2, reason = $3, reviewed_by = $4, reviewed_at = $5
                WHERE id = $1""",
            application_id,
            status,
            reason,
            by,
            at,
        )

    async def show_verified(self, account_id: uuid.UUID, *, v_type: str, display_name: str, at: datetime) -> None:
        await self.conn.execute(
            "UPDATE account SET verified_type = $2, verified_display_name = $3, verified_at_v = $4 WHERE id = $1",
            account_id,
            v_type,
            display_name,
            at,
        )

    async def province_of(self, account_id: uuid.UUID) -> str | None:
        return await self.conn.fetchval(
            "SELECT province_code FROM real_name_verification WHERE account_id = $1", account_id
        )

    # ---- opening a proof file, recorded (MB-7.3) ----

    async def proof_file(self, application_id: uuid.UUID, ordinal: int) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT * FROM proof_file WHERE application_id = $1 AND ordinal = $2", application_id, ordinal
        )

    async def record_proof_access(
        self, *, staff: str, application_id: uuid.UUID, ordinal: int, sha256: str, reason: str, at: datetime
    ) -> None:
        await self.conn.execute(
            """INSERT INTO proof_file_access (staff, application_id, file_ordinal, file_sha256, reason, opened_at)
               VALUES ($1, $2, $3, $4, $5, $6)""",
            staff,
            application_id,
            ordinal,
            sha256,
            reason,
            at,
        )

    async def proof_accesses(
        self, *, application_id: uuid.UUID | None, after: tuple[datetime, int] | None, limit: int
    ) -> list[asyncpg.Record]:
        """Openings of proof files, newest first, after the cursor (opened_at, id)."""
        return await self.conn.fetch(
            """SELECT * FROM proof_file_access
                WHERE ($1::uuid IS NULL OR application_id = $1)
                  AND ($2::timestamptz IS NULL OR (opened_at, id) < ($2, $3))
                ORDER BY opened_at DESC, id DESC LIMIT $4""",
            application_id,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )

    # ---- sealing the proof names earlier versions stored in plaintext (MB-7.3) ----

    async def plaintext_proof_names(self, batch: int) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            """SELECT id, proof_name FROM verified_application WHERE proof_name IS NOT NULL
                LIMIT $1 FOR UPDATE SKIP LOCKED""",
            batch,
        )

    async def seal_proof_names(self, sealed: list[tuple[uuid.UUID, bytes]]) -> None:
        await self.conn.executemany(
            """UPDATE verified_application
                  SET proof_name_ciphertext = COALESCE(proof_name_ciphertext, $2), proof_name = NULL
                WHERE id = $1""",
            sealed,
        )

    async def delete_published_outbox(self, ce_type: str) -> None:
        await self.conn.execute("DELETE FROM outbox_event WHERE ce_type = $1 AND published_at IS NOT NULL", ce_type)

    async def unpublished_outbox(self, ce_type: str) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            "SELECT id, payload FROM outbox_event WHERE ce_type = $1 AND published_at IS NULL FOR UPDATE SKIP LOCKED",
            ce_type,
        )

    async def replace_outbox_payload(self, row_id: int, payload: bytes) -> None:
        await self.conn.execute("UPDATE outbox_event SET payload = $2 WHERE id = $1", row_id, payload)
