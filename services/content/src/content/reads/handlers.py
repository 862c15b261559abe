"""Article reads (MB-9, PA-7.2, CM): the beacon, the aggregator that adds reads to the counts and
announces each public account's count, identity's bulk cohorts, and the purge of reader ids (MB-16.2)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from kit.auth import Principal
from kit.db import transaction
from kit.problems import NotFound
from kit.service import Runtime

from content.database import Database, Stores
from content.reads import events
from content.reads.domain import (
    ClaimedRead,
    CohortCleared,
    CohortFlagged,
    beijing_day,
    check_readable,
    count_deltas,
    first_weight,
    own_read,
    weigh,
)
from content.reads.schemas import ArticleReadsRead
from content.settings import ContentSettings

log = logging.getLogger(__name__)


async def record_read(db: Database, settings: ContentSettings, principal: Principal, article_id: uuid.UUID) -> bool:
    """A read beacon: refused unless the reader may see the article (404/410/451, MB-12.2); stored once
    per reader per Beijing day; the account's own reads are not stored. True when a read was stored."""
    now = datetime.now(UTC)
    reader_id = uuid.UUID(principal.subject)
    weight, flag = first_weight(principal.access.registered_at, now, min_age_h=settings.read_min_account_age_h)
    row = await db.reader().reads.record(
        article_id=article_id,
        reader_id=reader_id,
        day=beijing_day(now),
        at=now,
        weight=weight,
        flag=flag,
        countable=principal.access.actor is None,
    )
    check_readable(row)
    assert row is not None
    if own_read(reader_id, principal.access.actor, row["author_id"], row["owner_id"]):
        return False
    return bool(row["recorded"])


async def aggregate(stores: Stores, settings: ContentSettings, *, now: datetime | None = None) -> int:
    """One aggregator round (in the caller's transaction): readers flagged since the last round are
    discounted retroactively; then up to a batch of uncounted reads get their final weights and are
    added to the article's and the account's counts. How many reads it counted."""
    now = now or datetime.now(UTC)
    await stores.reads.lock_aggregator()
    since = beijing_day(now) - timedelta(days=settings.read_reflag_days)
    discounted = await stores.reads.reweight_flagged(since)
    if discounted:
        await _add(stores, discounted, discounted=True)
    claimed = await stores.reads.claim_uncounted(settings.read_aggregate_batch)
    if not claimed:
        return 0
    keys = sorted({(r.reader_id, r.day) for r in claimed})
    weighed = weigh(claimed, await stores.reads.counted_today(keys), cap=settings.reads_counted_per_reader_per_day)
    await stores.reads.mark_counted(weighed)
    await _add(stores, weighed)
    return len(weighed)


async def _add(stores: Stores, reads: Sequence[ClaimedRead], *, discounted: bool = False) -> None:
    accounts = {r.article_id: r.account_id for r in reads}
    per_article = count_deltas(reads, "article_id", discounted=discounted)
    await stores.reads.add_to_articles({a: (accounts[a], d) for a, d in per_article.items()})
    await stores.reads.add_to_accounts(count_deltas(reads, "account_id", discounted=discounted))


async def note_cohort(stores: Stores, cohort: CohortFlagged) -> None:
    """CM, BJ-9.2: identity flagged accounts registered in bulk: their reads weigh 0 from now on, and
    the aggregator discounts their reads of the last READ_REFLAG_DAYS. Idempotent."""
    await stores.reads.flag_readers(cohort.cohort_id, sorted(cohort.account_ids), cohort.flagged_at)


async def clear_cohort(stores: Stores, cohort: CohortCleared) -> None:
    """CM, BJ-9.2: staff cleared the cohort (a campus or carrier NAT, say): its members' flags go, so their
    reads from now on count (and they count on the trending list again). Reads already stored or counted
    with the flag stay flagged: the clearance is not retroactive. Idempotent."""
    await stores.reads.unflag_readers(cohort.cohort_id, sorted(cohort.account_ids))


async def announce(stores: Stores, settings: ContentSettings, *, limit: int = 500) -> int:
    """Announce the read counts that changed (ReadCountChanged, version+1), at most every
    READ_ANNOUNCE_INTERVAL_S per account. How many it announced."""
    counts = await stores.reads.claim_announcements(every_s=settings.read_announce_interval_s, limit=limit)
    await stores.announce_all([events.read_count_changed(c) for c in counts])
    return len(counts)


async def aggregate_reads(runtime: Runtime) -> None:
    """Worker loop (MB-9): every READ_AGGREGATE_INTERVAL_S, count what was read (batch after batch while
    there is more), then announce the counts that changed. After a broker loss, the counts announced
    meanwhile go again (identity takes newer versions only)."""
    settings: ContentSettings = runtime.settings  # type: ignore[assignment]
    async for round_ in runtime.reconcile_periods(settings.read_aggregate_interval_s):
        while True:
            async with transaction(runtime.pool) as conn:
                counted = await aggregate(Stores(conn), settings)
            if counted < settings.read_aggregate_batch:
                break
        async with transaction(runtime.pool) as conn:
            stores = Stores(conn)
            await announce(stores, settings)
            if round_.lost_at is not None:
                again = await stores.reads.claim_reannouncements(
                    announced_since_s=round_.older_than_s + 1, limit=10_000
                )
                await stores.announce_all([events.read_count_changed(c) for c in again])


async def purge_reads(runtime: Runtime) -> None:
    """MB-16.2: reader ids are user log data: reads older than READS_RETENTION_DAYS go (counts stay)."""
    settings: ContentSettings = runtime.settings  # type: ignore[assignment]
    async for _round in runtime.reconcile_periods(settings.purge_interval_s):
        before = beijing_day(datetime.now(UTC)) - timedelta(days=settings.reads_retention_days)
        async with transaction(runtime.pool) as conn:
            purged = await Stores(conn).reads.purge(before)
        if purged:
            log.info("purged article reads past retention", extra={"count": purged})


async def article_reads(db: Database, article_id: uuid.UUID) -> ArticleReadsRead:
    """Staff (MB-9, CM): an article's counts and its discounted reads by reason."""
    async with db.snapshot() as stores:
        row = await stores.reads.counts(article_id)
        if row is None:
            raise NotFound("No read of this article was counted yet.")
        by_reason = await stores.reads.flagged_by_reason(article_id)
    return ArticleReadsRead(
        article_id=str(article_id),
        account_id=str(row["account_id"]),
        reads=row["reads"],
        flagged_reads=row["flagged_reads"],
        flagged_by_reason=by_reason,
    )
