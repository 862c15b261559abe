"""Staff accounts (MB-6.1, PA-5.1): created by an operator command, signed in separately from users."""

from __future__ import annotations

import asyncio
import secrets
import uuid

from argon2 import PasswordHasher
from contracts.claims import AccessClaims, TokenKind
from contracts.staff import StaffRole
from kit.problems import Conflict, Unauthorized

from identity.accounts.handlers import check_password
from identity.ports import IdentityPorts, Tx


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
