"""Policy commands (MB-6.1): lexicon and routing-rule changes approved by the chief editor, the rumour
registry (MB-11) and emergency modes (应急处置). Each owns its transaction; a change that commits is
announced in it, and reaches this process at once and the others by the event."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import asyncpg
from kit.pagination import decode_cursor, page
from kit.problems import Conflict, InvalidInput, NotFound
from kit.service import Runtime

from moderation.database import Database, Stores
from moderation.engine.decide import Policy
from moderation.engine.rumours import rumour_legal_basis, stored_form
from moderation.policy import events
from moderation.policy.holder import PolicyHolder


def _page(rows: list, limit: int, keys: Callable) -> tuple[list, str | None]:
    shown = page(rows, limit, keys)
    return shown["items"], shown["next_cursor"]


async def lexicon_in_force(db: Database, holder: PolicyHolder) -> tuple[Policy, asyncpg.Record]:
    """The policy as committed (this process catches up first) and the release it comes from."""
    policy = await holder.latest(db.pool)
    return policy, await db.reader().policy.release_info()


# --- policy changes ------------------------------------------------------------------------------


async def propose_change(
    db: Database, *, kind: str, changes: dict[str, Any], removes: list[int], reason: str, by: str
) -> asyncpg.Record:
    """Nothing changes until the chief editor approves (MB-6.1)."""
    async with db.transaction() as stores:
        if removes:
            missing = set(removes) - await stores.policy.live_entry_ids(removes)
            if missing:
                raise InvalidInput(f"No live lexicon entries with ids {sorted(missing)}.")
        return await stores.policy.insert_change(kind=kind, changes=changes, reason=reason, proposed_by=by)


async def list_changes(
    db: Database, *, status: str | None, cursor: str | None, limit: int
) -> tuple[list[asyncpg.Record], str | None]:
    """Newest first (MB-6.1: the policy's history), one page."""
    before = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    rows = await db.reader().policy.changes(status, before=before, limit=limit + 1)
    return _page(rows, limit, lambda r: (r["proposed_at"], r["id"]))


async def list_entries(
    db: Database, *, category: str | None, cursor: str | None, limit: int
) -> tuple[list[asyncpg.Record], str | None]:
    """Live lexicon entries, by id."""
    (after,) = decode_cursor(cursor, int) if cursor else (0,)
    rows = await db.reader().policy.entries_page(category=category, after=after, limit=limit + 1)
    return _page(rows, limit, lambda r: (r["id"],))


async def read_change(db: Database, change_id: uuid.UUID) -> asyncpg.Record:
    row = await db.reader().policy.change(change_id)
    if row is None:
        raise NotFound("No such policy change.")
    return row


async def decide_change(
    db: Database, holder: PolicyHolder, change_id: uuid.UUID, *, approve: bool, note: str, by: str
) -> asyncpg.Record:
    """The chief editor approves or rejects a proposed change (MB-6.1). An approved change is the
    next release."""
    async with db.transaction() as stores:
        row = await stores.policy.change(change_id, for_update=True)
        if row is None:
            raise NotFound("No such policy change.")
        if row["status"] != "proposed":
            raise Conflict(f"This change was {row['status']} already.", requirement="MB-6.1")
        if approve:
            release = await stores.policy.release(row, approved_by=by, note=note)
            await stores.announce(
                events.policy_published(kind=row["kind"], version=str(release), by=by, basis=["MB-6.1"])
            )
        else:
            await stores.policy.reject(change_id, rejected_by=by, note=note)
        row = await stores.policy.change(change_id)
    if approve:
        await holder.refresh(db.pool)  # this process at once; the others by the event
    return row


# --- rumours (MB-11) -------------------------------------------------------------------------------


async def register_rumour(
    db: Database,
    holder: PolicyHolder,
    *,
    canonical_text: str,
    refutation_text: str,
    refutation_url: str,
    authority: str,
    action: str,
    legal_basis: list[str],
    reason: str,
    by: str,
) -> asyncpg.Record:
    """New posts spreading it are labelled (or stopped); the posts published before it are searched
    in the background (its `scan_status`)."""
    if not stored_form(holder.folder, canonical_text):
        raise InvalidInput("The canonical text has nothing to match once folded.", requirement="MB-11")
    async with db.transaction() as stores:
        row = await stores.policy.insert_rumour(
            id=uuid.uuid4(),
            canonical_text=canonical_text,
            refutation_text=refutation_text,
            refutation_url=refutation_url,
            authority=authority,
            action=action,
            legal_basis=rumour_legal_basis(legal_basis),
            reason=reason,
            registered_by=by,
        )
        await stores.announce(events.policy_published(kind="rumours", version=str(row["seq"]), by=by, basis=["MB-11"]))
    await holder.refresh(db.pool)
    return row


async def list_rumours(db: Database, *, cursor: str | None, limit: int) -> tuple[list[asyncpg.Record], str | None]:
    """In the order they were registered."""
    (after,) = decode_cursor(cursor, int) if cursor else (0,)
    rows = await db.reader().policy.rumours_page(after=after, limit=limit + 1)
    return _page(rows, limit, lambda r: (r["seq"],))


async def read_rumour(db: Database, rumour_id: uuid.UUID) -> asyncpg.Record:
    row = await db.reader().policy.rumour(rumour_id)
    if row is None:
        raise NotFound("No such rumour.")
    return row


# --- emergency modes (MB-6.1 应急处置) --------------------------------------------------------------


async def start_emergency(
    db: Database, holder: PolicyHolder, *, scope: str, value: str, reason: str, by: str
) -> asyncpg.Record:
    """Hold every new post in scope (the platform, a topic, a province) for review until ended."""
    async with db.transaction() as stores:
        row = await stores.policy.start_emergency(scope=scope, value=value.strip(), reason=reason, by=by)
        await stores.announce(
            events.policy_published(kind="emergencies", version=str(row["seq"]), by=by, basis=["MB-6.1"])
        )
    await holder.refresh(db.pool)
    return row


async def list_emergencies(db: Database, *, cursor: str | None, limit: int) -> tuple[list[asyncpg.Record], str | None]:
    """The emergency modes in force, in the order they started."""
    (after,) = decode_cursor(cursor, int) if cursor else (0,)
    rows = await db.reader().policy.emergencies_page(after=after, limit=limit + 1)
    return _page(rows, limit, lambda r: (r["seq"],))


async def end_emergency(db: Database, holder: PolicyHolder, emergency_id: uuid.UUID, *, by: str) -> asyncpg.Record:
    async with db.transaction() as stores:
        row = await stores.policy.end_emergency(emergency_id, by=by)
        if row is None:
            raise NotFound("No such emergency mode in force.")
        await stores.announce(
            events.policy_published(kind="emergencies", version=str(row["seq"]), by=by, basis=["MB-6.1"])
        )
    await holder.refresh(db.pool)
    return row


# --- every process holds the policy in force ------------------------------------------------------


def policy_published(holder: PolicyHolder) -> Callable[[Stores], Awaitable[None]]:
    async def reload_policy(stores: Stores) -> None:
        """MB-6.1: an approved change reaches this process without a restart."""
        await holder.refresh(stores.conn)

    return reload_policy


def refresh_policy_loop(holder: PolicyHolder) -> Callable[[Runtime], Awaitable[None]]:
    async def refresh_policy(runtime: Runtime) -> None:
        """Reconciler: a policy announcement a broker lost still reaches this process."""
        await holder.refresh(runtime.pool)
        while True:
            await asyncio.sleep(holder.settings.policy_refresh_interval_s)  # a period, not synchronisation
            await holder.refresh(runtime.pool)

    return refresh_policy
