"""SQL for real-name verification (MB-7.1, MB-7.2), its checks, and the blacklist it consults (PA-13.2)."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg


class RealNameStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def account(self, account_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
        lock = " FOR UPDATE" if for_update else ""
        return await self.conn.fetchrow(f"SELECT * FROM account WHERE id = $1{lock}", account_id)  # noqa: S608

    async def of_account(self, account_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM real_name_verification WHERE account_id = $1", account_id)

    async def lock_subject(self, lookup: bytes) -> None:
        """Serialise everything that counts or adds a subject's accounts (BJ-9, PA-7.3), across processes,
        until the transaction ends."""
        await self.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 1))", lookup.hex())

    async def blacklisted(self, lookup: bytes) -> bool:
        # A lifted blacklisting stays on record and refuses nothing (PA-13.2; lifted by the chief editor).
        return (
            await self.conn.fetchval("SELECT 1 FROM blacklist WHERE subject_lookup = $1 AND lifted_at IS NULL", lookup)
            is not None
        )

    async def other_active_accounts(self, lookup: bytes, account_id: uuid.UUID) -> int:
        """The subject's other verified accounts that are not cancelled (a cancelled one frees its slot)."""
        return await self.conn.fetchval(
            """SELECT count(*) FROM real_name_verification r JOIN account a ON a.id = r.account_id
                WHERE r.id_number_lookup = $1 AND r.account_id <> $2 AND a.cancelled_at IS NULL""",
            lookup,
            account_id,
        )

    async def insert(
        self,
        account_id: uuid.UUID,
        *,
        subject_type: str,
        legal_name_ciphertext: bytes,
        id_number_ciphertext: bytes,
        id_number_lookup: bytes,
        province_code: str,
        legal_basis: list[str],
        number_kind: str,
        details_ciphertext: bytes | None,
        check_reference: str,
        verified_at: datetime,
        expires_at: datetime,
    ) -> None:
        await self.conn.execute(
            """INSERT INTO real_name_verification (account_id, subject_type, legal_name_ciphertext,
                   id_number_ciphertext, id_number_lookup, province_code, legal_basis, number_kind,
                   details_ciphertext, check_reference, verified_at, expires_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""",
            account_id,
            subject_type,
            legal_name_ciphertext,
            id_number_ciphertext,
            id_number_lookup,
            province_code,
            legal_basis,
            number_kind,
            details_ciphertext,
            check_reference,
            verified_at,
            expires_at,
        )

    async def renew(
        self,
        account_id: uuid.UUID,
        *,
        legal_name_ciphertext: bytes,
        check_reference: str,
        renewed_at: datetime,
        expires_at: datetime,
    ) -> None:
        await self.conn.execute(
            """UPDATE real_name_verification SET legal_name_ciphertext = $2, check_reference = $3,
                      renewed_at = $4, expires_at = $5, expiry_notified_at = NULL WHERE account_id = $1""",
            account_id,
            legal_name_ciphertext,
            check_reference,
            renewed_at,
            expires_at,
        )

    async def record_check(self, account_id: uuid.UUID, subject_type: str, result: str, reference: str) -> None:
        await self.conn.execute(
            "INSERT INTO identity_check (account_id, subject_type, result, reference) VALUES ($1, $2, $3, $4)",
            account_id,
            subject_type,
            result,
            reference,
        )

    async def claim_newly_expired(self, limit: int = 500) -> list[asyncpg.Record]:
        """Verifications that expired and were not announced yet, marked announced (MB-7.2)."""
        return await self.conn.fetch(
            """UPDATE real_name_verification SET expiry_notified_at = now()
                WHERE account_id IN (SELECT account_id FROM real_name_verification
                                      WHERE expires_at <= now() AND expiry_notified_at IS NULL
                                      LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING account_id, expires_at""",
            limit,
        )
