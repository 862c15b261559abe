"""Account cancellation (PA-9.2): the holder cancels; the account stops at once (no sign-in, its
public content goes), the records the law requires are kept for their retention period, then the
personal data is purged."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from argon2.exceptions import InvalidHashError, VerificationError
from kit.cloudevents import timestamp
from kit.db import transaction
from kit.outbox import announce
from kit.problems import Conflict, NotFound, Unauthorized
from kit.service import Runtime
from qinglang.identity.v1 import account_pb2

from identity import events, sessions
from identity.handlers import IdentityPorts

LEGAL_BASIS = ["PA-9.2"]


async def cancel(ports: IdentityPorts, account_id: uuid.UUID, *, password: str, retention: timedelta) -> dict:
    async with ports.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM account WHERE id = $1", account_id)
    if row is None:
        raise NotFound("No such account.")
    try:
        await asyncio.to_thread(ports.hasher.verify, row["password_hash"], password)
    except (VerificationError, InvalidHashError) as exc:
        raise Unauthorized("The password is wrong.") from exc
    now = datetime.now(UTC)
    purge_after = now + retention
    async with transaction(ports.pool) as conn:
        cancelled = await conn.fetchrow(
            """UPDATE account SET cancelled_at = $2, purge_after = $3 WHERE id = $1 AND cancelled_at IS NULL
               RETURNING cancelled_at, purge_after""",
            account_id,
            now,
            purge_after,
        )
        if cancelled is None:
            raise Conflict("This account is cancelled already.", requirement="PA-9.2")
        # Every session ends at once, everywhere (the account no longer exists for its holder).
        await sessions.end_sessions(
            conn,
            account_id,
            at=now,
            token_ttl_s=ports.issuer.ttl_s,
            reason="account cancelled",
            legal_basis=LEGAL_BASIS,
        )
        await announce(
            conn,
            events.ACCOUNT_CANCELLED,
            key=str(account_id),
            subject=str(account_id),
            message=account_pb2.AccountCancelled(
                account_id=str(account_id),
                cancelled_at=timestamp(now),
                purge_after=timestamp(purge_after),
                legal_basis=LEGAL_BASIS,
            ),
        )
    return {"cancelled_at": now.isoformat(), "purge_after": purge_after.isoformat(), "legal_basis": LEGAL_BASIS}


async def purge_due(conn: asyncpg.Connection) -> int:
    """Purge the personal data of cancelled accounts past their retention: the mobile number, the real
    name and identity number, the username, the proof names and files of V applications. Ledgers,
    sanctions and the blacklist's keyed hash stay."""
    rows = await conn.fetch(
        """UPDATE account SET purged_at = now(), phone_ciphertext = ''::bytea, phone_lookup = ''::bytea,
                  username = 'purged-' || id::text, password_hash = ''
            WHERE id IN (SELECT id FROM account WHERE purged_at IS NULL AND purge_after <= now()
                          LIMIT 500 FOR UPDATE SKIP LOCKED)
        RETURNING id""",
    )
    ids = [r["id"] for r in rows]
    if ids:
        await conn.execute("DELETE FROM phone_challenge WHERE account_id = ANY($1::uuid[])", ids)
        await conn.execute(
            """UPDATE real_name_verification SET legal_name_ciphertext = ''::bytea, id_number_ciphertext = ''::bytea,
                      details_ciphertext = NULL WHERE account_id = ANY($1::uuid[])""",
            ids,
        )
        # MB-7.3: the names on V applications' proofs, and the proof files; their SHA-256 stay as the record.
        await conn.execute(
            "UPDATE verified_application SET proof_name_ciphertext = NULL WHERE account_id = ANY($1::uuid[])", ids
        )
        await conn.execute(
            """UPDATE proof_file SET content_sealed = ''::bytea
                WHERE application_id IN (SELECT id FROM verified_application WHERE account_id = ANY($1::uuid[]))""",
            ids,
        )
    return len(ids)


def purge_loop(interval_s: float):
    async def purge_cancelled_accounts(runtime: Runtime) -> None:
        while True:
            async with transaction(runtime.pool) as conn:
                await purge_due(conn)
            await asyncio.sleep(interval_s)  # a period, not synchronisation

    return purge_cancelled_accounts
