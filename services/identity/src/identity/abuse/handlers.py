"""Abuse limits on every sign-in surface (issue 9): one-time codes, passwords and registrations.

Every count lives in PostgreSQL (`throttle_event`), checked and recorded under a transaction-scoped
advisory lock on the key, so the limits hold across every process of the service. A refusal is a
429 problem (kit.problems.TooManyRequests) with a Retry-After header saying when the next attempt can
succeed.

- One-time codes (MB-7.1: the mobile number is confirmed by a one-time code; nobody's number is
  bombed). Sends are limited per number and per account: a minimum interval between two sends, a cap
  per hour and per day. Wrong codes are counted per number over a window, not per code, so asking for
  a new code does not buy new guesses.
- Passwords (user and staff sign-in; BJ-7(7): no stolen identities). Failures are counted per account
  (its lower-cased username, existing or not) and per client address. An address over its budget of
  failures is refused. After a few free failures an account backs off exponentially (base * 2^n,
  capped at a few minutes): while it backs off, addresses that failed on it are refused until it
  ends, and any other address gets one attempt, answered after a short delay. So a guesser gets one
  try per address per back-off step, each also charged to that address's budget, and the holder
  signing in from an address of their own still gets in (slowed by the delay), never locked out for long.
- Registrations (BJ-7(7): no fake users): a cap per client address per hour; and one mobile number
  backs only a capped number of accounts (BJ-9), counted over accounts not cancelled whose number is
  confirmed, so registering someone else's number (which cannot be confirmed) does not block its holder.

The client address is `request.client.host` as uvicorn sets it: the gateway's X-Forwarded-For,
trusted only from the addresses in uvicorn's `--forwarded-allow-ips` (the gateway's).
"""

from __future__ import annotations

import asyncio
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from kit.pagination import decode_cursor, page
from kit.problems import NotFound
from kit.service import Runtime

from identity import events
from identity.abuse.domain import (
    COHORT_BASIS,
    AbuseLimits,
    Cap,
    CodeAttemptsExhausted,
    CodeSendLimited,
    CohortAlreadyCleared,
    CohortStatus,
    MobileCapReached,
    RegistrationLimited,
    SignInThrottled,
    address_network,
    cohort_opens,
)
from identity.pii import COHORT_ADDRESS, PersonalDataVault
from identity.ports import Database, IdentityPorts, PgDatabase, Tx

# ---- one-time codes ---------------------------------------------------------------------------


async def admit_code_send(tx: Tx, limits: AbuseLimits, account_id: uuid.UUID, number_key: str, now: datetime) -> None:
    """Refuse a send that breaks a limit; else count it (in the caller's transaction)."""
    await tx.abuse.lock_key(f"code:{number_key}")
    await tx.abuse.lock_key(f"code-account:{account_id}")
    interval = Cap(1, limits.code_min_interval_s)
    checks = [("code_sent_number", number_key, c) for c in (interval, *limits.code_sends_per_number)]
    checks += [("code_sent_account", str(account_id), c) for c in (interval, *limits.code_sends_per_account)]
    wait = await _longest_wait(tx, checks, now)
    if wait is not None:
        raise CodeSendLimited(
            f"Too many codes were sent to this number or account; ask again in {math.ceil(wait)} s.",
            retry_after_s=wait,
        )
    await tx.abuse.record_events(now, ("code_sent_number", number_key), ("code_sent_account", str(account_id)))


async def admit_code_attempt(tx: Tx, limits: AbuseLimits, number_key: str, now: datetime) -> None:
    """Refuse any further code for a number with too many wrong ones in the window, whatever the code."""
    await tx.abuse.lock_key(f"code:{number_key}")
    wait = await _longest_wait(tx, [("code_wrong_number", number_key, limits.code_wrong_per_number)], now)
    if wait is not None:
        raise CodeAttemptsExhausted(
            f"Too many wrong codes for this number; try again in {math.ceil(wait)} s.",
            retry_after_s=wait,
            requirement="MB-7.1",
        )


async def count_wrong_code(tx: Tx, number_key: str, now: datetime) -> None:
    await tx.abuse.record_events(now, ("code_wrong_number", number_key))


# ---- passwords ----------------------------------------------------------------------------------


def sign_in_key(scope: str, username: str) -> str:
    return f"{scope}:{username.strip().lower()}"


