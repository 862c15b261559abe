"""One async function per command; each owns its transaction (state + outbox together)."""

from __future__ import annotations

import asyncio
import hmac
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import asyncpg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from kit.auth import Principal, TokenRevoked
from kit.cloudevents import timestamp
from kit.db import transaction
from kit.outbox import announce
from kit.problems import Conflict, DomainError, Forbidden, NotFound, Unauthorized
from qinglang.identity.v1 import account_pb2

from identity import abuse, agreement, events, store
from identity.credit import CreditPolicy
from identity.domain import (
    SubjectType,
    mask_mobile,
    normalise_mainland_mobile,
)
from identity.idcheck import IdentityCheckClient
from identity.pii import PersonalDataVault
from identity.sms import SmsSender
from identity.tokens import TokenIssuer

PHONE = "phone"
LEGAL_NAME = "legal-name"
ID_NUMBER = "id-number"
OTP = "otp"


class UsernameTaken(Conflict):
    type = "username-taken"
    title = "Username taken"


class AccountClosed(Forbidden):
    type = "account-closed"
    title = "Account closed"


class AccountCancelled(Forbidden):
    type = "account-cancelled"
    title = "Account cancelled"


class CodeRejected(DomainError):
    status = 422
    type = "code-rejected"
    title = "Code rejected"


@dataclass
class IdentityPorts:
    pool: asyncpg.Pool
    vault: PersonalDataVault
    hasher: PasswordHasher
    issuer: TokenIssuer
    sms: SmsSender
    otp_ttl_s: int
    otp_max_attempts: int
    cancelled_retention: timedelta
    idcheck: IdentityCheckClient
    real_name_valid: timedelta
    account_caps: dict[SubjectType, int]
    credit: CreditPolicy
    limits: abuse.AbuseLimits


def account_view(row: asyncpg.Record, vault: PersonalDataVault) -> dict:
    return {
        "id": str(row["id"]),
        "username": row["username"],
        "mobile_masked": mask_mobile(vault.open(row["phone_ciphertext"], purpose=PHONE)),
        "phone_confirmed": row["phone_confirmed_at"] is not None,
        "real_name_verified": _verified_now(row),
        "real_name_expires_at": row["expires_at"].isoformat() if row["expires_at"] else None,
        "subject_type": row["subject_type"],
    }


def _verified_now(row: asyncpg.Record) -> bool:
    return row["verified_at"] is not None and row["expires_at"] > datetime.now(UTC)


def issue_token(ports: IdentityPorts, row: asyncpg.Record, client_id: str | None = None) -> str:
    # rnv: real-name verified (MB-7.1); content refuses publishing without it. prov: the province
    # of registration (GB/T 2260, not personal data on its own): content passes it on with each
    # post, so a regional emergency mode (MB-6.1) applies from the first post.
    # reg: when the account was registered (MB-9: new accounts may be reviewed more strictly).
    # rnx: when the verification expires (MB-7.2); content refuses publishing after it, even with a
    # token issued before.
    # tos: the holder accepted the service agreement in force (MB-6.2).
    claims = {"rnv": _verified_now(row), "reg": int(row["created_at"].timestamp()), "tos": bool(row["tos"])}
    if row["expires_at"] is not None:
        claims["rnx"] = int(row["expires_at"].timestamp())
    if client_id is not None:
        claims["cid"] = client_id  # issued through a registered third-party client (BJ-7(6))
    if row["province_code"]:
        claims["prov"] = row["province_code"]
    return ports.issuer.issue(str(row["id"]), kind="user", **claims)


async def register(
    ports: IdentityPorts,
    *,
    username: str,
    password: str,
    mobile: str,
    address: str,
    accepted_agreement_version: int | None = None,
) -> dict:
    e164 = normalise_mainland_mobile(mobile)
    phone_lookup = ports.vault.lookup_hash(e164, purpose=PHONE)
    async with ports.pool.acquire() as conn:  # before the costly hash; checked again under the lock below
        await abuse.admit_registration(conn, ports.limits, address, datetime.now(UTC), record=False)
    password_hash = await asyncio.to_thread(ports.hasher.hash, password)
    account_id = uuid.uuid4()
    async with transaction(ports.pool) as conn:
        await abuse.admit_registration(conn, ports.limits, address, datetime.now(UTC), record=True)
        await abuse.check_mobile_cap(conn, ports.limits, phone_lookup)  # BJ-9
        created = await store.insert_account(
            conn,
            account_id=account_id,
            username=username,
            password_hash=password_hash,
            phone_ciphertext=ports.vault.seal(e164, purpose=PHONE),
            phone_lookup=phone_lookup,
        )
        if not created:
            raise UsernameTaken(f"The username {username!r} is taken.")
        if accepted_agreement_version is not None:
            await agreement.accept(conn, account_id, accepted_agreement_version)  # MB-6.2
        await announce(
            conn,
            events.ACCOUNT_REGISTERED,
            key=str(account_id),
            subject=str(account_id),
            message=account_pb2.AccountRegistered(
                account_id=str(account_id), registered_at=timestamp(datetime.now(UTC))
            ),
        )
        row = await store.account_by_id(conn, account_id)
    return account_view(row, ports.vault)


T = TypeVar("T")


