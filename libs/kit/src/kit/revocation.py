"""Token revocations every service honours at once (auth.revocation.v1): each process reads the topic
from its beginning in a consumer group of its own and refuses tokens carrying a revoked claim value:
all of them (a revoked third-party client, claim "cid"), or those issued before a moment (an account
whose sessions were ended, claim "sub"). The issuer announces its revocations again periodically, so
a broker that forgot them, or a process started later, still learns them."""

from __future__ import annotations

import os
import socket
from datetime import datetime

import asyncpg
from contracts import auth
from qinglang.auth.v1 import revocation_pb2

from kit.auth import TokenVerifier
from kit.bus import Subscription
from kit.cloudevents import Event, timestamp
from kit.outbox import announce


async def announce_revocation(
    conn: asyncpg.Connection,
    *,
    claim: str,
    value: str,
    reason: str,
    legal_basis: list[str],
    revoked_at: datetime,
    issued_before: datetime | None = None,
    expires_at: datetime | None = None,
) -> None:
    """Announce, in the caller's transaction (outbox), that tokens carrying ``claim`` = ``value`` are
    revoked: all of them, or those issued before ``issued_before``; forgettable after ``expires_at``."""
    message = revocation_pb2.TokenRevocation(
        claim=claim, value=value, reason=reason, legal_basis=legal_basis, revoked_at=timestamp(revoked_at)
    )
    if issued_before is not None:
        message.issued_before.CopyFrom(timestamp(issued_before))
    if expires_at is not None:
        message.expires_at.CopyFrom(timestamp(expires_at))
    await announce(conn, auth.TOKEN_REVOKED, message, key=f"{claim}:{value}", subject=f"{claim}:{value}")


def apply_revocation(verifier: TokenVerifier, revocation: revocation_pb2.TokenRevocation) -> None:
    def seconds(field: str) -> float | None:
        if not revocation.HasField(field):
            return None
        stamp = getattr(revocation, field)
        return stamp.seconds + stamp.nanos / 1e9

    verifier.revoke(
        revocation.claim,
        revocation.value,
        issued_before=seconds("issued_before"),
        expires_at=seconds("expires_at"),
        requirement=revocation.legal_basis[0] if revocation.legal_basis else None,
        reason=revocation.reason,
    )


def revocation_subscription(service: str, verifier: TokenVerifier) -> Subscription:
    async def on_revoked(conn: asyncpg.Connection, event: Event) -> None:
        apply_revocation(verifier, event.message)

    return Subscription(
        group=f"{service}.revocations.{socket.gethostname()}.{os.getpid()}",
        handlers={auth.TOKEN_REVOKED: on_revoked},
        # Idle almost always: a long wait keeps the broker's fetch load low; a revocation still
        # reaches every process within about half a second.
        fetch_max_wait_ms=500,
        per_process=True,
    )
