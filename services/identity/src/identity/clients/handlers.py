"""Third-party API clients (BJ-7(6)): registered by staff with their ICP licence or filing number
before they get credentials; tokens issued through a client carry its id (`cid`); revoking the
registration makes every service refuse those tokens at once (a token revocation event)."""

from __future__ import annotations

import hmac
import secrets
import uuid
from datetime import UTC, datetime

import asyncpg
from contracts.claims import AccessClaims, TokenKind
from kit.pagination import decode_cursor, page
from kit.problems import Conflict, Forbidden, NotFound, Unauthorized
from kit.service import Runtime

from identity.accounts.handlers import reannounce_ended_sessions
from identity.agreement.handlers import reannounce_revoked_acceptances
from identity.clients.domain import LEGAL_BASIS, icp_number, secret_hash
from identity.licences import handlers as licences
from identity.ports import IdentityPorts, PgDatabase, Tx
from identity.public_accounts import handlers as public_accounts
from identity.staff import handlers as staff


async def register(ports: IdentityPorts, *, name: str, icp_number_raw: str, by: str) -> tuple[asyncpg.Record, str]:
    """The registration and its secret (shown once)."""
    icp = icp_number(icp_number_raw)
    secret = secrets.token_urlsafe(32)
    async with ports.db.connection() as tx:
        row = await tx.clients.register(uuid.uuid4(), name=name, icp_number=icp, secret_hash=secret_hash(secret), by=by)
    return row, secret


async def listed(ports: IdentityPorts, *, cursor: str | None, limit: int) -> tuple[list[asyncpg.Record], str | None]:
    """Registered clients, in the order they were registered: one page, and the cursor of the next."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with ports.db.connection() as tx:
        rows = await tx.clients.page(after=after, limit=limit + 1)
    found = page(rows, limit, lambda r: (r["registered_at"], r["id"]))
    return found["items"], found["next_cursor"]


async def authenticate(ports: IdentityPorts, client_id: str, secret: str) -> asyncpg.Record:
    try:
        key = uuid.UUID(client_id)
    except ValueError as exc:
        raise Unauthorized("Unknown client or wrong secret.") from exc
    async with ports.db.connection() as tx:
        row = await tx.clients.get(key)
    if row is None or not hmac.compare_digest(bytes(row["secret_hash"]), secret_hash(secret)):
        raise Unauthorized("Unknown client or wrong secret.")
    if row["revoked_at"] is not None:
        raise Forbidden("This application's registration was revoked.", requirement="BJ-7(6)")
    return row


async def client_token(ports: IdentityPorts, client_id: str, secret: str) -> str:
    """A registered application's own token (client credentials), carrying its id."""
    client = await authenticate(ports, client_id, secret)
    return ports.issuer.issue_access(
        AccessClaims(subject=str(client["id"]), kind=TokenKind.CLIENT, client_id=str(client["id"]))
    )


async def _announce(tx: Tx, client_id: str, reason: str, revoked_at: datetime) -> None:
    await tx.announce_revocation(
        claim="cid", value=client_id, reason=reason, legal_basis=LEGAL_BASIS, revoked_at=revoked_at
    )


async def revoke(ports: IdentityPorts, client_id: uuid.UUID, *, reason: str, by: str) -> asyncpg.Record:
    async with ports.db.transaction() as tx:
        row = await tx.clients.revoke(client_id, reason=reason, by=by)
        if row is None:
            if await tx.clients.get(client_id) is None:
                raise NotFound("No such API client.")
            raise Conflict("This client's registration is revoked already.", requirement="BJ-7(6)")
        await _announce(tx, str(client_id), reason, row["revoked_at"])
    return row


def reannounce_loop(interval_s: float, token_ttl_s: int, *, acting_token_ttl_s: int = 900):
    async def reannounce_revocations(runtime: Runtime) -> None:
        """Reconciler: every revocation (API clients, ended sessions, acceptances of a superseded
        agreement) is announced again now and then, for a broker that forgot it and for processes
        started since; at once when the broker lost its state (a process started after the loss would
        otherwise accept revoked tokens meanwhile)."""
        db = PgDatabase(runtime.pool)
        async for _round in runtime.reconcile_periods(interval_s):
            async with db.transaction() as tx:
                for row in await tx.clients.revoked():
                    await _announce(tx, str(row["id"]), row["revoke_reason"], row["revoked_at"])
                await reannounce_ended_sessions(tx)  # PA-9.2, PA-13.1
                await reannounce_revoked_acceptances(tx, datetime.now(UTC), token_ttl_s)  # MB-6.2
                await public_accounts.reannounce_removals(tx, acting_token_ttl_s)  # PA-7.1, claim "act"
                await licences.reannounce(tx)  # MB-4, PA-8: the news licences, to their subjects' accounts
                await staff.reannounce_revocations(tx)  # MB-6.1: disabled or re-roled staff members

    return reannounce_revocations
