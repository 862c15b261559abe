"""Accounts: registration, sign-in, the mobile confirmation, ended sessions and cancellation. One async
function per command; each owns its transaction (state and announcements together)."""

from __future__ import annotations

import asyncio
import hmac
import secrets
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from argon2.exceptions import InvalidHashError, VerificationError
from contracts.userlog import UserLogKind
from kit.auth import Principal
from kit.problems import Conflict, Forbidden, NotFound, Unauthorized
from kit.service import Runtime
from kit.userlog import Client

from identity import events
from identity.abuse import handlers as abuse
from identity.accounts.domain import (
    CANCELLATION_BASIS,
    CodeRejected,
    UsernameTaken,
    access_claims,
    check_active,
    check_may_sign_in,
    normalise_mainland_mobile,
)
from identity.agreement import handlers as agreement
from identity.pii import OTP, PHONE
from identity.ports import IdentityPorts, PgDatabase, Tx

T = TypeVar("T")

# A minute past the token lifetime every token a revocation refuses has expired anyway.
REVOCATION_MARGIN = timedelta(minutes=1)


def issue_token(ports: IdentityPorts, account: Mapping[str, Any], client_id: str | None = None) -> str:
    return ports.issuer.issue_access(access_claims(account, datetime.now(UTC), client_id=client_id))


async def register(
    ports: IdentityPorts,
    *,
    username: str,
    password: str,
    mobile: str,
    address: str,
    accepted_agreement_version: int | None = None,
    client: Client | None = None,
) -> Mapping[str, Any]:
    e164 = normalise_mainland_mobile(mobile)
    phone_lookup = ports.vault.lookup_hash(e164, purpose=PHONE)
    async with ports.db.connection() as tx:  # before the costly hash; checked again under the lock below
        await abuse.admit_registration(tx, ports.limits, address, datetime.now(UTC), record=False)
    password_hash = await asyncio.to_thread(ports.hasher.hash, password)
    account_id = uuid.uuid4()
    async with ports.db.transaction() as tx:
        await abuse.admit_registration(tx, ports.limits, address, datetime.now(UTC), record=True)
        await abuse.check_mobile_cap(tx, ports.limits, phone_lookup)  # BJ-9
        created = await tx.accounts.insert(
            account_id=account_id,
            username=username,
            password_hash=password_hash,
            phone_ciphertext=ports.vault.seal(e164, purpose=PHONE),
            phone_lookup=phone_lookup,
        )
        if not created:
            raise UsernameTaken(f"The username {username!r} is taken.")
        if accepted_agreement_version is not None:
            await agreement.accept(tx, account_id, accepted_agreement_version)  # MB-6.2
        await abuse.note_registration(tx, ports.limits, ports.vault, account_id, address, datetime.now(UTC))  # CM
        await tx.announce(events.account_registered(account_id, datetime.now(UTC)))
        await tx.announce(ports.user_log.entry(UserLogKind.ACCOUNT_REGISTERED, client, account_id=account_id))
        return await tx.accounts.by_id(account_id)


async def throttled_sign_in(
    ports: IdentityPorts,
    *,
    scope: str,
    username: str,
    address: str,
    attempt: Callable[[], Awaitable[T]],
    client: Client | None = None,
) -> T:
    """Run a password check under the sign-in limits (identity/abuse): a throttled attempt is refused
    before the password is looked at; a wrong password stays counted. The outcome joins the user log
    (MB-16.2: sign-ins, failed ones too)."""
    key = abuse.sign_in_key(scope, username)
    ticket = await abuse.admit_sign_in(ports.db, ports.limits, key, address, datetime.now(UTC))
    if ticket.delay_s:
        await asyncio.sleep(ticket.delay_s)  # the deliberate slow-down during an account's back-off
    outcome: bool | None = None
    refused = False  # the password was right, but the account may not sign in (closed, PA-13.1)
    try:
        result = await attempt()
        outcome = True
        return result
    except Unauthorized:
        outcome = False
        raise
    except Forbidden:
        refused = True
        raise
    finally:
        await abuse.settle_sign_in(ports.db, ticket, key, outcome=outcome, now=datetime.now(UTC))
        if outcome is not None or refused:
            await _log_sign_in(ports, scope, username, client, succeeded=bool(outcome))


async def _log_sign_in(
    ports: IdentityPorts, scope: str, username: str, client: Client | None, *, succeeded: bool
) -> None:
    """A sign-in's user log entry, naming the account (or staff member) the username is of, if any."""
    async with ports.db.transaction() as tx:
        if scope == "staff":
            member = await tx.staff.active_by_username(username)
            who: dict[str, Any] = {"actor_id": str(member["id"])} if member is not None else {}
        else:
            account = await tx.accounts.by_username(username)
            who = {"account_id": account["id"]} if account is not None else {}
        kind = UserLogKind.SIGNED_IN if succeeded else UserLogKind.SIGN_IN_FAILED
        await tx.announce(ports.user_log.entry(kind, client, succeeded=succeeded, detail=scope, **who))


