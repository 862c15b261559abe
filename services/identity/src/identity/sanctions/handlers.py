"""Manual sanctions and appeals (PA-13.1, PA-13.2, PA-6.2, MB-6.1): one function per command, each owning
its transaction. The effects are the automatic sanctions' own: the sanction row, the closure and the
blacklisting with the regulator told (SubjectBlacklisted), the sessions ended (auth.revocation.v1), and
the standing announced (AccountStandingChanged) so content and moderation enforce it at once."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

import asyncpg
from kit.pagination import decode_cursor, page
from kit.problems import Conflict, NotFound

from identity import events
from identity.accounts.handlers import check_credentials, end_sessions
from identity.ports import IdentityPorts, Tx
from identity.sanctions.domain import (
    CLOSES,
    ENDS_SESSIONS,
    AppealState,
    ManualKind,
    TargetKind,
    check_appealable_entry,
    check_may_decide,
    check_may_impose,
    check_may_lift,
    check_open,
    check_within_window,
    imposer,
    in_force,
    terms,
)
from identity.standing.domain import CreditPolicy, Limit, SanctionKind
from identity.standing.handlers import announce_standing, close_and_blacklist, reverse_entry


async def impose(
    ports: IdentityPorts,
    account_id: uuid.UUID,
    *,
    kind: ManualKind,
    reason: str,
    legal_basis: list[str],
    duration_days: int | None,
    features: list[Limit],
    by: str,
    roles: Iterable[str],
) -> asyncpg.Record:
    """PA-13.1, PA-13.2: a sanction along the ladder, by role; the same effects as an automatic one."""
    check_may_impose(kind, roles)
    now = datetime.now(UTC)
    stored, restricted, ends_at = terms(kind, duration_days=duration_days, features=features, now=now)
    basis = list(dict.fromkeys(legal_basis))
    async with ports.db.transaction() as tx:
        account = await tx.accounts.by_id(account_id, for_update=True)
        if account is None or account["cancelled_at"] is not None:
            raise NotFound("No such account.")
        if account["closed_at"] is not None and stored is not SanctionKind.BLACKLIST:
            raise Conflict("This account is closed already.", requirement="PA-13.2")
        sanction_id = uuid.uuid4()
        await tx.sanctions.insert(
            sanction_id,
            account_id,
            kind=stored.value,
            features=[f.value for f in restricted],
            reason=reason,
            legal_basis=basis,
            starts_at=now,
            ends_at=ends_at,
            created_by=by,
        )
        if stored is SanctionKind.BLACKLIST:
            await close_and_blacklist(
                tx, account_id, reason=reason, basis=list(dict.fromkeys([*basis, "PA-13.2"])), by=by
            )
        elif stored is SanctionKind.CLOSE:
            await tx.standing.close(account_id)
        if stored in ENDS_SESSIONS:
            # PA-13.1: every session ends at once, everywhere (a suspended account may sign in again to read
            # and appeal; a closed one may not).
            await end_sessions(
                tx,
                account_id,
                at=now,
                token_ttl_s=ports.issuer.ttl_s,
                reason="account closed" if stored in CLOSES else "updates suspended",
                legal_basis=["PA-13.1", *(["PA-13.2"] if stored in CLOSES else [])],
            )
        await announce_standing(tx, ports.credit, account_id, cause="manual_sanction", basis=basis)
        sanction = await tx.sanctions.get(sanction_id)
        await tx.announce_all(events.sanction_announcements(sanction))  # PA-13: the regulator is told
        return sanction


async def _lift(
    tx: Tx, policy: CreditPolicy, sanction: asyncpg.Record, *, by: str, reason: str, basis: list[str]
) -> None:
    """Lift a sanction in force; a closure's or a blacklisting's lift reopens the account once no other is
    left in force, and lifts the blacklisting of its subject (kept on record, PA-13.2)."""
    now = datetime.now(UTC)
    account_id = sanction["account_id"]
    await tx.sanctions.lift(sanction["id"], by=by, reason=reason, at=now)
    await tx.announce_all(events.sanction_lift_announcements(await tx.sanctions.get(sanction["id"])))
    if sanction["kind"] in CLOSES and not await tx.sanctions.closing_in_force(account_id, now):
        await tx.sanctions.reopen(account_id)
        await tx.sanctions.lift_blacklisting(account_id, by=by, reason=reason, at=now)
    await announce_standing(tx, policy, account_id, cause="sanction_lifted", basis=basis)


async def lift(
    ports: IdentityPorts, sanction_id: uuid.UUID, *, reason: str, by: str, roles: Iterable[str]
) -> asyncpg.Record:
    async with ports.db.transaction() as tx:
        sanction = await tx.sanctions.get(sanction_id, for_update=True)
        if sanction is None:
            raise NotFound("No such sanction.")
        check_may_lift(SanctionKind(sanction["kind"]), roles)
        if not in_force(sanction, datetime.now(UTC)):
            raise Conflict("This sanction is no longer in force (lifted or ended).", requirement="PA-13.1")
        await _lift(tx, ports.credit, sanction, by=by, reason=reason, basis=["PA-13.1"])
        return await tx.sanctions.get(sanction_id)


async def sanctions_of(
    ports: IdentityPorts, account_id: uuid.UUID, *, cursor: str | None, limit: int
) -> tuple[list[asyncpg.Record], str | None]:
    """The account's sanctions, newest first (PA-13.1: visible to the account, with their legal basis)."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with ports.db.connection() as tx:
        rows = await tx.sanctions.of_account(account_id, after=after, limit=limit + 1)
    found = page(rows, limit, lambda r: (r["starts_at"], r["id"]))
    return found["items"], found["next_cursor"]


