"""Ending an account's sessions (PA-9.2 cancellation, PA-13.1 suspension and closure): every token of
the account issued before the moment is refused by every process of every service at once, through
the token revocations API clients already use (auth.revocation.v1, claim "sub" with "issued_before").
Identity itself also reads the account's state and its last revocation on each of its own routes,
so it refuses even before the announcement arrives.

Who may sign in again: a cancelled or closed account cannot (sign-in refuses it); a suspended one
can, to read, see its credit and appeal, but content refuses its posts until the suspension ends."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import asyncpg
from kit.revocation import announce_revocation

from identity import store

# A minute past the token lifetime every token the revocation refuses has expired anyway.
_MARGIN = timedelta(minutes=1)


async def end_sessions(
    conn: asyncpg.Connection,
    account_id: uuid.UUID,
    *,
    at: datetime,
    token_ttl_s: int,
    reason: str,
    legal_basis: list[str],
) -> None:
    """Record and announce, in the caller's transaction, that the account's tokens issued before
    ``at`` are refused everywhere."""
    expires_at = at + timedelta(seconds=token_ttl_s) + _MARGIN
    await store.insert_session_revocation(
        conn, account_id, issued_before=at, expires_at=expires_at, reason=reason, legal_basis=legal_basis
    )
    await _announce(conn, account_id, at, expires_at, reason, legal_basis)


async def _announce(
    conn: asyncpg.Connection,
    account_id: uuid.UUID,
    issued_before: datetime,
    expires_at: datetime,
    reason: str,
    legal_basis: list[str],
) -> None:
    await announce_revocation(
        conn,
        claim="sub",
        value=str(account_id),
        reason=reason,
        legal_basis=legal_basis,
        revoked_at=issued_before,
        issued_before=issued_before,
        expires_at=expires_at,
    )


async def reannounce(conn: asyncpg.Connection) -> None:
    """Every account's latest revocation still in force, again (a broker may have forgotten it)."""
    for row in await store.session_revocations_in_force(conn):
        await _announce(
            conn, row["account_id"], row["issued_before"], row["expires_at"], row["reason"], list(row["legal_basis"])
        )
