"""Real-name verification (MB-7.1, PA-6.1, BJ-9), its expiry and renewal (MB-7.2), and the cap on
accounts per subject (BJ-9, PA-7.3).

The number is validated first, then the outside identity-check service is asked whether the name
belongs to it (outside any transaction: a slow or failing service holds no locks and leaves
nothing half written), then the verification is stored with its announcement in one transaction.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime

import asyncpg
from kit.cloudevents import timestamp
from kit.db import transaction
from kit.outbox import announce
from kit.problems import Conflict, Forbidden, NotFound
from kit.service import Runtime
from qinglang.identity.v1 import account_pb2

from identity import events, store
from identity.domain import AlreadyVerified, PhoneNotConfirmed, SubjectType, VerifiedIdentity, validate_identity
from identity.handlers import ID_NUMBER, LEGAL_NAME, IdentityPorts, issue_token
from identity.idcheck import CheckResult, IdentityCheckUnavailable, IdentityMismatch, IdentityUnknown

DETAILS = "subject-details"
LEGAL_BASIS = ["MB-7.1", "PA-6.1", "BJ-9"]
_SUBJECT_TYPES = {
    SubjectType.INDIVIDUAL: account_pb2.SUBJECT_TYPE_INDIVIDUAL,
    SubjectType.ORGANIZATION: account_pb2.SUBJECT_TYPE_ORGANIZATION,
    SubjectType.FOREIGN_ORGANIZATION: account_pb2.SUBJECT_TYPE_FOREIGN_ORGANIZATION,
}


class AccountCapReached(Conflict):
    type = "account-cap-reached"
    title = "Account cap reached"


class SubjectBlacklisted(Forbidden):
    type = "subject-blacklisted"
    title = "Subject blacklisted"


class DifferentSubject(Conflict):
    type = "different-subject"
    title = "A renewal must verify the same subject"


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
) -> dict:
    """Bind a checked identity to the account (MB-7.1), or renew an expired one (MB-7.2)."""
    identity = validate_identity(
        subject_type, id_number, region_code=region_code, country=country, office_certificate=office_certificate
    )
    lookup = ports.vault.lookup_hash(identity.number, purpose=ID_NUMBER)
    name = legal_name.strip()
    async with ports.pool.acquire() as conn:
        existing = await _preconditions(conn, ports, account_id, identity, lookup)
    answer = await _ask(ports, account_id, identity, name, country=country, office_certificate=office_certificate)
    now = datetime.now(UTC)
    expires = now + ports.real_name_valid
    async with transaction(ports.pool) as conn:
        account = await conn.fetchrow("SELECT * FROM account WHERE id = $1 FOR UPDATE", account_id)
        current = await conn.fetchrow("SELECT * FROM real_name_verification WHERE account_id = $1", account_id)
        if (current is None) != (existing is None):
            raise Conflict("The verification changed meanwhile; try again.", requirement="MB-7.1")
        sealed = {
            "legal_name_ciphertext": ports.vault.seal(name, purpose=LEGAL_NAME),
            "id_number_ciphertext": ports.vault.seal(identity.number, purpose=ID_NUMBER),
            "details_ciphertext": ports.vault.seal(
                json.dumps({"country": country, "office_certificate": office_certificate}), purpose=DETAILS
            )
            if identity.subject_type is SubjectType.FOREIGN_ORGANIZATION
            else None,
        }
        if current is None:
            await conn.execute(
                """INSERT INTO real_name_verification (account_id, subject_type, legal_name_ciphertext,
                       id_number_ciphertext, id_number_lookup, province_code, legal_basis, number_kind,
                       details_ciphertext, check_reference, verified_at, expires_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""",
                account_id,
                identity.subject_type.value,
                sealed["legal_name_ciphertext"],
                sealed["id_number_ciphertext"],
                lookup,
                identity.province_code,
                LEGAL_BASIS,
                identity.number_kind,
                sealed["details_ciphertext"],
                answer.reference,
                now,
                expires,
            )
        else:
            await conn.execute(
                """UPDATE real_name_verification SET legal_name_ciphertext = $2, check_reference = $3,
                          renewed_at = $4, expires_at = $5, expiry_notified_at = NULL WHERE account_id = $1""",
                account_id,
                sealed["legal_name_ciphertext"],
                answer.reference,
                now,
                expires,
            )
        await announce(
            conn,
            events.REAL_NAME_VERIFIED,
            key=str(account_id),
            subject=str(account_id),
            message=account_pb2.RealNameVerified(
                account_id=str(account_id),
                subject_type=_SUBJECT_TYPES[identity.subject_type],
                province_code=identity.province_code,
                verified_at=timestamp(now),
                legal_basis=LEGAL_BASIS + (["MB-7.2"] if current else []),
                expires_at=timestamp(expires),
                renewal=current is not None,
            ),
        )
        account = await store.account_by_id(conn, account_id)
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
    conn: asyncpg.Connection, ports: IdentityPorts, account_id: uuid.UUID, identity: VerifiedIdentity, lookup: bytes
) -> asyncpg.Record | None:
    """The account's current verification (None when there is none), after the checks that need no
    outside call: phone confirmed, not verified already, the same subject on renewal, the cap."""
    account = await conn.fetchrow("SELECT * FROM account WHERE id = $1", account_id)
    if account is None:
        raise NotFound("No such account.")
    if account["phone_confirmed_at"] is None:
        raise PhoneNotConfirmed("Confirm the mobile number before real-name verification.", requirement="MB-7.1")
    existing = await conn.fetchrow("SELECT * FROM real_name_verification WHERE account_id = $1", account_id)
    if existing is not None:
        if existing["expires_at"] > datetime.now(UTC):
            raise AlreadyVerified("This account's real name is already verified.", requirement="MB-7.1")
        if bytes(existing["id_number_lookup"]) != lookup or existing["subject_type"] != identity.subject_type.value:
            raise DifferentSubject(
                "Renew the verification with the identity the account was verified with.", requirement="MB-7.2"
            )
        return existing
    if await conn.fetchval("SELECT 1 FROM blacklist WHERE subject_lookup = $1", lookup):
        raise SubjectBlacklisted(
            "This subject is blacklisted after serious violations and may not register again.",
            requirement="PA-13.2",
        )
    cap = ports.account_caps[identity.subject_type]
    others = await conn.fetchval(
        "SELECT count(*) FROM real_name_verification WHERE id_number_lookup = $1 AND account_id <> $2",
        lookup,
        account_id,
    )
    if others >= cap:
        raise AccountCapReached(
            f"This {identity.subject_type.value.replace('_', ' ')} already has {others} accounts; the cap is {cap}.",
            requirement="BJ-9",
            legal_basis=["BJ-9", "PA-7.3"],
        )
    return None


async def _ask(
    ports: IdentityPorts,
    account_id: uuid.UUID,
    identity: VerifiedIdentity,
    name: str,
    *,
    country: str | None,
    office_certificate: str | None,
):
    try:
        answer = await ports.idcheck.check(
            subject_type=identity.subject_type.value,
            number=identity.number,
            name=name,
            country=country,
            office_certificate=office_certificate,
        )
    except IdentityCheckUnavailable:
        await _record_check(ports.pool, account_id, identity.subject_type, "unavailable", "")
        raise
    await _record_check(ports.pool, account_id, identity.subject_type, answer.result.value, answer.reference)
    if answer.result is CheckResult.MISMATCH:
        raise IdentityMismatch(
            "The identity-check service says this name does not belong to this number.", requirement="MB-7.1"
        )
    if answer.result is CheckResult.UNKNOWN:
        raise IdentityUnknown("The identity-check service does not know this number.", requirement="MB-7.1")
    return answer


async def _record_check(pool: asyncpg.Pool, account_id: uuid.UUID, subject_type: SubjectType, result: str, ref: str):
    await pool.execute(
        "INSERT INTO identity_check (account_id, subject_type, result, reference) VALUES ($1, $2, $3, $4)",
        account_id,
        subject_type.value,
        result,
        ref,
    )


async def notify_expired_verifications(runtime: Runtime) -> None:
    """MB-7.2: each verification that expired is announced once (a notifier tells the holder);
    content already refuses the account's posts from the token's expiry claim."""
    interval = runtime.settings.expiry_scan_interval_s  # type: ignore[attr-defined]
    while True:
        async with transaction(runtime.pool) as conn:
            expired = await conn.fetch(
                """UPDATE real_name_verification SET expiry_notified_at = now()
                    WHERE account_id IN (SELECT account_id FROM real_name_verification
                                          WHERE expires_at <= now() AND expiry_notified_at IS NULL
                                          LIMIT 500 FOR UPDATE SKIP LOCKED)
                RETURNING account_id, expires_at"""
            )
            for row in expired:
                await announce(
                    conn,
                    events.REAL_NAME_EXPIRED,
                    key=str(row["account_id"]),
                    subject=str(row["account_id"]),
                    message=account_pb2.RealNameExpired(
                        account_id=str(row["account_id"]),
                        expired_at=timestamp(row["expires_at"]),
                        legal_basis=["MB-7.2"],
                    ),
                )
        await asyncio.sleep(interval)  # a period, not synchronisation
