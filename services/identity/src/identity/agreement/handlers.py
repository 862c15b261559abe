"""The service agreement and platform rules (MB-6.2, PA-5.2): versioned, published by staff, accepted
by each user. The access token says which version its holder accepted (claims ``tos``, ``tosv``);
content refuses publishing without the one in force. Publishing a new version revokes, everywhere and
at once, every token that says an older one was accepted: its holder signs in again (a token that
says the new version is not accepted yet) and accepts it, so nobody is locked out."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

import asyncpg
from kit.problems import NotFound

from identity.agreement.domain import REVOKED_REASON, check_acceptable, sha256
from identity.ports import IdentityPorts, PgDatabase, Tx

SEED = Path(__file__).parent / "data" / "service_agreement_v1.md"
REVOCATION_MARGIN = timedelta(minutes=1)


async def seed_if_empty(pool: asyncpg.Pool) -> None:
    text = SEED.read_text(encoding="utf-8")
    async with PgDatabase(pool).connection() as tx:
        await tx.agreements.seed(title=text.splitlines()[0].lstrip("# ").strip(), body=text, sha256=sha256(text))


async def current(tx: Tx) -> asyncpg.Record:
    row = await tx.agreements.current()
    if row is None:
        raise NotFound("No service agreement is published.")
    return row


async def read_current(ports: IdentityPorts) -> asyncpg.Record:
    async with ports.db.connection() as tx:
        return await current(tx)


async def accept(tx: Tx, account_id: uuid.UUID, version: int) -> None:
    """Record acceptance of ``version``, which must be the one in force (in the caller's transaction)."""
    check_acceptable(version, (await current(tx))["version"])
    await tx.agreements.record_acceptance(account_id, version)


async def publish(ports: IdentityPorts, *, title: str, body: str, by: str) -> asyncpg.Record:
    """A new version: every token saying an older one was accepted is refused at once (MB-6.2)."""
    async with ports.db.transaction() as tx:
        published = await tx.agreements.publish(title=title, body=body, sha256=sha256(body), by=by)
        if published["version"] > 1:
            await _revoke_acceptance(tx, published["version"] - 1, published["published_at"], ports.issuer.ttl_s)
        return published


async def _revoke_acceptance(tx: Tx, version: int, superseded_at: datetime, token_ttl_s: int) -> None:
    await tx.announce_revocation(
        claim="tosv",
        value=str(version),
        reason=REVOKED_REASON,
        legal_basis=["MB-6.2"],
        revoked_at=superseded_at,
        # Tokens saying so were all issued before it expires: forgotten then.
        expires_at=superseded_at + timedelta(seconds=token_ttl_s) + REVOCATION_MARGIN,
    )


async def reannounce_revoked_acceptances(tx: Tx, now: datetime, token_ttl_s: int) -> None:
    """The revocations of versions superseded recently enough that a token saying so may be unexpired."""
    since = now - timedelta(seconds=token_ttl_s) - REVOCATION_MARGIN
    for row in await tx.agreements.superseded_since(since):
        await _revoke_acceptance(tx, row["version"], row["superseded_at"], token_ttl_s)
