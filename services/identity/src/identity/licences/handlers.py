"""The news licence registry (MB-4, PA-8): staff record licences with their evidence (sealed, MB-7.3) and
revoke them; every change is announced to every account of the holder subject (NewsLicenceChanged: user
and public accounts), again whenever a new account of the subject is verified or approved, and again
periodically (a broker may forget). Content refuses news without a licence in scope and in force."""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from kit.pagination import decode_cursor, page
from kit.problems import InvalidInput, NotFound

from identity import events
from identity.licences.domain import (
    LEGAL_BASIS,
    AlreadyRevoked,
    HolderNotVerified,
    NumberTaken,
    beijing_today,
    check_dates,
    check_evidence_size,
    check_news_qualifications,
    normalise_number,
)
from identity.pii import LICENCE_EVIDENCE
from identity.ports import IdentityPorts, Tx


async def record(ports: IdentityPorts, body: Any, *, by: str) -> dict[str, Any]:
    check_dates(body.valid_from, body.valid_until)
    decoded = []
    for f in body.evidence:
        try:
            decoded.append((f, base64.b64decode(f.content_base64, validate=True)))
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput(f"{f.filename}: content_base64 is not base64.") from exc
    check_evidence_size((len(c) for _f, c in decoded), ports.licence_evidence_max_bytes)
    licence_id = uuid.uuid4()
    async with ports.db.transaction() as tx:
        subject = await tx.licences.subject_of(body.holder_account_id)
        if subject is None:
            raise HolderNotVerified(
                "The holder must be a real-name verified account (or a public account) of the licensed subject.",
                requirement="MB-7.1",
            )
        inserted = await tx.licences.insert(
            licence_id,
            number=normalise_number(body.number),
            subject_lookup=subject,
            holder=body.holder_account_id,
            scopes=sorted({str(s) for s in body.scopes}),
            valid_from=body.valid_from,
            valid_until=body.valid_until,
            by=by,
        )
        if not inserted:
            raise NumberTaken("This licence number is recorded already.", requirement="PA-8")
        for f, content in decoded:
            await tx.licences.insert_evidence(
                licence_id,
                filename=f.filename,
                content_type=f.content_type,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
                sealed=ports.vault.seal(base64.b64encode(content).decode(), purpose=LICENCE_EVIDENCE),
            )
        licence = await tx.licences.get(licence_id)
        await announce_to_subject(tx, licence)
        return await _view(tx, licence)


async def _view(tx: Tx, licence: Any) -> dict[str, Any]:
    return {"licence": licence, "evidence": await tx.licences.evidence(licence["id"])}


async def read(ports: IdentityPorts, licence_id: uuid.UUID) -> dict[str, Any]:
    async with ports.db.connection() as tx:
        licence = await tx.licences.get(licence_id)
        if licence is None:
            raise NotFound("No such news licence.")
        return await _view(tx, licence)


async def listing(ports: IdentityPorts, *, cursor: str | None, limit: int) -> tuple[list[dict], str | None]:
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with ports.db.connection() as tx:
        rows = await tx.licences.page(after=after, limit=limit + 1)
        found = page(rows, limit, lambda r: (r["recorded_at"], r["id"]))
        return [await _view(tx, r) for r in found["items"]], found["next_cursor"]


async def revoke(ports: IdentityPorts, licence_id: uuid.UUID, *, reason: str, by: str) -> dict[str, Any]:
    """A revocation stops news at once (content takes the newer version)."""
    async with ports.db.transaction() as tx:
        licence = await tx.licences.revoke(licence_id, reason=reason, by=by, at=datetime.now(UTC))
        if licence is None:
            if await tx.licences.get(licence_id) is None:
                raise NotFound("No such news licence.")
            raise AlreadyRevoked("This licence is revoked already.", requirement="PA-8")
        await announce_to_subject(tx, licence)
        return await _view(tx, licence)


async def announce_to_subject(tx: Tx, licence: Any) -> None:
    """NewsLicenceChanged to every account of the holder subject (user and public accounts)."""
    for account_id in await tx.licences.accounts_of_subject(bytes(licence["subject_lookup"])):
        await tx.announce(_changed(account_id, licence))


async def announce_for_account(tx: Tx, account_id: uuid.UUID, subject_lookup: bytes) -> None:
    """A new account of a subject (verified, or a public account approved) learns the subject's licences."""
    for licence in await tx.licences.of_subject(subject_lookup):
        await tx.announce(_changed(account_id, licence))


async def reannounce(tx: Tx) -> None:
    """Every licence still worth knowing (valid until yesterday or later), to every account of its subject."""
    yesterday = beijing_today(datetime.now(UTC)) - timedelta(days=1)
    for licence in await tx.licences.worth_announcing(yesterday):
        await announce_to_subject(tx, licence)


def _changed(account_id: uuid.UUID, licence: Any) -> Any:
    return events.news_licence_changed(
        account_id,
        licence_id=licence["id"],
        number=licence["number"],
        scopes=list(licence["scopes"]),
        valid_from=licence["valid_from"],
        valid_until=licence["valid_until"],
        revoked_at=licence["revoked_at"],
        version=licence["version"],
        legal_basis=LEGAL_BASIS,
    )


async def check_qualifications(tx: Tx, subject_lookup: bytes, qualifications: list[dict]) -> None:
    """PA-8: the news licences a public account's registration cites are the subject's, in force today."""
    if any(q["kind"] == "news_licence" for q in qualifications):
        check_news_qualifications(
            qualifications, await tx.licences.of_subject(subject_lookup), beijing_today(datetime.now(UTC))
        )