async def sign_in(ports: IdentityPorts, *, username: str, password: str, client_id: str | None = None) -> str:
    account = await check_credentials(ports, username, password)
    check_may_sign_in(account)
    return issue_token(ports, account, client_id=client_id)


async def check_credentials(ports: IdentityPorts, username: str, password: str) -> Mapping[str, Any]:
    """The account these are the username and password of (a cancelled one no longer exists); 401 otherwise."""
    async with ports.db.connection() as tx:
        account = await tx.accounts.by_username(username)
    if account is None:
        # Same cost and answer as a wrong password: no account enumeration by timing.
        await asyncio.to_thread(ports.hasher.hash, password)
        raise Unauthorized("Username or password is wrong.")
    await check_password(ports, account["password_hash"], password, "Username or password is wrong.")
    if account["cancelled_at"] is not None:
        raise Unauthorized("Username or password is wrong.")
    return account


async def check_password(ports: IdentityPorts, password_hash: str, password: str, refusal: str) -> None:
    try:
        await asyncio.to_thread(ports.hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError) as exc:
        raise Unauthorized(refusal) from exc


async def active_account(ports: IdentityPorts, principal: Principal) -> uuid.UUID:
    """The account behind a user's token, refused when cancelled (PA-9.2) or closed (PA-13.1), or when
    the token was issued before the account's sessions were ended: identity's own routes refuse at
    once, before the revocation announcement reaches this process."""
    try:
        account_id = uuid.UUID(principal.subject)
    except ValueError as exc:
        raise NotFound("No such account.") from exc
    async with ports.db.connection() as tx:
        state = await tx.accounts.state(account_id)
    if state is None:
        raise NotFound("No such account.")
    check_active(state, float(principal.claim("iat", 0)))
    return account_id


async def read_account(ports: IdentityPorts, account_id: uuid.UUID) -> Mapping[str, Any]:
    async with ports.db.connection() as tx:
        account = await tx.accounts.by_id(account_id)
    if account is None or account["cancelled_at"] is not None:
        raise NotFound("No such account.")  # a cancelled account is gone for its holder (PA-9.2)
    return account


async def send_phone_code(ports: IdentityPorts, account_id: uuid.UUID) -> None:
    code = f"{secrets.randbelow(1_000_000):06d}"
    async with ports.db.transaction() as tx:
        account = await tx.accounts.by_id(account_id)
        if account is None:
            raise NotFound("No such account.")
        if account["phone_confirmed_at"] is not None:
            raise Conflict("The mobile number is already confirmed.")
        lookup = bytes(account["phone_lookup"])
        await abuse.check_mobile_cap(tx, ports.limits, lookup, account_id=account_id)  # BJ-9
        # Sends limited per number and per account (no SMS bombing; issue 9).
        await abuse.admit_code_send(tx, ports.limits, account_id, lookup.hex(), datetime.now(UTC))
        await tx.accounts.upsert_challenge(
            account_id,
            ports.vault.lookup_hash(code, purpose=OTP),
            datetime.now(UTC) + timedelta(seconds=ports.otp_ttl_s),
        )
        mobile = ports.vault.open(account["phone_ciphertext"], purpose=PHONE)
    # After commit: a lost SMS only means the user asks for another code.
    await ports.sms.send(
        mobile, f"[Qinglang] Your confirmation code is {code}. It expires in {ports.otp_ttl_s // 60} minutes."
    )


async def confirm_phone_code(ports: IdentityPorts, account_id: uuid.UUID, code: str) -> None:
    async with ports.db.transaction() as tx:
        phone_lookup = await tx.accounts.phone_lookup(account_id)
        now = datetime.now(UTC)
        # Locks in the order sending takes them (the number's, then the challenge row): no deadlock.
        await abuse.check_mobile_cap(tx, ports.limits, phone_lookup, account_id=account_id)  # BJ-9
        # Wrong codes count per number over a window, across resends (MB-7.1: no confirming a number
        # one does not hold by guessing).
        await abuse.admit_code_attempt(tx, ports.limits, phone_lookup.hex(), now)
        challenge = await tx.accounts.challenge_for_update(account_id)
        if challenge is None:
            raise CodeRejected("No code is pending; ask for one first.")
        if challenge["attempts"] >= ports.otp_max_attempts:
            raise CodeRejected("Too many attempts; ask for a new code.")
        if challenge["expires_at"] < now:
            raise CodeRejected("The code has expired; ask for a new one.")
        if not hmac.compare_digest(bytes(challenge["code_hash"]), ports.vault.lookup_hash(code, purpose=OTP)):
            await tx.accounts.count_attempt(account_id)
            await abuse.count_wrong_code(tx, phone_lookup.hex(), now)
            # The failed attempt must count even though we refuse: commit it, then answer.
            raise_after = CodeRejected("The code is wrong.")
        else:
            await tx.accounts.confirm_phone(account_id)
            raise_after = None
    if raise_after is not None:
        raise raise_after