@dataclass(frozen=True)
class SignInTicket:
    """An admitted attempt: its failure is counted in advance (so a burst of parallel guesses sees
    each other), and settled once the password was checked."""

    delay_s: float
    provisional: list[int]


async def admit_sign_in(
    db: Database, limits: AbuseLimits, account_key: str, address: str, now: datetime
) -> SignInTicket:
    """Refuse a throttled attempt (429); else count it as a failure until it is settled, and say how
    long to wait before checking the password. Locks: the account's key, then the address's (always in
    this order, so two attempts never wait on each other in a cycle)."""
    async with db.transaction() as tx:
        await tx.abuse.lock_key(f"sign-in:{account_key}")
        await tx.abuse.lock_key(f"sign-in-address:{address}")
        wait = await _longest_wait(tx, [("sign_in_failed_address", address, limits.sign_in_failures_per_address)], now)
        if wait is not None:
            raise SignInThrottled(
                f"Too many failed sign-ins from this address; try again in {math.ceil(wait)} s.",
                retry_after_s=wait,
            )
        delay = await _account_backoff(tx, limits, account_key, address, now)
        provisional = await tx.abuse.record_events_returning(
            now,
            ("sign_in_failed", account_key),
            ("sign_in_failed_address", address),
            ("sign_in_failed_pair", f"{account_key}|{address}"),
        )
    return SignInTicket(delay, provisional)


async def _account_backoff(tx: Tx, limits: AbuseLimits, account_key: str, address: str, now: datetime) -> float:
    since = now - timedelta(seconds=limits.sign_in_window_s)
    succeeded = await tx.abuse.recent_events("sign_in_ok", account_key, since, 1)
    since = max([since, *succeeded])
    failures = await tx.abuse.recent_events("sign_in_failed", account_key, since, limits.sign_in_free_failures + 40)
    backoff = limits.backoff_s(len(failures))
    wait = (failures[0] + timedelta(seconds=backoff) - now).total_seconds() if backoff else 0.0
    if wait <= 0:
        return 0.0
    if await tx.abuse.recent_events("sign_in_failed_pair", f"{account_key}|{address}", since, 1):
        raise SignInThrottled(
            f"Too many failed sign-ins for this account; try again in {math.ceil(wait)} s.",
            retry_after_s=wait,
        )
    return limits.sign_in_other_address_delay_s


async def settle_sign_in(
    db: Database, ticket: SignInTicket, account_key: str, *, outcome: bool | None, now: datetime
) -> None:
    """``outcome``: False, a wrong password (the failure stays counted); True, signed in (recorded, the
    failure withdrawn); None, neither (the password was right but the account may not sign in)."""
    if outcome is False:
        return
    async with db.transaction() as tx:
        await tx.abuse.forget_events(ticket.provisional)
        if outcome:
            await tx.abuse.record_events(now, ("sign_in_ok", account_key))


# ---- registrations ------------------------------------------------------------------------------


async def admit_registration(tx: Tx, limits: AbuseLimits, address: str, now: datetime, *, record: bool) -> None:
    """Refuse a registration from an address over its hourly cap; count it when ``record``."""
    if record:
        await tx.abuse.lock_key(f"register:{address}")
    wait = await _longest_wait(tx, [("registration_address", address, limits.registrations_per_address)], now)
    if wait is not None:
        raise RegistrationLimited(
            f"Too many registrations from this address; try again in {math.ceil(wait)} s.",
            retry_after_s=wait,
        )
    if record:
        await tx.abuse.record_events(now, ("registration_address", address))


async def check_mobile_cap(
    tx: Tx, limits: AbuseLimits, phone_lookup: bytes, *, account_id: uuid.UUID | None = None
) -> None:
    """BJ-9 (no fake users): one mobile number backs at most `accounts_per_mobile` active accounts."""
    await tx.abuse.lock_key(f"mobile:{phone_lookup.hex()}")
    others = await tx.accounts.active_accounts_on_number(phone_lookup, other_than=account_id)
    if others >= limits.accounts_per_mobile:
        raise MobileCapReached(
            f"This mobile number already backs {others} account(s); the cap is {limits.accounts_per_mobile}.",
            requirement="BJ-9",
        )


async def _longest_wait(tx: Tx, checks: list[tuple[str, str, Cap]], now: datetime) -> float | None:
    waits = []
    for kind, key, cap in checks:
        if cap.limit < 1:
            continue
        times = await tx.abuse.recent_events(kind, key, now - timedelta(seconds=cap.seconds), cap.limit)
        wait = cap.retry_after(times, now)
        if wait is not None and wait > 0:
            waits.append(wait)
    return max(waits, default=None)


