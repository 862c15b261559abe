"""The archive's commands, each owning its transaction (MB-16.2, PA-16.2): entries appended to the chain
(from the consumer's transaction), days closed by their signed anchors, whole days purged past retention,
the chain verified, and the regulators' queries answered within their jurisdiction and recorded (MB-16.1)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

import asyncpg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from kit.bus import BatchHandler
from kit.cloudevents import Event
from kit.service import Runtime

from regulator_gateway.archive import domain, events
from regulator_gateway.archive.domain import (
    LEGAL_BASIS,
    AddressKeys,
    Anchor,
    ChainStart,
    ChainVerifier,
    Entry,
    LogQuery,
    Record,
    RecordedQuery,
    Verification,
)
from regulator_gateway.archive.store import ArchiveStore, PgArchiveStore
from regulator_gateway.complaints.domain import province_of
from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.offices.domain import Office
from regulator_gateway.settings import RegulatorGatewaySettings

log = logging.getLogger(__name__)


async def append(store: ArchiveStore, entries: Sequence[Entry], keys: AddressKeys, now: datetime | None = None) -> int:
    """MB-16.2: the entries as the next records of the chain, in the caller's transaction; an entry archived
    before (a redelivery) adds nothing. Addresses are opened and hashed before the chain's lock is taken."""
    if not entries:
        return 0
    hashes = {e.record_id: keys.lookup_hash_of_sealed(e.sealed_address) for e in entries}
    await store.lock()
    head, archived = await store.head([e.record_id for e in entries])
    fresh = domain.new_entries(entries, archived)
    if not fresh:
        return 0
    records = domain.chain(head, [(e, hashes[e.record_id]) for e in fresh], now or datetime.now(UTC))
    await store.insert(records)
    return len(records)


async def close_days(
    db: Database[ArchiveStore], key: Ed25519PrivateKey, *, grace: timedelta, now: datetime | None = None
) -> list[Anchor]:
    """MB-16.2: every day that ended more than ``grace`` ago gets its signed anchor (the chain's head at its
    end, linked to the day before's), in order; a day without records too, once the chain has begun."""
    now = now or datetime.now(UTC)
    async with db.transaction() as store:
        await store.lock()
        previous = await store.last_anchor()
        first_day = None if previous else await store.first_record_day()
        anchors = []
        for day in domain.days_to_close(previous.day if previous else None, first_day, now, grace):
            anchor = domain.sign_anchor(key, await store.day_tally(day), previous, now)
            await store.insert_anchor(anchor)
            anchors.append(anchor)
            previous = anchor
    for anchor in anchors:
        log.info("user-log day anchored", extra={"day": anchor.day.isoformat(), "records": anchor.count})
    return anchors


async def purge(
    db: Database[ArchiveStore], *, retention_days: int, now: datetime | None = None
) -> list[tuple[date, int]]:
    """MB-16.2: the records of whole anchored days past retention go, a day per transaction, each purge
    recorded; the anchors stay, so the chain still verifies from the last purged day's anchor."""
    before = domain.purgeable_before(now or datetime.now(UTC), retention_days)
    async with db.transaction() as store:
        days = await store.purgeable_days(before)
    purged = []
    for day in days:
        async with db.transaction() as store:
            await store.lock()
            purged.append((day, await store.purge_day(day, LEGAL_BASIS)))
        log.info("user-log day purged past retention", extra={"day": day.isoformat(), "records": purged[-1][1]})
    return purged


