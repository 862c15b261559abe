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


async def account_state(conn: asyncpg.Connection | asyncpg.Pool, account_id: uuid.UUID) -> asyncpg.Record | None:
    """Cancelled, closed, and the account's latest ended sessions (PA-9.2, PA-13.1)."""
    return await conn.fetchrow(
        """SELECT a.cancelled_at, a.closed_at, s.issued_before, s.legal_basis
             FROM account a
             LEFT JOIN LATERAL (SELECT issued_before, legal_basis FROM session_revocation
                                 WHERE account_id = a.id ORDER BY issued_before DESC LIMIT 1) s ON true
            WHERE a.id = $1""",
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


# ---- abuse limits: events counted over time (issue 9) -----------------------------------------------


async def lock_key(conn: asyncpg.Connection, name: str) -> None:
    """Serialise check-then-record on one key across every process, until the transaction ends."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", name)


async def recent_events(
    conn: asyncpg.Connection | asyncpg.Pool, kind: str, key: str, since: datetime, limit: int
) -> list[datetime]:
    """When the latest ``limit`` events of ``kind`` on ``key`` after ``since`` happened, newest first."""
    rows = await conn.fetch(
        """SELECT at FROM throttle_event WHERE kind = $1 AND key = $2 AND at > $3 ORDER BY at DESC LIMIT $4""",
        kind,
        key,
        since,
        limit,
    )
    return [r["at"] for r in rows]


async def record_events(conn: asyncpg.Connection | asyncpg.Pool, at: datetime, *events: tuple[str, str]) -> None:
    await conn.executemany(
        "INSERT INTO throttle_event (kind, key, at) VALUES ($1, $2, $3)", [(kind, key, at) for kind, key in events]
    )


async def record_events_returning(conn: asyncpg.Connection, at: datetime, *events: tuple[str, str]) -> list[int]:
    rows = await conn.fetch(
        """INSERT INTO throttle_event (kind, key, at)
           SELECT e.kind, e.key, $3 FROM unnest($1::text[], $2::text[]) AS e(kind, key) RETURNING id""",
        [kind for kind, _ in events],
        [key for _, key in events],
        at,
    )
    return [r["id"] for r in rows]


async def forget_events(conn: asyncpg.Connection | asyncpg.Pool, ids: list[int]) -> None:
    await conn.execute("DELETE FROM throttle_event WHERE id = ANY($1::bigint[])", ids)


async def forget_events_before(conn: asyncpg.Connection | asyncpg.Pool, before: datetime) -> None:
    await conn.execute("DELETE FROM throttle_event WHERE at < $1", before)


async def active_accounts_on_number(
    conn: asyncpg.Connection, phone_lookup: bytes, *, other_than: uuid.UUID | None = None
) -> int:
    """Accounts not cancelled whose confirmed mobile number this is (BJ-9: no fake users)."""
    return await conn.fetchval(
        """SELECT count(*) FROM account WHERE phone_lookup = $1 AND phone_confirmed_at IS NOT NULL
              AND cancelled_at IS NULL AND id IS DISTINCT FROM $2""",
        phone_lookup,
        other_than,
    )


async def phone_lookup(conn: asyncpg.Connection, account_id: uuid.UUID) -> bytes:
    return bytes(await conn.fetchval("SELECT phone_lookup FROM account WHERE id = $1", account_id))


async def insert_session_revocation(
    conn: asyncpg.Connection,
    account_id: uuid.UUID,
    *,
    issued_before: datetime,
    expires_at: datetime,
    reason: str,
    legal_basis: list[str],
) -> None:
    await conn.execute(
        """INSERT INTO session_revocation (account_id, issued_before, expires_at, reason, legal_basis)
           VALUES ($1, $2, $3, $4, $5)""",
        account_id,
        issued_before,
        expires_at,
        reason,
        legal_basis,
    )


async def session_revocations_in_force(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    """Each account's latest revocation of its sessions that still refuses some unexpired token."""
    return await conn.fetch(
        """SELECT DISTINCT ON (account_id) account_id, issued_before, expires_at, reason, legal_basis
             FROM session_revocation WHERE expires_at > now()
            ORDER BY account_id, issued_before DESC"""
    )
