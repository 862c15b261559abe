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
from typing import Any

import asyncpg
from contracts.userlog import UserLogKind
from kit.pagination import decode_cursor, page
from kit.problems import Conflict, Forbidden, InvalidInput, NotFound
from kit.userlog import Client

from identity import events
from identity.pii import ID_NUMBER, LEGAL_NAME, PROOF_FILE, PROOF_NAME, PersonalDataVault
from identity.ports import IdentityPorts, PgDatabase, Tx
from identity.standing.handlers import announce_standing
from identity.verified.domain import (
    MB10,
    ApplicationStatus,
    Gone,
    VType,
    check_display_name,
    fold,
    proof_mismatch,
    shown_name,
)


async def _check_display_name(tx: Tx, account_id: uuid.UUID, name: str) -> None:
    check_display_name(
        name,
        own_verified=await tx.verified.own_verified_name(account_id),
        others_verified=await tx.verified.others_verified_names(account_id),
    )


async def update_profile(
    ports: IdentityPorts, account_id: uuid.UUID, display_name: str, client: Client | None = None
) -> asyncpg.Record:
    """Set the display name; one that imitates a verified account, a government body or the platform is
    refused (CM). The change joins the user log (MB-16.2)."""
    async with ports.db.transaction() as tx:
        await _check_display_name(tx, account_id, display_name)
        await tx.accounts.set_display_name(account_id, display_name)
        await tx.announce(ports.user_log.entry(UserLogKind.PROFILE_CHANGED, client, account_id=account_id))
        return await _profile(tx, account_id)


async def read_profile(ports: IdentityPorts, account_id: uuid.UUID) -> asyncpg.Record:
    async with ports.db.connection() as tx:
        return await _profile(tx, account_id)


async def _profile(tx: Tx, account_id: uuid.UUID) -> asyncpg.Record:
    row = await tx.accounts.profile(account_id)
    if row is None or row["cancelled_at"] is not None:
        raise NotFound("No such account.")
    return row


