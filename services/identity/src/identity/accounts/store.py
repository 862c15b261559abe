"""SQL for accounts: the account row, its mobile confirmation, its ended sessions, cancellation and purge."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

# An account with the facts its token states: real name (MB-7.1, MB-7.2) and the agreement it accepted
# beside the one in force (MB-6.2). accounts.domain.access_claims decides what they mean.
_ACCOUNT = """SELECT a.*, r.subject_type, r.verified_at, r.province_code, r.expires_at,
        (SELECT max(g.version) FROM agreement_acceptance g WHERE g.account_id = a.id) AS accepted_version,
        (SELECT max(version) FROM service_agreement) AS version_in_force
   FROM account a LEFT JOIN real_name_verification r ON r.account_id = a.id"""


class AccountStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def insert(
        self,
        *,
        account_id: uuid.UUID,
        username: str,
        password_hash: str,
        phone_ciphertext: bytes,
        phone_lookup: bytes,
    ) -> bool:
        row = await self.conn.fetchval(
            """INSERT INTO account (id, username, password_hash, phone_ciphertext, phone_lookup)
               VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING true""",
            account_id,
            username,
            password_hash,
            phone_ciphertext,
            phone_lookup,
        )
        return bool(row)

    async def by_username(self, username: str) -> asyncpg.Record | None:
        # Only a user signs in: a public account has no password (it is acted as, PA-7.1).
        return await self.conn.fetchrow(f"{_ACCOUNT} WHERE lower(a.username) = lower($1) AND a.kind = 'user'", username)

    async def by_id(self, account_id: uuid.UUID, *, for_update: bool = False) -> asyncpg.Record | None:
        lock = " FOR UPDATE OF a" if for_update else ""
        return await self.conn.fetchrow(f"{_ACCOUNT} WHERE a.id = $1{lock}", account_id)

    async def exists(self, account_id: uuid.UUID) -> bool:
        return await self.conn.fetchval("SELECT 1 FROM account WHERE id = $1", account_id) is not None

    async def state(self, account_id: uuid.UUID) -> asyncpg.Record | None:
        """Cancelled, closed, and the account's latest ended sessions (PA-9.2, PA-13.1)."""
        return await self.conn.fetchrow(
            """SELECT a.cancelled_at, a.closed_at, s.issued_before, s.legal_basis
                 FROM account a
                 LEFT JOIN LATERAL (SELECT issued_before, legal_basis FROM session_revocation
                                     WHERE account_id = a.id ORDER BY issued_before DESC LIMIT 1) s ON true
                WHERE a.id = $1""",
            account_id,
        )

    # ---- mobile confirmation (MB-7.1) ----

    async def upsert_challenge(self, account_id: uuid.UUID, code_hash: bytes, expires_at: datetime) -> None:
        await self.conn.execute(
            """INSERT INTO phone_challenge (account_id, code_hash, expires_at, attempts) VALUES ($1, $2, $3, 0)
               ON CONFLICT (account_id) DO UPDATE SET code_hash = $2, expires_at = $3, attempts = 0""",
            account_id,
            code_hash,
            expires_at,
        )

    async def challenge_for_update(self, account_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow("SELECT * FROM phone_challenge WHERE account_id = $1 FOR UPDATE", account_id)

    async def count_attempt(self, account_id: uuid.UUID) -> None:
        await self.conn.execute("UPDATE phone_challenge SET attempts = attempts + 1 WHERE account_id = $1", account_id)

    async def confirm_phone(self, account_id: uuid.UUID) -> None:
        await self.conn.execute("UPDATE account SET phone_confirmed_at = now() WHERE id = $1", account_id)
        await self.conn.execute("DELETE FROM phone_challenge WHERE account_id = $1", account_id)

    async def phone_lookup(self, account_id: uuid.UUID) -> bytes:
        return bytes(
            await self.conn.fetchval("SELECT phone_lookup FROM account WHERE id = $1 AND kind = 'user'", account_id)
            or b""
        )

    async def active_accounts_on_number(self, phone_lookup: bytes, *, other_than: uuid.UUID | None = None) -> int:
        """Accounts not cancelled whose confirmed mobile number this is (BJ-9: no fake users)."""
        return await self.conn.fetchval(
            """SELECT count(*) FROM account WHERE phone_lookup = $1 AND kind = 'user' AND phone_confirmed_at IS NOT NULL
                  AND cancelled_at IS NULL AND id IS DISTINCT FROM $2""",
            phone_lookup,
            other_than,
        )

    # ---- ended sessions (PA-9.2, PA-13.1) ----

    async def insert_session_revocation(
        self,
        account_id: uuid.UUID,
        *,
        issued_before: datetime,
        expires_at: datetime,
        reason: str,
        legal_basis: list[str],
    ) -> None:
        await self.conn.execute(
            """INSERT INTO session_revocation (account_id, issued_before, expires_at, reason, legal_basis)
               VALUES ($1, $2, $3, $4, $5)""",
            account_id,
            issued_before,
            expires_at,
            reason,
            legal_basis,
        )

    async def session_revocations_in_force(self) -> list[asyncpg.Record]:
        """Each account's latest revocation of its sessions that still refuses some unexpired token."""
        return await self.conn.fetch(
            """SELECT DISTINCT ON (account_id) account_id, issued_before, expires_at, reason, legal_basis
                 FROM session_revocation WHERE expires_at > now()
                ORDER BY account_id, issued_before DESC"""
        )

    # ---- cancellation and purge (PA-9.2) ----

    async def cancel(self, account_id: uuid.UUID, at: datetime, purge_after: datetime) -> bool:
        """False when it was cancelled already."""
        return (
            await self.conn.fetchval(
                """UPDATE account SET cancelled_at = $2, purge_after = $3 WHERE id = $1 AND cancelled_at IS NULL
                   RETURNING true""",
                account_id,
                at,
                purge_after,
            )
            is not None
        )

    async def purge_due(self) -> int:
        """Purge the personal data of cancelled accounts past their retention: the mobile number, the real
        name and identity number, the username, the proof names and files of V applications. Ledgers,
        sanctions and the blacklist's keyed hash stay."""
        rows = await self.conn.fetch(
            """UPDATE account SET purged_at = now(), phone_ciphertext = ''::bytea, phone_lookup = ''::bytea,
                      username = 'purged-' || id::text, password_hash = ''
                WHERE id IN (SELECT id FROM account WHERE kind = 'user' AND purged_at IS NULL AND purge_after <= now()
                              LIMIT 500 FOR UPDATE SKIP LOCKED)
            RETURNING id""",
        )
        ids = [r["id"] for r in rows]
        if ids:
            await self.conn.execute("DELETE FROM phone_challenge WHERE account_id = ANY($1::uuid[])", ids)
            await self.conn.execute(
                """UPDATE real_name_verification SET legal_name_ciphertext = ''::bytea,
                          id_number_ciphertext = ''::bytea, details_ciphertext = NULL
                    WHERE account_id = ANY($1::uuid[])""",
                ids,
            )
            # MB-7.3: the names on V applications' proofs, and the proof files; their SHA-256 stay as the record.
            await self.conn.execute(
                "UPDATE verified_application SET proof_name_ciphertext = NULL WHERE account_id = ANY($1::uuid[])", ids
            )
            await self.conn.execute(
                """UPDATE proof_file SET content_sealed = ''::bytea
                    WHERE application_id IN (SELECT id FROM verified_application WHERE account_id = ANY($1::uuid[]))""",
                ids,
            )
        return len(ids)

    # ---- profile and personal data ----

    async def set_display_name(self, account_id: uuid.UUID, name: str) -> None:
        await self.conn.execute("UPDATE account SET display_name = $2 WHERE id = $1", account_id, name)

    async def profile(self, account_id: uuid.UUID) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT id, display_name, verified_type, verified_display_name, cancelled_at FROM account WHERE id = $1",
            account_id,
        )