def forget_loop(limits: AbuseLimits, interval_s: float):
    async def forget_old_throttle_events(runtime: Runtime) -> None:
        """Counted events older than the longest window count for nothing: delete them (and registrations'
        network hashes older than the cohort window)."""
        while True:
            horizon = datetime.now(UTC) - timedelta(seconds=limits.longest_window_s + 60)
            async with PgDatabase(runtime.pool).connection() as tx:
                await tx.abuse.forget_events_before(horizon)
                await tx.cohorts.forget_addresses_before(
                    datetime.now(UTC) - timedelta(seconds=limits.bulk_cohort_window_s + 60)
                )
            await asyncio.sleep(interval_s)  # a period, not synchronisation

    return forget_old_throttle_events


# ---- bulk registration cohorts (CM, BJ-9.2, BJ-7(7)) -----------------------------------------------


async def note_registration(
    tx: Tx, limits: AbuseLimits, vault: PersonalDataVault, account_id: uuid.UUID, address: str, now: datetime
) -> None:
    """Count a registration by its network (a keyed hash: the address never leaves identity). The
    BULK_COHORT_MIN-th registration within the window opens a cohort of every account of the window so
    far; while registrations keep coming within the window, each later one joins it. Each is announced
    (RegistrationCohortFlagged) so content discounts the members' reads; nothing is refused."""
    key = vault.lookup_hash(address_network(address), purpose=COHORT_ADDRESS)
    await tx.abuse.lock_key(_cohort_lock(key))
    await tx.cohorts.note_registration(account_id, key, now)
    since = now - timedelta(seconds=limits.bulk_cohort_window_s)
    open_ = await tx.cohorts.open_cohort(key, since)
    if open_ is not None:
        cohort_id, members = open_["id"], [account_id]
        if open_["cleared_at"] is not None:
            # Staff cleared the cohort (a campus or carrier NAT, say): a later member joins it, unflagged.
            await tx.cohorts.add_members(cohort_id, members, now)
            return
    else:
        members = await tx.cohorts.registered_since(key, since)
        if not cohort_opens(len(members), limits.bulk_cohort_min):
            return
        cohort_id = uuid.uuid4()
        await tx.cohorts.insert_cohort(cohort_id, key, now)
    size = await tx.cohorts.add_members(cohort_id, members, now)
    await tx.announce(events.registration_cohort_flagged(cohort_id, members, size=size, at=now))


def _cohort_lock(address_key: bytes) -> str:
    """One network's cohort: a registration joining it and its clearance never interleave."""
    return f"cohort:{address_key.hex()}"


async def cohorts(
    ports: IdentityPorts, *, status: CohortStatus | None, cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """Bulk registration cohorts for staff, newest first (CM, BJ-9.2); never their network."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    cleared = None if status is None else status is CohortStatus.CLEARED
    async with ports.db.connection() as tx:
        rows = await tx.cohorts.cohorts(cleared=cleared, after=after, limit=limit + 1)
    found = page(rows, limit, lambda r: (r["opened_at"], r["id"]))
    return found["items"], found["next_cursor"]


async def clear_cohort(ports: IdentityPorts, cohort_id: uuid.UUID, *, reason: str, by: str) -> Any:
    """Staff clear a flagged cohort (issue 13 §16 item 6: the /24-per-hour heuristic caught a campus or carrier
    NAT), with who, when and why recorded; 409 when it was cleared already. RegistrationCohortCleared names
    its members at that moment (under the network's lock, so none joins in between): content counts their
    reads again from now on. Whoever joins the cohort later is not flagged."""
    now = datetime.now(UTC)
    async with ports.db.transaction() as tx:
        cohort = await tx.cohorts.cohort(cohort_id)
        if cohort is None:
            raise NotFound("No such registration cohort.")
        await tx.abuse.lock_key(_cohort_lock(bytes(cohort["address_key"])))
        if not await tx.cohorts.clear(cohort_id, reason=reason, by=by, at=now):
            raise CohortAlreadyCleared("This registration cohort was cleared already.", requirement="CM")
        members = await tx.cohorts.members(cohort_id)
        await tx.announce(events.registration_cohort_cleared(cohort_id, members, at=now, legal_basis=COHORT_BASIS))
        return await tx.cohorts.cohort(cohort_id)