async def apply(
    ports: IdentityPorts,
    account_id: uuid.UUID,
    *,
    v_type: VType,
    proof_name: str,
    proof_number: str,
    files: list[dict],
    display_name: str | None = None,
) -> dict[str, Any]:
    """Submit an application; refused at once, with the reason, when the proof does not match."""
    shown = shown_name(v_type, proof_name, display_name)
    decoded = []
    for f in files:
        try:
            content = base64.b64decode(f["content_base64"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput(f"{f['filename']}: content_base64 is not base64.") from exc
        decoded.append((f, content))
    async with ports.db.transaction() as tx:
        real = await tx.realname.of_account(account_id)
        if real is None or real["expires_at"] <= datetime.now(UTC):
            raise Forbidden("Verify the account's real name before applying.", requirement="MB-8")
        reason = proof_mismatch(
            v_type,
            proof_name,
            proof_number,
            subject_type=real["subject_type"],
            verified_number=ports.vault.open(real["id_number_ciphertext"], purpose=ID_NUMBER),
            verified_name=ports.vault.open(real["legal_name_ciphertext"], purpose=LEGAL_NAME),
        )
        if fold(shown) != fold(proof_name):  # the subject's own verified name imitates no one
            await _check_display_name(tx, account_id, shown)
        application_id = uuid.uuid4()
        inserted = await tx.verified.insert_application(
            application_id,
            account_id,
            v_type=v_type.value,
            proof_name_ciphertext=ports.vault.seal(proof_name.strip(), purpose=PROOF_NAME),  # MB-7.3
            display_name=shown,
            status=ApplicationStatus.REFUSED if reason else ApplicationStatus.SUBMITTED,
            reason=reason,
            reviewed_by="system:proof-check" if reason else None,
            reviewed_at=datetime.now(UTC) if reason else None,
        )
        if not inserted:
            raise Conflict("An application of this account is waiting for review.", requirement="MB-8")
        for ordinal, (f, content) in enumerate(decoded, start=1):
            await tx.verified.insert_proof_file(
                application_id,
                ordinal=ordinal,  # MB-7.3: staff open file n of the application
                filename=f["filename"],
                content_type=f["content_type"],
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                sealed=ports.vault.seal(base64.b64encode(content).decode(), purpose=PROOF_FILE),
            )
        return await application(tx, application_id)


async def application(tx: Tx, application_id: uuid.UUID) -> dict[str, Any]:
    """An application with its files (never its proof name, MB-7.3)."""
    row = await tx.verified.application(application_id)
    if row is None:
        raise NotFound("No such application.")
    return {"application": row, "files": await tx.verified.files(application_id)}


async def waiting(ports: IdentityPorts, *, cursor: str | None, limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """Applications waiting for review, oldest first: one page, and the cursor of the next."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with ports.db.connection() as tx:
        rows = await tx.verified.waiting(after=after, limit=limit + 1)
        found = page(rows, limit, lambda r: (r["submitted_at"], r["id"]))
        items = [{"application": r, "files": await tx.verified.files(r["id"])} for r in found["items"]]
    return items, found["next_cursor"]


async def decide(ports: IdentityPorts, application_id: uuid.UUID, *, approve: bool, reason: str, by: str) -> dict:
    async with ports.db.transaction() as tx:
        row = await tx.verified.application(application_id, for_update=True)
        if row is None:
            raise NotFound("No such application.")
        if row["status"] != ApplicationStatus.SUBMITTED:
            raise Conflict(f"This application was {row['status']} already.", requirement="MB-8")
        now = datetime.now(UTC)
        status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REFUSED
        await tx.verified.decide(application_id, status=status, reason=reason, by=by, at=now)
        if approve:
            account_id = row["account_id"]
            await tx.verified.show_verified(account_id, v_type=row["v_type"], display_name=row["display_name"], at=now)
            await announce_standing(tx, ports.credit, account_id, cause="verified", basis=MB10)
            await tx.announce(
                events.verified_account_approved(
                    account_id,
                    verified_type=row["v_type"],
                    display_name=row["display_name"],
                    province_code=await tx.verified.province_of(account_id),
                    approved_at=now,
                    legal_basis=MB10,
                    proof_sha256=[f["sha256"] for f in await tx.verified.files(application_id)],
                )
            )
        return await application(tx, application_id)


async def open_proof_file(
    ports: IdentityPorts, application_id: uuid.UUID, ordinal: int, *, reason: str, by: str
) -> tuple[bytes, str]:
    """MB-7.3, PA-9.1: a proof file decrypted for a staff member, its opening (who, which file, why, when)
    recorded in the same transaction before it is answered: no opening without its record."""
    async with ports.db.transaction() as tx:
        if await tx.verified.application(application_id) is None:
            raise NotFound("No such application.")
        row = await tx.verified.proof_file(application_id, ordinal)
        if row is None:
            raise NotFound(f"The application has no proof file {ordinal}.")
        if not bytes(row["content_sealed"]):
            raise Gone("This proof file was purged with its account's personal data (PA-9.2).", requirement="PA-9.2")
        content = base64.b64decode(ports.vault.open(bytes(row["content_sealed"]), purpose=PROOF_FILE))
        await tx.verified.record_proof_access(
            staff=by,
            application_id=application_id,
            ordinal=ordinal,
            sha256=row["sha256"],
            reason=reason,
            at=datetime.now(UTC),
        )
    return content, row["content_type"]


async def proof_accesses(
    ports: IdentityPorts, *, application_id: uuid.UUID | None, cursor: str | None, limit: int
) -> tuple[list[asyncpg.Record], str | None]:
    """The record of proof file openings, newest first (MB-7.3: for auditors and the chief editor)."""
    after = decode_cursor(cursor, datetime, int) if cursor else None
    async with ports.db.connection() as tx:
        rows = await tx.verified.proof_accesses(application_id=application_id, after=after, limit=limit + 1)
    found = page(rows, limit, lambda r: (r["opened_at"], r["id"]))
    return found["items"], found["next_cursor"]


async def seal_plaintext_proof_names(pool: asyncpg.Pool, vault: PersonalDataVault, *, batch: int = 500) -> int:
    """MB-7.3: seal the proof names earlier versions stored in plaintext, and empty the plaintext
    column; batch by batch, each in its own transaction. Run at start-up (several processes may run
    it at once: rows locked by one are skipped by the others) and by `identity.cli seal-proof-names`."""
    db = PgDatabase(pool)
    sealed = 0
    while True:
        async with db.transaction() as tx:
            rows = await tx.verified.plaintext_proof_names(batch)
            await tx.verified.seal_proof_names(
                [(r["id"], vault.seal(r["proof_name"], purpose=PROOF_NAME)) for r in rows]
            )
        sealed += len(rows)
        if len(rows) < batch:
            break
    async with db.transaction() as tx:
        await _scrub_announced_names(tx)
    return sealed


async def _scrub_announced_names(tx: Tx) -> None:
    """Approvals announced before migration 0011 carried the legal name (`verified_name`) in the outbox's
    payload: the published ones are deleted (the outbox is not a record; the broker keeps its copy only
    until its retention), unpublished ones lose the name before they go out."""
    await tx.verified.delete_published_outbox(events.VERIFIED_ACCOUNT_APPROVED.name)
    for row in await tx.verified.unpublished_outbox(events.VERIFIED_ACCOUNT_APPROVED.name):
        scrubbed = events.without_verified_name(bytes(row["payload"]))
        if scrubbed is not None:
            await tx.verified.replace_outbox_payload(row["id"], scrubbed)
