"""Staff accounts (MB-6.1, PA-5.1): created by an operator command, signed in separately from users."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
from argon2 import PasswordHasher
from contracts.claims import AccessClaims, TokenKind
from contracts.staff import StaffRole
from kit.pagination import decode_cursor, page
from kit.problems import Conflict, NotFound, Unauthorized

from identity.accounts.handlers import REVOCATION_MARGIN, check_password
from identity.ports import IdentityPorts, Tx
from identity.staff.domain import check_may_disable, check_roles_change

STAFF_BASIS = ["MB-6.1", "PA-5.1"]


async def create_staff(
    tx: Tx, hasher: PasswordHasher, *, username: str, roles: list[StaffRole]
) -> tuple[uuid.UUID, str]:
    """A new staff account and its generated password (shown once)."""
    password = secrets.token_urlsafe(18)
    staff_id = uuid.uuid4()
    created = await tx.staff.insert(
        staff_id,
        username=username,
        password_hash=await asyncio.to_thread(hasher.hash, password),
        roles=sorted({r.value for r in roles}),
    )
    if not created:
        raise Conflict(f"A staff account named {username!r} exists.")
    return staff_id, password


async def sign_in(ports: IdentityPorts, *, username: str, password: str) -> str:
    async with ports.db.connection() as tx:
        row = await tx.staff.active_by_username(username)
    if row is None:
        await asyncio.to_thread(ports.hasher.hash, password)  # same cost as a wrong password
        raise Unauthorized("Username or password is wrong.")
    await check_password(ports, row["password_hash"], password, "Username or password is wrong.")
    roles = tuple(StaffRole(r) for r in row["roles"])
    return ports.issuer.issue_access(
        AccessClaims(subject=str(row["id"]), kind=TokenKind.STAFF, roles=roles, name=row["username"])
    )


# ---- administration by operators (MB-6.1, PA-5.1) ---------------------------------------------------
# A disabled member cannot sign in (active_by_username) and every token of theirs is refused at once by
# every service: a revocation of claim "sub" = the member's id for the tokens issued before the change
# (auth.revocation.v1), announced in the change's transaction and again by the reconciler until every
# such token has expired. A change of roles revokes the same way: the member signs in again for a token
# carrying the new roles.


async def members(ports: IdentityPorts, *, cursor: str | None, limit: int) -> tuple[list[asyncpg.Record], str | None]:
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with ports.db.connection() as tx:
        rows = await tx.staff.page(after=after, limit=limit + 1)
    found = page(rows, limit, lambda r: (r["created_at"], r["id"]))
    return found["items"], found["next_cursor"]


async def _member(tx: Tx, staff_id: uuid.UUID) -> asyncpg.Record:
    await tx.staff.lock_administration()
    row = await tx.staff.get(staff_id)
    if row is None:
        raise NotFound("No such staff member.")
    return row


async def revoke_tokens(tx: Tx, staff_id: uuid.UUID, *, at: datetime, token_ttl_s: int, reason: str) -> None:
    """In the caller's transaction: the member's tokens issued before ``at`` are refused everywhere."""
    expires_at = at + timedelta(seconds=token_ttl_s) + REVOCATION_MARGIN
    await tx.staff.insert_revocation(staff_id, issued_before=at, expires_at=expires_at, reason=reason)
    await _announce(tx, staff_id, at, expires_at, reason)


async def _announce(tx: Tx, staff_id: uuid.UUID, issued_before: datetime, expires_at: datetime, reason: str) -> None:
    await tx.announce_revocation(
        claim="sub",
        value=str(staff_id),
        reason=reason,
        legal_basis=STAFF_BASIS,
        revoked_at=issued_before,
        issued_before=issued_before,
        expires_at=expires_at,
    )


async def reannounce_revocations(tx: Tx) -> None:
    """Every member's latest revocation still in force, again (a broker may have forgotten it)."""
    for row in await tx.staff.revocations_in_force():
        await _announce(tx, row["staff_id"], row["issued_before"], row["expires_at"], row["reason"])


async def disable(ports: IdentityPorts, staff_id: uuid.UUID, *, reason: str, by: str, actor_id: str) -> asyncpg.Record:
    """Disable a member (operator): no more sign-ins, every token refused at once; not oneself, not the
    last active operator."""
    now = datetime.now(UTC)
    async with ports.db.transaction() as tx:
        member = await _member(tx, staff_id)
        if member["disabled_at"] is not None:
            raise Conflict("This staff member is disabled already.", requirement="MB-6.1")
        check_may_disable(str(staff_id), actor_id, member["roles"], await tx.staff.other_active_operators(staff_id))
        await tx.staff.set_disabled(staff_id, now)
        roles = list(member["roles"])
        await tx.staff.record_change(
            staff_id, change="disabled", roles_before=roles, roles_after=roles, reason=reason, by=by, at=now
        )
        await revoke_tokens(tx, staff_id, at=now, token_ttl_s=ports.issuer.ttl_s, reason="staff account disabled")
        return await tx.staff.get(staff_id)


async def enable(ports: IdentityPorts, staff_id: uuid.UUID, *, reason: str, by: str) -> asyncpg.Record:
    """Enable a disabled member again: they sign in afresh (their old tokens stay refused)."""
    now = datetime.now(UTC)
    async with ports.db.transaction() as tx:
        member = await _member(tx, staff_id)
        if member["disabled_at"] is None:
            raise Conflict("This staff member is not disabled.", requirement="MB-6.1")
        await tx.staff.set_disabled(staff_id, None)
        roles = list(member["roles"])
        await tx.staff.record_change(
            staff_id, change="enabled", roles_before=roles, roles_after=roles, reason=reason, by=by, at=now
        )
        return await tx.staff.get(staff_id)


async def set_roles(
    ports: IdentityPorts, staff_id: uuid.UUID, roles: list[StaffRole], *, reason: str | None, by: str
) -> asyncpg.Record:
    """Replace a member's roles (operator); their tokens are revoked at once (the roles travel in them).
    The last active operator keeps the role."""
    now = datetime.now(UTC)
    after = sorted({r.value for r in roles})
    async with ports.db.transaction() as tx:
        member = await _member(tx, staff_id)
        before = list(member["roles"])
        check_roles_change(
            before,
            after,
            disabled=member["disabled_at"] is not None,
            other_operators=await tx.staff.other_active_operators(staff_id),
        )
        await tx.staff.set_roles(staff_id, after)
        await tx.staff.record_change(
            staff_id, change="roles", roles_before=before, roles_after=after, reason=reason, by=by, at=now
        )
        await revoke_tokens(tx, staff_id, at=now, token_ttl_s=ports.issuer.ttl_s, reason="staff roles changed")
        return await tx.staff.get(staff_id)
