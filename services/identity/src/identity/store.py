"""asyncpg SQL for identity's own tables."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg


async def insert_account(
    conn: asyncpg.Connection,
    *,
    account_id: uuid.UUID,
    username: str,
    password_hash: str,
    phone_ciphertext: bytes,
    phone_lookup: bytes,
) -> bool:
    row = await conn.fetchval(
        """INSERT INTO account (id, username, password_hash, phone_ciphertext, phone_lookup)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING true""",
        account_id,
        username,
        password_hash,
        phone_ciphertext,
        phone_lookup,
    )
    return bool(row)


# An account with what its token says: real name (MB-7.1, MB-7.2) and the agreement in force (MB-6.2).
ACCOUNT_COLUMNS = """a.*, r.subject_type, r.verified_at, r.province_code, r.expires_at,
    EXISTS (SELECT 1 FROM agreement_acceptance g WHERE g.account_id = a.id
             AND g.version = (SELECT max(version) FROM service_agreement)) AS tos"""


async def account_by_username(conn: asyncpg.Connection, username: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"""SELECT {ACCOUNT_COLUMNS} FROM account a
           LEFT JOIN real_name_verification r ON r.account_id = a.id
           WHERE lower(a.username) = lower($1)""",  # noqa: S608 - fixed columns, values are parameters
        username,
    )


async def account_by_id(
    conn: asyncpg.Connection, account_id: uuid.UUID, *, for_update: bool = False
) -> asyncpg.Record | None:
    lock = " FOR UPDATE OF a" if for_update else ""
    return await conn.fetchrow(
        f"""SELECT {ACCOUNT_COLUMNS} FROM account a
            LEFT JOIN real_name_verification r ON r.account_id = a.id
            WHERE a.id = $1{lock}""",  # noqa: S608 - a fixed clause, no input
        account_id,
    )


async def upsert_challenge(
    conn: asyncpg.Connection, account_id: uuid.UUID, code_hash: bytes, expires_at: datetime
) -> None:
    await conn.execute(
        """INSERT INTO phone_challenge (account_id, code_hash, expires_at, attempts) VALUES ($1, $2, $3, 0)
           ON CONFLICT (account_id) DO UPDATE SET code_hash = $2, expires_at = $3, attempts = 0""",
        account_id,
        code_hash,
        expires_at,
    )


async def challenge_for_update(conn: asyncpg.Connection, account_id: uuid.UUID) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM phone_challenge WHERE account_id = $1 FOR UPDATE", account_id)


async def count_attempt(conn: asyncpg.Connection, account_id: uuid.UUID) -> None:
    await conn.execute("UPDATE phone_challenge SET attempts = attempts + 1 WHERE account_id = $1", account_id)


async def confirm_phone(conn: asyncpg.Connection, account_id: uuid.UUID) -> None:
    await conn.execute("UPDATE account SET phone_confirmed_at = now() WHERE id = $1", account_id)
    await conn.execute("DELETE FROM phone_challenge WHERE account_id = $1", account_id)


async def insert_real_name(
    conn: asyncpg.Connection,
    *,
    account_id: uuid.UUID,
    subject_type: str,
    legal_name_ciphertext: bytes,
    id_number_ciphertext: bytes,
    id_number_lookup: bytes,
    province_code: str,
    legal_basis: list[str],
) -> asyncpg.Record:
    return await conn.fetchrow(
        """INSERT INTO real_name_verification (account_id, subject_type, legal_name_ciphertext,
               id_number_ciphertext, id_number_lookup, province_code, legal_basis)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *""",
        account_id,
        subject_type,
        legal_name_ciphertext,
        id_number_ciphertext,
        id_number_lookup,
        province_code,
        legal_basis,
    )
