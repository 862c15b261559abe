"""Real-name verification (MB-7.1, PA-6.1, BJ-9), its expiry and renewal (MB-7.2), and the cap on
accounts per subject (BJ-9, PA-7.3).

The number is validated first, then the outside identity-check service is asked whether the name
belongs to it (outside any transaction: a slow or failing service holds no locks and leaves
nothing half written), then the verification is stored with its announcement in one transaction,
which counts the subject's accounts again under a lock on the subject: concurrent verifications of
one subject are serialised, so the cap holds.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
from kit.problems import Conflict, NotFound
from kit.service import Runtime

from identity import events
from identity.accounts.handlers import issue_token
from identity.idcheck import CheckAnswer, CheckResult, IdentityCheckUnavailable, IdentityMismatch, IdentityUnknown
from identity.licences import handlers as licences
from identity.pii import ID_NUMBER, LEGAL_NAME, SUBJECT_DETAILS
from identity.ports import IdentityPorts, PgDatabase, Tx
from identity.realname.domain import (
    LEGAL_BASIS,
    AlreadyVerified,
    DifferentSubject,
    PhoneNotConfirmed,
    SubjectType,
    VerifiedIdentity,
    check_account_cap,
    check_not_blacklisted,
    validate_identity,
)


async def verify_real_name(
    ports: IdentityPorts,
    account_id: uuid.UUID,
    *,
    subject_type: SubjectType,
    legal_name: str,
    id_number: str,
    region_code: str | None = None,
    country: str | None = None,
    office_certificate: str | None = None,
) -> dict[str, Any]:
    """Bind a checked identity to the account (MB-7.1), or renew an expired one (MB-7.2)."""
    identity = validate_identity(
        subject_type, id_number, region_code=region_code, country=country, office_certificate=office_certificate
    )
    lookup = ports.vault.lookup_hash(identity.number, purpose=ID_NUMBER)
    name = legal_name.strip()
    async with ports.db.connection() as tx:
        # Before the outside call: a refusal that needs none costs none.
        existing = await _preconditions(tx, ports, account_id, identity, lookup)
    answer = await _ask(ports, account_id, identity, name, country=country, office_certificate=office_certificate)
    now = datetime.now(UTC)
    expires = now + ports.real_name_valid
    async with ports.db.transaction() as tx:
        await tx.realname.lock_subject(lookup)
        await tx.realname.account(account_id, for_update=True)
        current = await tx.realname.of_account(account_id)
        if (current is None) != (existing is None):
            raise Conflict("The verification changed meanwhile; try again.", requirement="MB-7.1")
        sealed_name = ports.vault.seal(name, purpose=LEGAL_NAME)
        if current is None:
            # Counted again under the subject's lock, in the transaction that adds the account.
            await _check_subject_may_add(tx, ports, account_id, identity, lookup)
            details = None
            if identity.subject_type is SubjectType.FOREIGN_ORGANIZATION:
                details = ports.vault.seal(
                    json.dumps({"country": country, "office_certificate": office_certificate}), purpose=SUBJECT_DETAILS
                )
            await tx.realname.insert(
                account_id,
                subject_type=identity.subject_type.value,
                legal_name_ciphertext=sealed_name,
                id_number_ciphertext=ports.vault.seal(identity.number, purpose=ID_NUMBER),
                id_number_lookup=lookup,
                province_code=identity.province_code,
                legal_basis=LEGAL_BASIS,
                number_kind=identity.number_kind,
                details_ciphertext=details,
                check_reference=answer.reference,
                verified_at=now,
                expires_at=expires,
            )
            await licences.announce_for_account(tx, account_id, lookup)  # MB-4, PA-8
        else:
            await tx.realname.renew(
                account_id,
                legal_name_ciphertext=sealed_name,
                check_reference=answer.reference,
                renewed_at=now,
                expires_at=expires,
            )
        await tx.announce(
            events.real_name_verified(
                account_id,
                subject_type=identity.subject_type.value,
                province_code=identity.province_code,
                verified_at=now,
                expires_at=expires,
                legal_basis=LEGAL_BASIS + (["MB-7.2"] if current else []),
                renewal=current is not None,
            )
        )
        account = await tx.accounts.by_id(account_id)
    return {
        "subject_type": identity.subject_type,
        "province_code": identity.province_code,
        "legal_basis": LEGAL_BASIS,
        "verified_at": now.isoformat(),
        "expires_at": expires.isoformat(),
        "renewal": current is not None,
        "access_token": issue_token(ports, account),
        "expires_in": ports.issuer.ttl_s,
    }


async def _preconditions(
    tx: Tx, ports: IdentityPorts, account_id: uuid.UUID, identity: VerifiedIdentity, lookup: bytes
) -> asyncpg.Record | None:
    """The account's current verification (None when there is none), after the checks that need no
    outside call: phone confirmed, not verified already, the same subject on renewal, the cap."""
    account = await tx.realname.account(account_id)
    if account is None:
        raise NotFound("No such account.")
    if account["phone_confirmed_at"] is None:
        raise PhoneNotConfirmed("Confirm the mobile number before real-name verification.", requirement="MB-7.1")
    existing = await tx.realname.of_account(account_id)
    if existing is not None:
        if existing["expires_at"] > datetime.now(UTC):
            raise AlreadyVerified("This account's real name is already verified.", requirement="MB-7.1")
        if bytes(existing["id_number_lookup"]) != lookup or existing["subject_type"] != identity.subject_type.value:
            raise DifferentSubject(
                "Renew the verification with the identity the account was verified with.", requirement="MB-7.2"
            )
        return existing
    await _check_subject_may_add(tx, ports, account_id, identity, lookup)
    return None


async def _check_subject_may_add(
    tx: Tx, ports: IdentityPorts, account_id: uuid.UUID, identity: VerifiedIdentity, lookup: bytes
) -> None:
    """PA-13.2: not blacklisted; BJ-9 / PA-7.3: under the cap of accounts per subject."""
    check_not_blacklisted(await tx.realname.blacklisted(lookup))
    others = await tx.realname.other_active_accounts(lookup, account_id)
    check_account_cap(identity.subject_type, others, ports.account_caps[identity.subject_type])


async def _ask(
    ports: IdentityPorts,
    account_id: uuid.UUID,
    identity: VerifiedIdentity,
    name: str,
    *,
    country: str | None,
    office_certificate: str | None,
) -> CheckAnswer:
    try:
        answer = await ports.idcheck.check(
            subject_type=identity.subject_type.value,
            number=identity.number,
            name=name,
            country=country,
            office_certificate=office_certificate,
        )
    except IdentityCheckUnavailable:
        await _record_check(ports, account_id, identity.subject_type, "unavailable", "")
        raise
    await _record_check(ports, account_id, identity.subject_type, answer.result.value, answer.reference)
    if answer.result is CheckResult.MISMATCH:
        raise IdentityMismatch(
            "The identity-check service says this name does not belong to this number.", requirement="MB-7.1"
        )
    if answer.result is CheckResult.UNKNOWN:
        raise IdentityUnknown("The identity-check service does not know this number.", requirement="MB-7.1")
    return answer


async def _record_check(
    ports: IdentityPorts, account_id: uuid.UUID, subject_type: SubjectType, result: str, ref: str
) -> None:
    async with ports.db.connection() as tx:
        await tx.realname.record_check(account_id, subject_type.value, result, ref)


async def notify_expired_verifications(runtime: Runtime) -> None:
    """MB-7.2: each verification that expired is announced once (a notifier tells the holder);
    content already refuses the account's posts from the token's expiry claim."""
    interval = runtime.settings.expiry_scan_interval_s  # type: ignore[attr-defined]
    db = PgDatabase(runtime.pool)
    while True:
        async with db.transaction() as tx:
            for row in await tx.realname.claim_newly_expired():
                await tx.announce(events.real_name_expired(row["account_id"], row["expires_at"]))
        await asyncio.sleep(interval)  # a period, not synchronisation
