"""Offices' commands, one function each, owning its transaction: an office created, its keys rotated, revoked
and listed (operator commands); every request authenticated by its key and counted against the office's rate
limit; every access recorded and read back (MB-16.1, MB-3)."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from kit.service import Runtime

from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.offices import domain
from regulator_gateway.offices.domain import Access, AccessQuery, Caller, Office, OfficeKey
from regulator_gateway.offices.store import OfficeStore, PgOfficeStore

log = logging.getLogger(__name__)


async def create_office(db: Database[OfficeStore], *, name: str, jurisdiction: str) -> tuple[Office, str]:
    """A new office and its API key, shown only this once (only its SHA-256 is stored)."""
    office = Office(uuid.uuid4(), name, domain.check_jurisdiction(jurisdiction))
    api_key = domain.new_api_key()
    async with db.transaction() as store:
        await store.insert_office(office)
        await store.insert_key(office.id, domain.key_id(api_key), domain.key_hash(api_key))
    return office, api_key


async def rotate_key(
    db: Database[OfficeStore], office_id: uuid.UUID, *, overlap_hours: float, now: datetime
) -> tuple[OfficeKey, str, list[OfficeKey]]:
    """MB-16.1: a new key for the office (shown only this once); its other live keys keep working for the
    overlap, then stop. The new key, the key itself and the keys it replaces."""
    until = domain.overlap_end(now, overlap_hours)
    api_key = domain.new_api_key()
    async with db.transaction() as store:
        if await store.office(office_id) is None:
            raise domain.OfficeNotFound("No such office.")
        new = await store.insert_key(office_id, domain.key_id(api_key), domain.key_hash(api_key))
        replaced = await store.expire_keys(office_id, until, sparing=new.id)
    return new, api_key, replaced


async def revoke_key(db: Database[OfficeStore], office_id: uuid.UUID, key_id: str | None) -> list[OfficeKey]:
    """MB-16.1: the key (every live key of the office: None) stops working at once."""
    async with db.transaction() as store:
        if await store.office(office_id) is None:
            raise domain.OfficeNotFound("No such office.")
        revoked = await store.revoke_keys(office_id, key_id)
    if key_id is not None and not revoked:
        raise domain.KeyNotFound("The office has no live key with this id.")
    return revoked


async def list_keys(db: Database[OfficeStore], office_id: uuid.UUID) -> list[OfficeKey]:
    async with db.transaction() as store:
        if await store.office(office_id) is None:
            raise domain.OfficeNotFound("No such office.")
        return await store.keys(office_id)


async def authenticate(db: Database[OfficeStore], api_key: str | None) -> Caller:
    """MB-16.1: the office holding this live key (one read); an expired or revoked key is an unknown one."""
    if api_key is None:
        raise domain.MissingApiKey("Send the office's API key: 'Authorization: Bearer qlr_...'.")
    store = db.reader()
    caller = await store.caller_by_key(domain.key_hash(api_key))
    if caller is None:
        raise domain.UnknownApiKey("Unknown, expired or revoked API key.")
    return caller


async def count_request(db: Database[OfficeStore], caller: Caller, *, per_minute: int) -> None:
    """MB-16.1, MB-3: one UPSERT of the office's counter for this minute, committing on its own (the row is
    locked only for it), so the limit holds across every process; over the limit, a 429."""
    requests, window_start, now = await db.reader().count_request(caller.office.id)
    domain.check_rate(requests, window_start, now, per_minute)


async def record_access(db: Database[OfficeStore], access: Access) -> None:
    """MB-16.1: one INSERT, outside any transaction (the answer's status is known only now)."""
    await db.reader().record_access(access)


async def list_accesses(
    db: Database[OfficeStore],
    office_id: uuid.UUID | None,
    *,
    since: datetime | None,
    until: datetime | None,
    after: tuple[datetime, int] | None,
    limit: int,
) -> list[Access]:
    """An office's own access record (or every office's, for staff auditors: None), oldest first."""
    async with db.transaction() as store:
        return await store.accesses(AccessQuery(office_id, since, until, after, limit))


async def prune_rate_windows(runtime: Runtime) -> None:
    """Worker loop: the rate windows of past minutes are dropped (each request touches only its minute's)."""
    db = PgDatabase(runtime.pool, PgOfficeStore)
    async for _round in runtime.reconcile_periods(60.0):
        pruned = await db.reader().prune_rate_windows()
        if pruned:
            log.info("pruned office rate windows", extra={"count": pruned})