# ---- appeals (PA-6.2) --------------------------------------------------------------------------------


async def file_appeal(
    ports: IdentityPorts, account_id: uuid.UUID, *, target_kind: TargetKind, target_id: str, statement: str
) -> asyncpg.Record:
    """PA-6.2: one appeal per sanction or credit penalty of the account's own, within the window."""
    now = datetime.now(UTC)
    async with ports.db.transaction() as tx:
        sanction_id, entry_id = None, None
        if target_kind is TargetKind.SANCTION:
            sanction_key = _uuid(target_id)
            sanction = await tx.sanctions.get(sanction_key) if sanction_key else None
            if sanction is None or sanction["account_id"] != account_id:
                raise NotFound("No such sanction of yours.")
            if sanction["lifted_at"] is not None:
                raise Conflict("This sanction was lifted already.", requirement="PA-6.2")
            sanction_id, imposed_at = sanction["id"], sanction["starts_at"]
        else:
            entry = await tx.standing.entry_for_update(int(target_id)) if _row_id(target_id) else None
            if entry is None or entry["account_id"] != account_id:
                raise NotFound("No such credit entry of yours.")
            check_appealable_entry(entry)
            entry_id, imposed_at = entry["id"], entry["created_at"]
        check_within_window(imposed_at, ports.appeal_window, now)
        appeal_id = uuid.uuid4()
        filed = await tx.sanctions.file_appeal(
            appeal_id, account_id, sanction_id=sanction_id, credit_entry_id=entry_id, statement=statement, at=now
        )
        if not filed:
            raise Conflict(f"This {target_kind} was appealed already (one appeal each).", requirement="PA-6.2")
        return await tx.sanctions.appeal(appeal_id)


async def appeal_closure(ports: IdentityPorts, *, username: str, password: str, statement: str) -> asyncpg.Record:
    """PA-6.2, PA-13.1: a closed account cannot sign in, so its holder appeals the closure with the account's
    password instead of a token (the caller runs this under the sign-in limits): once, within the window, as
    any appeal. Unknown, cancelled and wrong-password requests get one answer, at one cost."""
    account = await check_credentials(ports, username, password)
    if account["closed_at"] is None:
        raise Conflict("This account is not closed: sign in and appeal from it.", requirement="PA-6.2")
    async with ports.db.connection() as tx:
        closure = await tx.sanctions.closing_sanction(account["id"])
    if closure is None:
        raise NotFound("No closure of this account to appeal.")
    return await file_appeal(
        ports, account["id"], target_kind=TargetKind.SANCTION, target_id=str(closure["id"]), statement=statement
    )


def _uuid(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def _row_id(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and 0 < int(raw) < 2**63


async def appeals_of(
    ports: IdentityPorts, account_id: uuid.UUID, *, cursor: str | None, limit: int
) -> tuple[list[asyncpg.Record], str | None]:
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with ports.db.connection() as tx:
        rows = await tx.sanctions.appeals_of(account_id, after=after, limit=limit + 1)
    found = page(rows, limit, lambda r: (r["filed_at"], r["id"]))
    return found["items"], found["next_cursor"]


async def appeals(
    ports: IdentityPorts, *, open_: bool, cursor: str | None, limit: int
) -> tuple[list[asyncpg.Record], str | None]:
    """Open (or decided) appeals, oldest first: the staff's queue."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with ports.db.connection() as tx:
        rows = await tx.sanctions.appeals(open_=open_, after=after, limit=limit + 1)
    found = page(rows, limit, lambda r: (r["filed_at"], r["id"]))
    return found["items"], found["next_cursor"]


async def decide_appeal(
    ports: IdentityPorts, appeal_id: uuid.UUID, *, upheld: bool, reason: str, by: str, roles: Iterable[str]
) -> asyncpg.Record:
    """PA-6.2, MB-6.1: decided by a senior reviewer or the chief editor who did not impose it. Upheld: the
    sanction is lifted (a closure's only by the chief editor) or the penalty reversed, and the standing
    announced (content tells the account of the change); dismissed: the appeal's state says so."""
    now = datetime.now(UTC)
    async with ports.db.transaction() as tx:
        appeal = await tx.sanctions.appeal(appeal_id, for_update=True)
        if appeal is None:
            raise NotFound("No such appeal.")
        check_open(appeal["state"])
        check_may_decide(imposer(appeal["imposed_by"]), by)
        if upheld and appeal["sanction_id"] is not None:
            sanction = await tx.sanctions.get(appeal["sanction_id"], for_update=True)
            check_may_lift(SanctionKind(sanction["kind"]), roles)
            if in_force(sanction, now):
                await _lift(
                    tx, ports.credit, sanction, by=by, reason=f"appeal upheld: {reason}", basis=["PA-6.2", "PA-13.1"]
                )
        elif upheld:
            await reverse_entry(tx, ports.credit, appeal["credit_entry_id"], by=by, note=f"appeal upheld: {reason}")
        await tx.sanctions.decide_appeal(
            appeal_id, state=AppealState.UPHELD if upheld else AppealState.DISMISSED, by=by, reason=reason, at=now
        )
        return await tx.sanctions.appeal(appeal_id)
