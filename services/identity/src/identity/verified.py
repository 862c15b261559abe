"""Verified ("V") accounts (MB-8, MB-10) and display names (CM impersonation).

An application names a type and carries proof materials (stored sealed, with their SHA-256). The
proof must match the verified identity: the type must suit the kind of subject, and the name and
number on the proof must be the ones verified (compared after folding, and by keyed hash) —
otherwise the application is refused at once with the reason. Staff review the rest in a queue; an
approval shows the verified type and name on the account and is filed with the office of the
account's province (MB-10.1). A display name that imitates a verified account, a government body or
the platform is refused to anyone it does not belong to.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path

import asyncpg
from kit.cloudevents import timestamp
from kit.db import transaction
from kit.outbox import enqueue
from kit.problems import Conflict, Forbidden, InvalidInput, NotFound
from qinglang.identity.v1 import account_pb2
from textfold import Folder

from identity import events
from identity.handlers import ID_NUMBER, LEGAL_NAME, IdentityPorts
from identity.standing import announce_standing

PROOF = "proof-file"
PROTECTED_NAMES = Path(__file__).parent / "data" / "protected_names.txt"
MB10 = ["MB-8", "MB-10", "MB-10.1"]


class VType(StrEnum):
    INDIVIDUAL = "individual"
    ENTERPRISE = "enterprise"
    PUBLIC_INSTITUTION = "public_institution"
    GOVERNMENT = "government"
    MEDIA = "media"
    FOREIGN_ORGANIZATION = "foreign_organization"


# Which kind of verified subject each type needs.
_SUBJECT_FOR = {
    VType.INDIVIDUAL: "individual",
    VType.ENTERPRISE: "organization",
    VType.PUBLIC_INSTITUTION: "organization",
    VType.GOVERNMENT: "organization",
    VType.MEDIA: "organization",
    VType.FOREIGN_ORGANIZATION: "foreign_organization",
}


class Impersonation(InvalidInput):
    type = "impersonation"
    title = "Name imitates another"


@cache
def _folder() -> Folder:
    return Folder()


def fold(name: str) -> str:
    return _folder().fold(name)


@cache
def _listed_names() -> tuple[str, ...]:
    lines = PROTECTED_NAMES.read_text(encoding="utf-8").splitlines()
    return tuple(f for f in (fold(n) for n in lines if n.strip() and not n.startswith("#")) if len(f) >= 2)


async def check_display_name(conn: asyncpg.Connection, account_id: uuid.UUID, name: str) -> None:
    """CM: refuse a name that, folded, contains a protected name not the account's own."""
    folded = fold(name)
    if len(folded) < 1:
        raise InvalidInput("A display name needs letters or characters.")
    own = await conn.fetchval("SELECT verified_name FROM account WHERE id = $1", account_id)
    own_folded = fold(own) if own else None
    verified = await conn.fetch(
        "SELECT verified_name FROM account WHERE verified_name IS NOT NULL AND id <> $1", account_id
    )
    protected = set(_listed_names()) | {fold(r["verified_name"]) for r in verified}
    for candidate in protected:
        if candidate and candidate != own_folded and candidate in folded:
            raise Impersonation(
                "This display name imitates a verified account, a government body or the platform.",
                requirement="CM",
            )


