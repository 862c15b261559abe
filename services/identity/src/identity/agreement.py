"""The service agreement and platform rules (MB-6.2, PA-5.2): versioned, published by staff, accepted
by each user; the access token says whether its holder accepted the version in force, and content
refuses publishing without it."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import asyncpg
from kit.db import transaction
from kit.problems import Conflict, NotFound

SEED = Path(__file__).parent / "data" / "service_agreement_v1.md"
_LOCK = 7_100_101


class NotTheCurrentAgreement(Conflict):
    type = "not-the-current-agreement"
    title = "Not the agreement in force"


def view(row: asyncpg.Record) -> dict:
    return {
        "version": row["version"],
        "title": row["title"],
        "body": row["body"],
        "sha256": row["sha256"],
        "published_at": row["published_at"].isoformat(),
    }


async def seed_if_empty(pool: asyncpg.Pool) -> None:
    text = SEED.read_text(encoding="utf-8")
    await pool.execute(
        """INSERT INTO service_agreement (version, title, body, sha256, published_by)
           VALUES (1, $1, $2, $3, 'system:seed') ON CONFLICT DO NOTHING""",
        text.splitlines()[0].lstrip("# ").strip(),
        text,
        hashlib.sha256(text.encode()).hexdigest(),
    )


async def current(conn: asyncpg.Pool | asyncpg.Connection) -> asyncpg.Record:
    row = await conn.fetchrow("SELECT * FROM service_agreement ORDER BY version DESC LIMIT 1")
    if row is None:
        raise NotFound("No service agreement is published.")
    return row


async def publish(pool: asyncpg.Pool, *, title: str, body: str, by: str) -> asyncpg.Record:
    async with transaction(pool) as conn:
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK)
        return await conn.fetchrow(
            """INSERT INTO service_agreement (version, title, body, sha256, published_by)
               SELECT coalesce(max(version), 0) + 1, $1, $2, $3, $4 FROM service_agreement RETURNING *""",
            title,
            body,
            hashlib.sha256(body.encode()).hexdigest(),
            by,
        )


async def accept(conn: asyncpg.Connection, account_id: uuid.UUID, version: int) -> None:
    """Record acceptance of `version`, which must be the one in force."""
    now_in_force = (await current(conn))["version"]
    if version != now_in_force:
        raise NotTheCurrentAgreement(
            f"Version {version} is not in force; accept version {now_in_force} (GET /v1/identity/agreement).",
            requirement="MB-6.2",
        )
    await conn.execute(
        "INSERT INTO agreement_acceptance (account_id, version) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        account_id,
        version,
    )


async def accepted_current(conn: asyncpg.Pool | asyncpg.Connection, account_id: uuid.UUID) -> bool:
    return bool(
        await conn.fetchval(
            """SELECT EXISTS (SELECT 1 FROM agreement_acceptance
                               WHERE account_id = $1 AND version = (SELECT max(version) FROM service_agreement))""",
            account_id,
        )
    )