async def verify(
    db: Database[ArchiveStore],
    public_keys: Mapping[str, Ed25519PublicKey],
    *,
    since: date | None,
    until: date | None,
    now: datetime | None = None,
) -> Verification:
    """MB-16.2: the chain of the days ``since``..``until`` (default: all that is kept .. today) recomputed
    record by record, streamed, against the days' signed anchors; the first break named. It starts from the
    anchor of the day before (the last purged day's, after a purge): a purge is honoured only for days past
    the six months the law requires (``domain.verification_start``), so nothing younger can be made to vanish
    as 'purged', and a retention raised after a purge does not turn the days it took into missing ones."""
    now = now or datetime.now(UTC)
    since, until = domain.day_range(since, until, now.date())
    async with db.snapshot() as store:
        since = domain.verification_start(since, await store.last_purged_day(), now)
        anchor = await store.anchor_before(since) if since > date.min else None
        start = ChainStart.after(anchor) if anchor else ChainStart.genesis()
        verifier = ChainVerifier(
            start,
            await store.anchors(anchor.day if anchor else None, until),
            public_keys,
            Verification(anchor.day + timedelta(days=1) if anchor else since, until),
        )
        async for record in store.records_from(start.next_seq, until):
            if verifier.result.since == date.min:
                verifier.result.since = record.day
            verifier.feed(record)
            if verifier.broken:
                break
        result = verifier.finish()
    if result.since == date.min:
        result.since = until
    log.info("user-log archive verified", extra={"records": result.records, "anchors": result.anchors, "ok": result.ok})
    return result


async def query_logs(
    db: Database[ArchiveStore],
    office: Office,
    *,
    account_id: uuid.UUID | None,
    address_hash: bytes | None,
    since: datetime | None,
    until: datetime | None,
    after_seq: int | None,
    limit: int,
) -> list[Record]:
    """MB-16.2, MB-16.1: the office's jurisdiction's records matching the filter, up to ``limit`` + 1 (the
    extra one says there is a next page); the query, with the rows it showed, recorded in its transaction."""
    query = LogQuery(province_of(office), account_id, address_hash, since, until, after_seq, limit + 1)
    async with db.transaction() as store:
        found = await store.query(query)
        await store.record_query(office.id, query, min(len(found), limit))
    return found


async def recorded_queries(
    db: Database[ArchiveStore], office: Office, *, before_id: int | None, limit: int
) -> list[RecordedQuery]:
    async with db.transaction() as store:
        return await store.queries(office.id, before_id, limit)


async def anchors(db: Database[ArchiveStore], *, since: date | None, until: date | None) -> list[Anchor]:
    """The signed anchors of the days ``since``..``until`` (either open), for the regulator to keep."""
    after = since - timedelta(days=1) if since and since > date.min else None
    async with db.transaction() as store:
        return await store.anchors(after, until or date.max)


async def anchor_days(runtime: Runtime) -> None:
    """Loop (MB-16.2): each UTC day is closed by its signed anchor ``ARCHIVE_ANCHOR_GRACE_S`` after it ended."""
    settings: RegulatorGatewaySettings = runtime.settings  # type: ignore[assignment]
    db = PgDatabase(runtime.pool, PgArchiveStore)
    key, grace = settings.archive_signer(), timedelta(seconds=settings.archive_anchor_grace_s)
    async for _round in runtime.reconcile_periods(settings.archive_anchor_interval_s):
        await close_days(db, key, grace=grace)


async def purge_past_retention(runtime: Runtime) -> None:
    """Loop (MB-16.2): whole days past ``ARCHIVE_RETENTION_DAYS`` purged, every ``ARCHIVE_PURGE_INTERVAL_S``."""
    settings: RegulatorGatewaySettings = runtime.settings  # type: ignore[assignment]
    db = PgDatabase(runtime.pool, PgArchiveStore)
    async for _round in runtime.reconcile_periods(settings.archive_purge_interval_s):
        await purge(db, retention_days=settings.archive_retention_days)


def on_entries(keys: AddressKeys) -> BatchHandler:
    """The consumer's batch handler: the batch's entries appended in its transaction (with the inbox rows)."""

    async def on_user_log(conn: asyncpg.Connection, batch: list[Event]) -> None:
        await append(PgArchiveStore(conn), [events.entry(e) for e in batch], keys)

    return on_user_log