async def apply(
    ports: IdentityPorts, account_id: uuid.UUID, *, v_type: VType, proof_name: str, proof_number: str, files: list[dict]
) -> dict:
    """Submit an application; refused at once, with the reason, when the proof does not match."""
    decoded = []
    for f in files:
        try:
            content = base64.b64decode(f["content_base64"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput(f"{f['filename']}: content_base64 is not base64.") from exc
        decoded.append((f, content))
    async with transaction(ports.pool) as conn:
        real = await conn.fetchrow("SELECT * FROM real_name_verification WHERE account_id = $1", account_id)
        if real is None or real["expires_at"] <= datetime.now(UTC):
            raise Forbidden("Verify the account's real name before applying.", requirement="MB-8")
        reason = _mismatch(ports, real, v_type, proof_name, proof_number)
        application_id = uuid.uuid4()
        try:
            await conn.execute(
                """INSERT INTO verified_application (id, account_id, v_type, proof_name, status, reason, reviewed_by,
                                                     reviewed_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
                application_id,
                account_id,
                v_type.value,
                proof_name.strip(),
                "refused" if reason else "submitted",
                reason,
                "system:proof-check" if reason else None,
                datetime.now(UTC) if reason else None,
            )
        except asyncpg.UniqueViolationError as exc:
            raise Conflict("An application of this account is waiting for review.", requirement="MB-8") from exc
        for f, content in decoded:
            await conn.execute(
                """INSERT INTO proof_file (id, application_id, filename, content_type, sha256, size, content_sealed)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)""",
                uuid.uuid4(),
                application_id,
                f["filename"],
                f["content_type"],
                hashlib.sha256(content).hexdigest(),
                len(content),
                ports.vault.seal(base64.b64encode(content).decode(), purpose=PROOF),
            )
        return await application_view(conn, application_id)


def _mismatch(ports: IdentityPorts, real: asyncpg.Record, v_type: VType, proof_name: str, number: str) -> str | None:
    if real["subject_type"] != _SUBJECT_FOR[v_type]:
        return f"A {v_type.value} verification needs a verified {_SUBJECT_FOR[v_type].replace('_', ' ')} subject."
    verified_number = ports.vault.open(real["id_number_ciphertext"], purpose=ID_NUMBER)
    if number.replace(" ", "").upper() not in (verified_number, verified_number.split(":", 1)[-1]):
        return "The number on the proof is not the verified identity's."
    verified_name = ports.vault.open(real["legal_name_ciphertext"], purpose=LEGAL_NAME)
    if fold(proof_name) != fold(verified_name):
        return "The name on the proof is not the verified identity's."
    return None


async def application_view(conn: asyncpg.Connection | asyncpg.Pool, application_id: uuid.UUID) -> dict:
    row = await conn.fetchrow("SELECT * FROM verified_application WHERE id = $1", application_id)
    if row is None:
        raise NotFound("No such application.")
    files = await conn.fetch(
        "SELECT filename, content_type, sha256, size FROM proof_file WHERE application_id = $1 ORDER BY filename",
        application_id,
    )
    return {
        "id": str(row["id"]),
        "account_id": str(row["account_id"]),
        "v_type": row["v_type"],
        "proof_name": row["proof_name"],
        "status": row["status"],
        "reason": row["reason"],
        "submitted_at": row["submitted_at"].isoformat(),
        "reviewed_by": row["reviewed_by"],
        "reviewed_at": row["reviewed_at"].isoformat() if row["reviewed_at"] else None,
        "files": [dict(f) for f in files],
    }


async def decide(ports: IdentityPorts, application_id: uuid.UUID, *, approve: bool, reason: str, by: str) -> dict:
    async with transaction(ports.pool) as conn:
        row = await conn.fetchrow("SELECT * FROM verified_application WHERE id = $1 FOR UPDATE", application_id)
        if row is None:
            raise NotFound("No such application.")
        if row["status"] != "submitted":
            raise Conflict(f"This application was {row['status']} already.", requirement="MB-8")
        now = datetime.now(UTC)
        await conn.execute(
            """UPDATE verified_application SET status = $2, reason = $3, reviewed_by = $4, reviewed_at = $5
                WHERE id = $1""",
            application_id,
            "approved" if approve else "refused",
            reason,
            by,
            now,
        )
        if approve:
            await conn.execute(
                "UPDATE account SET verified_type = $2, verified_name = $3, verified_at_v = $4 WHERE id = $1",
                row["account_id"],
                row["v_type"],
                row["proof_name"],
                now,
            )
            province = await conn.fetchval(
                "SELECT province_code FROM real_name_verification WHERE account_id = $1", row["account_id"]
            )
            hashes = [
                r["sha256"]
                for r in await conn.fetch(
                    "SELECT sha256 FROM proof_file WHERE application_id = $1 ORDER BY filename", application_id
                )
            ]
            await announce_standing(conn, ports.credit, row["account_id"], cause="verified", basis=MB10)
            await enqueue(
                conn,
                topic=events.ACCOUNT_TOPIC,
                ce_type=events.VERIFIED_ACCOUNT_APPROVED,
                source=events.SOURCE,
                key=str(row["account_id"]),
                subject=str(row["account_id"]),
                message=account_pb2.VerifiedAccountApproved(
                    account_id=str(row["account_id"]),
                    verified_type=row["v_type"],
                    verified_name=row["proof_name"],
                    province_code=province,
                    approved_at=timestamp(now),
                    legal_basis=MB10,
                    proof_sha256=hashes,
                ),
            )
        return await application_view(conn, application_id)


async def profile(conn: asyncpg.Connection | asyncpg.Pool, account_id: uuid.UUID) -> dict:
    row = await conn.fetchrow(
        "SELECT id, display_name, verified_type, verified_name, cancelled_at FROM account WHERE id = $1", account_id
    )
    if row is None or row["cancelled_at"] is not None:
        raise NotFound("No such account.")
    return {
        "id": str(row["id"]),
        "display_name": row["display_name"],
        "verified": {"type": row["verified_type"], "name": row["verified_name"]} if row["verified_type"] else None,
    }