async def throttled_sign_in(
    ports: IdentityPorts, *, scope: str, username: str, address: str, attempt: Callable[[], Awaitable[T]]
) -> T:
    """Run a password check under the sign-in limits (identity/abuse.py): a throttled attempt is
    refused before the password is looked at; a wrong password stays counted."""
    key = abuse.sign_in_key(scope, username)
    ticket = await abuse.admit_sign_in(ports.pool, ports.limits, key, address, datetime.now(UTC))
    if ticket.delay_s:
        await asyncio.sleep(ticket.delay_s)  # the deliberate slow-down during an account's back-off
    outcome: bool | None = None
    try:
        result = await attempt()
        outcome = True
        return result
    except Unauthorized:
        outcome = False
        raise
    finally:
        await abuse.settle_sign_in(ports.pool, ticket, key, outcome=outcome, now=datetime.now(UTC))


async def active_account(ports: IdentityPorts, principal: Principal) -> uuid.UUID:
    """The account behind a user's token, refused when cancelled (PA-9.2) or closed (PA-13.1), or when
    the token was issued before the account's sessions were ended: identity's own routes refuse at
    once, before the revocation announcement reaches this process."""
    try:
        account_id = uuid.UUID(principal.subject)
    except ValueError as exc:
        raise NotFound("No such account.") from exc
    row = await store.account_state(ports.pool, account_id)
    if row is None:
        raise NotFound("No such account.")
    if row["cancelled_at"] is not None:
        raise AccountCancelled("This account was cancelled.", requirement="PA-9.2")
    if row["closed_at"] is not None:
        raise AccountClosed("This account was closed for serious violations.", requirement="PA-13.1")
    ended = row["issued_before"]
    if ended is not None and float(principal.claim("iat", 0)) < ended.timestamp():
        raise TokenRevoked(
            "This session was ended; sign in again.", requirement=(list(row["legal_basis"]) or [None])[0]
        )
    return account_id


async def sign_in(ports: IdentityPorts, *, username: str, password: str, client_id: str | None = None) -> str:
    async with ports.pool.acquire() as conn:
        row = await store.account_by_username(conn, username)
    if row is None:
        # Same cost and answer as a wrong password: no account enumeration by timing.
        await asyncio.to_thread(ports.hasher.hash, password)
        raise Unauthorized("Username or password is wrong.")
    try:
        await asyncio.to_thread(ports.hasher.verify, row["password_hash"], password)
    except (VerificationError, InvalidHashError) as exc:
        raise Unauthorized("Username or password is wrong.") from exc
    if row["cancelled_at"] is not None:
        raise Unauthorized("Username or password is wrong.")  # a cancelled account no longer exists
    if row["closed_at"] is not None:
        raise AccountClosed("This account was closed for serious violations.", requirement="PA-13.1")
    return issue_token(ports, row, client_id=client_id)


async def me(ports: IdentityPorts, account_id: uuid.UUID) -> dict:
    async with ports.pool.acquire() as conn:
        row = await store.account_by_id(conn, account_id)
    if row is None or row["cancelled_at"] is not None:
        raise NotFound("No such account.")  # a cancelled account is gone for its holder (PA-9.2)
    return account_view(row, ports.vault)


async def send_phone_code(ports: IdentityPorts, account_id: uuid.UUID) -> None:
    code = f"{secrets.randbelow(1_000_000):06d}"
    async with transaction(ports.pool) as conn:
        row = await store.account_by_id(conn, account_id)
        if row is None:
            raise NotFound("No such account.")
        if row["phone_confirmed_at"] is not None:
            raise Conflict("The mobile number is already confirmed.")
        await abuse.check_mobile_cap(conn, ports.limits, bytes(row["phone_lookup"]), account_id=account_id)  # BJ-9
        # Sends limited per number and per account (no SMS bombing; issue 9).
        await abuse.admit_code_send(conn, ports.limits, account_id, bytes(row["phone_lookup"]).hex(), datetime.now(UTC))
        await store.upsert_challenge(
            conn,
            account_id,
            ports.vault.lookup_hash(code, purpose=OTP),
            datetime.now(UTC) + timedelta(seconds=ports.otp_ttl_s),
        )
        mobile = ports.vault.open(row["phone_ciphertext"], purpose=PHONE)
    # After commit: a lost SMS only means the user asks for another code.
    await ports.sms.send(
        mobile, f"[Qinglang] Your confirmation code is {code}. It expires in {ports.otp_ttl_s // 60} minutes."
    )


async def confirm_phone_code(ports: IdentityPorts, account_id: uuid.UUID, code: str) -> None:
    async with transaction(ports.pool) as conn:
        phone_lookup = await store.phone_lookup(conn, account_id)
        now = datetime.now(UTC)
        # Locks in the order sending takes them (the number's, then the challenge row): no deadlock.
        await abuse.check_mobile_cap(conn, ports.limits, phone_lookup, account_id=account_id)  # BJ-9
        # Wrong codes count per number over a window, across resends (MB-7.1: no confirming a number
        # one does not hold by guessing).
        await abuse.admit_code_attempt(conn, ports.limits, phone_lookup.hex(), now)
        challenge = await store.challenge_for_update(conn, account_id)
        if challenge is None:
            raise CodeRejected("No code is pending; ask for one first.")
        if challenge["attempts"] >= ports.otp_max_attempts:
            raise CodeRejected("Too many attempts; ask for a new code.")
        if challenge["expires_at"] < now:
            raise CodeRejected("The code has expired; ask for a new one.")
        if not hmac.compare_digest(bytes(challenge["code_hash"]), ports.vault.lookup_hash(code, purpose=OTP)):
            await store.count_attempt(conn, account_id)
            await abuse.count_wrong_code(conn, phone_lookup.hex(), now)
            # The failed attempt must count even though we refuse: commit it, then answer.
            raise_after = CodeRejected("The code is wrong.")
        else:
            await store.confirm_phone(conn, account_id)
            raise_after = None
    if raise_after is not None:
        raise raise_after