# ---- ended sessions -------------------------------------------------------------------------------
# Ending an account's sessions (PA-9.2 cancellation, PA-13.1 suspension and closure): every token of
# the account issued before the moment is refused by every process of every service at once, through
# the token revocations API clients already use (claim "sub" with "issued_before"). Identity itself
# also reads the account's state and its last revocation on each of its own routes (active_account),
# so it refuses even before the announcement arrives. A cancelled or closed account cannot sign in
# again; a suspended one can, to read, see its credit and appeal, but content refuses its posts.


async def end_sessions(
    tx: Tx, account_id: uuid.UUID, *, at: datetime, token_ttl_s: int, reason: str, legal_basis: list[str]
) -> None:
    """Record and announce, in the caller's transaction, that the account's tokens issued before
    ``at`` are refused everywhere."""
    expires_at = at + timedelta(seconds=token_ttl_s) + REVOCATION_MARGIN
    await tx.accounts.insert_session_revocation(
        account_id, issued_before=at, expires_at=expires_at, reason=reason, legal_basis=legal_basis
    )
    await _announce_ended(tx, account_id, at, expires_at, reason, legal_basis)


async def sign_out(ports: IdentityPorts, account_id: uuid.UUID, client: Client | None = None) -> None:
    """Sign out everywhere: every token of the account issued until now is refused at once by every service (the
    kit's revocations); signing in again gives a new one. The user log records it (MB-16.2)."""
    now = datetime.now(UTC)
    async with ports.db.transaction() as tx:
        await end_sessions(tx, account_id, at=now, token_ttl_s=ports.issuer.ttl_s, reason="signed out", legal_basis=[])
        await tx.announce(ports.user_log.entry(UserLogKind.SIGNED_OUT, client, account_id=account_id, at=now))


async def _announce_ended(
    tx: Tx, account_id: uuid.UUID, issued_before: datetime, expires_at: datetime, reason: str, legal_basis: list[str]
) -> None:
    await tx.announce_revocation(
        claim="sub",
        value=str(account_id),
        reason=reason,
        legal_basis=legal_basis,
        revoked_at=issued_before,
        issued_before=issued_before,
        expires_at=expires_at,
    )


async def reannounce_ended_sessions(tx: Tx) -> None:
    """Every account's latest revocation still in force, again (a broker may have forgotten it)."""
    for row in await tx.accounts.session_revocations_in_force():
        await _announce_ended(
            tx, row["account_id"], row["issued_before"], row["expires_at"], row["reason"], list(row["legal_basis"])
        )


# ---- cancellation (PA-9.2) ------------------------------------------------------------------------
# The holder cancels; the account stops at once (no sign-in, its public content goes), the records the
# law requires are kept for their retention period (at least six months, MB-16.2), then the personal
# data is purged.


async def cancel(
    ports: IdentityPorts, account_id: uuid.UUID, *, password: str, client: Client | None = None
) -> dict[str, Any]:
    async with ports.db.connection() as tx:
        account = await tx.accounts.by_id(account_id)
    if account is None:
        raise NotFound("No such account.")
    await check_password(ports, account["password_hash"], password, "The password is wrong.")
    now = datetime.now(UTC)
    purge_after = now + ports.cancelled_retention
    async with ports.db.transaction() as tx:
        if not await tx.accounts.cancel(account_id, now, purge_after):
            raise Conflict("This account is cancelled already.", requirement="PA-9.2")
        # Every session ends at once, everywhere (the account no longer exists for its holder).
        await end_sessions(
            tx,
            account_id,
            at=now,
            token_ttl_s=ports.issuer.ttl_s,
            reason="account cancelled",
            legal_basis=CANCELLATION_BASIS,
        )
        await tx.announce(
            events.account_cancelled(
                account_id, cancelled_at=now, purge_after=purge_after, legal_basis=CANCELLATION_BASIS
            )
        )
        await tx.announce(ports.user_log.entry(UserLogKind.ACCOUNT_CANCELLED, client, account_id=account_id, at=now))
    return {"cancelled_at": now.isoformat(), "purge_after": purge_after.isoformat(), "legal_basis": CANCELLATION_BASIS}


def purge_loop(interval_s: float):
    async def purge_cancelled_accounts(runtime: Runtime) -> None:
        db = PgDatabase(runtime.pool)
        while True:
            async with db.transaction() as tx:
                await tx.accounts.purge_due()
            await asyncio.sleep(interval_s)  # a period, not synchronisation

    return purge_cancelled_accounts


async def accept_agreement(ports: IdentityPorts, account_id: uuid.UUID, version: int) -> str:
    """Accept the agreement in force (recorded); a fresh token that says so."""
    async with ports.db.transaction() as tx:
        await agreement.accept(tx, account_id, version)
        account = await tx.accounts.by_id(account_id)
    return issue_token(ports, account)
