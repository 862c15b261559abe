"""Third-party API clients (BJ-7(6)): registered by staff with their ICP licence or filing number
before they get credentials; tokens issued through a client carry its id (`cid`); revoking the
registration makes every service refuse those tokens at once (a token revocation event)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from datetime import datetime

import asyncpg
from kit.db import transaction
from kit.problems import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from kit.revocation import announce_revocation
from kit.service import Runtime

from identity import sessions

# An ICP filing number (京ICP备2021012345号-1) or an ICP licence number (京ICP证123456号).
_ICP = re.compile(r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP(备|证)\d{6,10}号(-\d{1,3})?$")
LEGAL_BASIS = ["BJ-7(6)"]


def _hash(secret: str) -> bytes:
    # A 256-bit random secret: a plain SHA-256 is enough (no dictionary to guess from), like API keys.
    return hashlib.sha256(secret.encode()).digest()


def view(row: asyncpg.Record) -> dict:
    return {
        "id": str(row["id"]),
        "name": row["name"],
        "icp_number": row["icp_number"],
        "registered_by": row["registered_by"],
        "registered_at": row["registered_at"].isoformat(),
        "revoked_at": row["revoked_at"].isoformat() if row["revoked_at"] else None,
        "revoke_reason": row["revoke_reason"],
    }


async def register(pool: asyncpg.Pool, *, name: str, icp_number: str, by: str) -> dict:
    icp = icp_number.strip()
    if not _ICP.match(icp):
        raise InvalidInput(
            "icp_number must be an ICP filing number (京ICP备2021012345号-1) or licence number (京ICP证123456号).",
            requirement="BJ-7(6)",
        )
    secret = secrets.token_urlsafe(32)
    row = await pool.fetchrow(
        """INSERT INTO api_client (id, name, icp_number, secret_hash, registered_by) VALUES ($1, $2, $3, $4, $5)
           RETURNING *""",
        uuid.uuid4(),
        name,
        icp,
        _hash(secret),
        by,
    )
    return {**view(row), "client_secret": secret}


async def authenticate(conn: asyncpg.Connection | asyncpg.Pool, client_id: str, secret: str) -> asyncpg.Record:
    try:
        key = uuid.UUID(client_id)
    except ValueError as exc:
        raise Unauthorized("Unknown client or wrong secret.") from exc
    row = await conn.fetchrow("SELECT * FROM api_client WHERE id = $1", key)
    if row is None or not hmac.compare_digest(bytes(row["secret_hash"]), _hash(secret)):
        raise Unauthorized("Unknown client or wrong secret.")
    if row["revoked_at"] is not None:
        raise Forbidden("This application's registration was revoked.", requirement="BJ-7(6)")
    return row


async def _announce(conn: asyncpg.Connection, client_id: str, reason: str, revoked_at: datetime) -> None:
    await announce_revocation(
        conn,
        claim="cid",
        value=client_id,
        reason=reason,
        legal_basis=LEGAL_BASIS,
        revoked_at=revoked_at,
    )


async def revoke(pool: asyncpg.Pool, client_id: uuid.UUID, *, reason: str, by: str) -> dict:
    async with transaction(pool) as conn:
        row = await conn.fetchrow(
            """UPDATE api_client SET revoked_at = now(), revoked_by = $2, revoke_reason = $3
                WHERE id = $1 AND revoked_at IS NULL RETURNING *""",
            client_id,
            by,
            reason,
        )
        if row is None:
            if await conn.fetchval("SELECT 1 FROM api_client WHERE id = $1", client_id) is None:
                raise NotFound("No such API client.")
            raise Conflict("This client's registration is revoked already.", requirement="BJ-7(6)")
        await _announce(conn, str(client_id), reason, row["revoked_at"])
    return view(row)


def reannounce_loop(interval_s: float):
    async def reannounce_revocations(runtime: Runtime) -> None:
        """Reconciler: every revocation (API clients, ended sessions) is announced again now and then,
        for a broker that forgot it and for processes started since; at once when the broker lost its
        state (a process started after the loss would otherwise accept revoked tokens meanwhile)."""
        async for _round in runtime.reconcile_periods(interval_s):
            async with transaction(runtime.pool) as conn:
                for row in await conn.fetch(
                    "SELECT id, revoke_reason, revoked_at FROM api_client WHERE revoked_at IS NOT NULL"
                ):
                    await _announce(conn, str(row["id"]), row["revoke_reason"], row["revoked_at"])
                await sessions.reannounce(conn)  # ended sessions still in force (PA-9.2, PA-13.1)

    return reannounce_revocations
