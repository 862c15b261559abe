"""Staff accounts (MB-6.1, PA-5.1): created by an operator command, signed in separately from users;
the token carries `kind: staff` and the roles, which the other services check."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from enum import StrEnum

import asyncpg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from kit.problems import Conflict, Unauthorized

from identity.tokens import TokenIssuer


class StaffRole(StrEnum):
    REVIEWER = "reviewer"
    SENIOR_REVIEWER = "senior_reviewer"
    CHIEF_EDITOR = "chief_editor"  # 总编辑: owns policy changes (MB-6.1, PA-5.1)
    OPERATOR = "operator"
    AUDITOR = "auditor"


async def create_staff(
    conn: asyncpg.Connection, hasher: PasswordHasher, *, username: str, roles: list[StaffRole]
) -> tuple[uuid.UUID, str]:
    """A new staff account and its generated password (shown once)."""
    password = secrets.token_urlsafe(18)
    staff_id = uuid.uuid4()
    created = await conn.fetchval(
        """INSERT INTO staff (id, username, password_hash, roles) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING RETURNING true""",
        staff_id,
        username,
        await asyncio.to_thread(hasher.hash, password),
        sorted({r.value for r in roles}),
    )
    if not created:
        raise Conflict(f"A staff account named {username!r} exists.")
    return staff_id, password


async def sign_in(
    pool: asyncpg.Pool, hasher: PasswordHasher, issuer: TokenIssuer, *, username: str, password: str
) -> str:
    row = await pool.fetchrow("SELECT * FROM staff WHERE lower(username) = lower($1) AND disabled_at IS NULL", username)
    if row is None:
        await asyncio.to_thread(hasher.hash, password)  # same cost as a wrong password
        raise Unauthorized("Username or password is wrong.")
    try:
        await asyncio.to_thread(hasher.verify, row["password_hash"], password)
    except (VerificationError, InvalidHashError) as exc:
        raise Unauthorized("Username or password is wrong.") from exc
    return issuer.issue(str(row["id"]), kind="staff", roles=list(row["roles"]), name=row["username"])
