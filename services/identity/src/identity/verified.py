"""Verified ("V") accounts (MB-8, MB-10) and display names (CM impersonation).

An application names a type and carries proof materials (stored sealed, with their SHA-256). The
proof must match the verified identity: the type must suit the kind of subject, and the name and
number on the proof must be the ones verified (compared after folding, and by keyed hash) —
otherwise the application is refused at once with the reason. The name on the proof is personal
data (an individual's legal name, MB-7.3): it is sealed, and neither shown, announced nor filed. What
the account shows is the name the applicant chose to show (`display_name`, checked against
impersonation like any display name; an organization shows its proof name unless it chooses
another). Staff review the rest in a queue; an approval shows the verified type and the chosen name
on the account and is filed with the office of the account's province (MB-10.1). A display name
that imitates a verified account, a government body or the platform is refused to anyone it does
not belong to.
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
from kit.outbox import announce
from kit.problems import Conflict, Forbidden, InvalidInput, NotFound
from qinglang.identity.v1 import account_pb2
from textfold import Folder

from identity import events
from identity.handlers import ID_NUMBER, LEGAL_NAME, IdentityPorts
from identity.pii import PersonalDataVault
from identity.standing import announce_standing

PROOF = "proof-file"
PROOF_NAME = "proof-name"
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
    own = await conn.fetchval("SELECT verified_display_name FROM account WHERE id = $1", account_id)
    own_folded = fold(own) if own else None
    verified = await conn.fetch(
        "SELECT verified_display_name FROM account WHERE verified_display_name IS NOT NULL AND id <> $1", account_id
    )
    protected = set(_listed_names()) | {fold(r["verified_display_name"]) for r in verified}
    for candidate in protected:
        if candidate and candidate != own_folded and candidate in folded:
            raise Impersonation(
                "This display name imitates a verified account, a government body or the platform.",
                requirement="CM",
            )


class DisplayNameMissing(InvalidInput):
    type = "display-name-missing"
    title = "Choose the name to show"


def shown_name(v_type: VType, proof_name: str, display_name: str | None) -> str:
    """MB-7.3: the name a V account shows. An individual chooses it (its legal name is not shown
    unless it chooses to); an organization shows its proof name unless it chooses another."""
    if display_name is not None and display_name.strip():
        return display_name.strip()
    if v_type is VType.INDIVIDUAL:
        raise DisplayNameMissing(
            "An individual's verified account shows a name of its choosing (display_name), never the legal name "
            "unasked.",
            requirement="MB-7.3",
        )
    return proof_name.strip()


async def apply(
    ports: IdentityPorts,
    account_id: uuid.UUID,
    *,
    v_type: VType,
    proof_name: str,
    proof_number: str,
    files: list[dict],
    display_name: str | None = None,
) -> dict:
    """Submit an application; refused at once, with the reason, when the proof does not match."""
    shown = shown_name(v_type, proof_name, display_name)
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
        if fold(shown) != fold(proof_name):  # the subject's own verified name imitates no one
            await check_display_name(conn, account_id, shown)
        application_id = uuid.uuid4()
        try:
            await conn.execute(
                """INSERT INTO verified_application (id, account_id, v_type, proof_name_ciphertext, display_name,
                                                     status, reason, reviewed_by, reviewed_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
                application_id,
                account_id,
                v_type.value,
                ports.vault.seal(proof_name.strip(), purpose=PROOF_NAME),  # MB-7.3
                shown,
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
    """An application as its applicant and the reviewers see it: no proof name (MB-7.3; staff who may
    read personal data see it through the audited personal-data route)."""
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
        "display_name": row["display_name"],
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
                "UPDATE account SET verified_type = $2, verified_display_name = $3, verified_at_v = $4 WHERE id = $1",
                row["account_id"],
                row["v_type"],
                row["display_name"],
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
            await announce(
                conn,
                events.VERIFIED_ACCOUNT_APPROVED,
                key=str(row["account_id"]),
                subject=str(row["account_id"]),
                message=account_pb2.VerifiedAccountApproved(
                    account_id=str(row["account_id"]),
                    verified_type=row["v_type"],
                    display_name=row["display_name"] or "",  # never the proof name (MB-7.3)
                    province_code=province,
                    approved_at=timestamp(now),
                    legal_basis=MB10,
                    proof_sha256=hashes,
                ),
            )
        return await application_view(conn, application_id)


async def profile(conn: asyncpg.Connection | asyncpg.Pool, account_id: uuid.UUID) -> dict:
    row = await conn.fetchrow(
        "SELECT id, display_name, verified_type, verified_display_name, cancelled_at FROM account WHERE id = $1",
        account_id,
    )
    if row is None or row["cancelled_at"] is not None:
        raise NotFound("No such account.")
    return {
        "id": str(row["id"]),
        "display_name": row["display_name"],
        "verified": {"type": row["verified_type"], "name": row["verified_display_name"]}
        if row["verified_type"]
        else None,
    }


async def proof_names(
    conn: asyncpg.Connection | asyncpg.Pool, vault: PersonalDataVault, account_id: uuid.UUID
) -> list[dict]:
    """The proof names of an account's applications, opened: only for the audited personal-data route."""
    rows = await conn.fetch(
        """SELECT id, v_type, status, display_name, proof_name_ciphertext FROM verified_application
            WHERE account_id = $1 AND proof_name_ciphertext IS NOT NULL ORDER BY submitted_at""",
        account_id,
    )
    return [
        {
            "id": str(r["id"]),
            "v_type": r["v_type"],
            "status": r["status"],
            "display_name": r["display_name"],
            "proof_name": vault.open(r["proof_name_ciphertext"], purpose=PROOF_NAME),
        }
        for r in rows
    ]


async def seal_plaintext_proof_names(pool: asyncpg.Pool, vault: PersonalDataVault, *, batch: int = 500) -> int:
    """MB-7.3: seal the proof names earlier versions stored in plaintext, and empty the plaintext
    column; batch by batch, each in its own transaction. Run at start-up (several processes may run
    it at once: rows locked by one are skipped by the others) and by `identity.cli seal-proof-names`."""
    sealed = 0
    while True:
        async with transaction(pool) as conn:
            rows = await conn.fetch(
                """SELECT id, proof_name FROM verified_application WHERE proof_name IS NOT NULL
                    LIMIT $1 FOR UPDATE SKIP LOCKED""",
                batch,
            )
            await conn.executemany(
                """UPDATE verified_application
                      SET proof_name_ciphertext = COALESCE(proof_name_ciphertext, $2), proof_name = NULL
                    WHERE id = $1""",
                [(r["id"], vault.seal(r["proof_name"], purpose=PROOF_NAME)) for r in rows],
            )
        sealed += len(rows)
        if len(rows) < batch:
            break
    async with transaction(pool) as conn:
        await _scrub_announced_names(conn)
    return sealed


async def _scrub_announced_names(conn: asyncpg.Connection) -> None:
    """Approvals announced before migration 0011 carried the legal name (`verified_name`) in the outbox's
    payload: the published ones are deleted (the outbox is not a record; the broker keeps its copy only
    until its retention), unpublished ones lose the name before they go out."""
    await conn.execute(
        "DELETE FROM outbox_event WHERE ce_type = $1 AND published_at IS NOT NULL",
        events.VERIFIED_ACCOUNT_APPROVED.name,
    )
    for row in await conn.fetch(
        "SELECT id, payload FROM outbox_event WHERE ce_type = $1 AND published_at IS NULL FOR UPDATE SKIP LOCKED",
        events.VERIFIED_ACCOUNT_APPROVED.name,
    ):
        approved = account_pb2.VerifiedAccountApproved.FromString(bytes(row["payload"]))
        if approved.verified_name:
            approved.ClearField("verified_name")
            await conn.execute(
                "UPDATE outbox_event SET payload = $2 WHERE id = $1", row["id"], approved.SerializeToString()
            )
