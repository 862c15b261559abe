"""SQL for personal data at rest: an account's sealed values, and every sealed column for a rotation."""

from __future__ import annotations

import uuid

import asyncpg

from identity.pii import ID_NUMBER, LEGAL_NAME, PHONE, PROOF_NAME, SUBJECT_DETAILS

# Every sealed column (table, key, column) with the purpose it was sealed for.
SEALED_COLUMNS = (
    ("account", "id", "phone_ciphertext", PHONE),
    ("real_name_verification", "account_id", "legal_name_ciphertext", LEGAL_NAME),
    ("real_name_verification", "account_id", "id_number_ciphertext", ID_NUMBER),
    ("real_name_verification", "account_id", "details_ciphertext", SUBJECT_DETAILS),
    ("verified_application", "id", "proof_name_ciphertext", PROOF_NAME),
)


class PersonalDataStore:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def of_account(self, account_id: uuid.UUID) -> asyncpg.Record | None:
        """The sealed mobile number and real name of a user's account (None: no such account; a public
        account holds no personal data of its own)."""
        return await self.conn.fetchrow(
            """SELECT a.phone_ciphertext, r.legal_name_ciphertext, r.id_number_ciphertext, r.subject_type
                 FROM account a LEFT JOIN real_name_verification r ON r.account_id = a.id
                WHERE a.id = $1 AND a.kind = 'user'""",
            account_id,
        )

    async def proof_names(self, account_id: uuid.UUID) -> list[asyncpg.Record]:
        """The sealed proof names of an account's V applications."""
        return await self.conn.fetch(
            """SELECT id, v_type, status, display_name, proof_name_ciphertext FROM verified_application
                WHERE account_id = $1 AND proof_name_ciphertext IS NOT NULL ORDER BY submitted_at""",
            account_id,
        )

    async def sealed_values(self, table: str, key: str, column: str) -> list[tuple[object, bytes]]:
        """Every value of one of SEALED_COLUMNS, with its row's key."""
        assert (table, key, column) in {c[:3] for c in SEALED_COLUMNS}, "a sealed column"
        rows = await self.conn.fetch(f"SELECT {key} AS k, {column} AS v FROM {table} WHERE {column} IS NOT NULL")  # noqa: S608
        return [(r["k"], bytes(r["v"])) for r in rows]

    async def replace_sealed(self, table: str, key: str, column: str, values: list[tuple[object, bytes]]) -> None:
        assert (table, key, column) in {c[:3] for c in SEALED_COLUMNS}, "a sealed column"
        await self.conn.executemany(f"UPDATE {table} SET {column} = $2 WHERE {key} = $1", values)  # noqa: S608
