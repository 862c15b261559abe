"""Subscriptions and inflation-proof reads on a real PostgreSQL (MB-2, MB-9, PA-7.2, CM, MB-12.2):
subscribing is following a public account; a read counts once per reader per Beijing day, the account's
own reads not at all, bulk cohorts' reads weigh 0 (retroactively); the aggregator adds reads to the
counts and announces each account's (ReadCountChanged)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from content.posts.domain import UnavailableForLegalReasons
from content.reads import handlers as reads
from content.reads.domain import CohortCleared, CohortFlagged
from content.social import handlers as social
from content.social.domain import NoSuchPublicAccount, NotAManager
from contracts import content
from kit.auth import Principal
from kit.problems import NotFound
from qinglang.content.v1 import social_pb2

from .conftest import author
from .test_articles import acting, approved_account, draft_and_publish


def reader(**claims: object) -> Principal:
    """A signed-in reader (no real name needed to read), registered long ago."""
    return author(rnv=False, reg=int((datetime.now(UTC) - timedelta(days=30)).timestamp()), **claims)


async def aggregate(db, settings) -> None:
    async with db.transaction() as stores:
        while await reads.aggregate(stores, settings):
            pass
        await reads.announce(stores, settings)


async def counts(db, article_id) -> tuple[int, int]:
    row = await db.reader().reads.counts(article_id)
    return (row["reads"], row["flagged_reads"]) if row else (0, 0)


async def announced_reads(pool, account_id) -> list[tuple[int, int, int]]:
    rows = await pool.fetch(
        "SELECT payload FROM outbox_event WHERE ce_type = $1 AND partition_key = $2 ORDER BY id",
        content.READ_COUNT_CHANGED.name,
        str(account_id),
    )
    messages = [social_pb2.ReadCountChanged.FromString(r["payload"]) for r in rows]
    return [(m.reads, m.flagged_reads, m.version) for m in messages]


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"read_announce_interval_s": 0.001})


@pytest.mark.requirement("MB-2")
async def test_subscribing_moves_the_count_and_only_operators_see_subscribers(db, posting) -> None:
    account = await approved_account(db)
    fan, other = reader(), reader()
    assert await social.subscribe(db, fan, account) is True
    assert await social.subscribe(db, fan, account) is False
    seen = await social.subscription(db, account, fan)
    assert (seen.subscribers, seen.subscribed) == (1, True)
    assert (await social.subscription(db, account, None)).subscribed is False

    listed = await social.subscribers(db, acting(account), account, None, 10)
    assert [s.account_id for s in listed["items"]] == [fan.subject]
    with pytest.raises(NotAManager):
        await social.subscribers(db, other, account, None, 10)
    with pytest.raises(NotAManager):  # another account's acting token
        await social.subscribers(db, acting(uuid.uuid4()), account, None, 10)
    mine = await social.subscriptions(db, fan, None, 10)
    assert [(s.public_account_id, s.label) for s in mine["items"]] == [(str(account), "媒体")]

    await social.unsubscribe(db, fan, account)
    assert (await social.subscription(db, account, fan)).subscribers == 0
    with pytest.raises(NoSuchPublicAccount):  # an ordinary user is no public account
        await social.subscribe(db, fan, uuid.UUID(other.subject))


@pytest.mark.requirement("MB-9")
async def test_a_reader_counts_once_a_day_and_own_reads_not_at_all(db, pool, settings, posting) -> None:
    account = await approved_account(db)
    article = await draft_and_publish(db, settings, acting(account))
    await posting.approve(article)
    me = reader()
    assert await reads.record_read(db, settings, me, article) is True
    for _ in range(9):
        assert await reads.record_read(db, settings, me, article) is False
    assert await reads.record_read(db, settings, acting(account), article) is False  # an operator
    owner = await pool.fetchval("SELECT owner_account_id FROM public_account WHERE account_id = $1", account)
    assert await reads.record_read(db, settings, Principal(str(owner), {"rnv": True}), article) is False
    await aggregate(db, settings)
    assert await counts(db, article) == (1, 0)
    assert await announced_reads(pool, account) == [(1, 0, 1)]
    # A new account's read is stored but weighs nothing (CM).
    newcomer = author(reg=int(datetime.now(UTC).timestamp()))
    assert await reads.record_read(db, settings, newcomer, article) is True
    await aggregate(db, settings)
    assert await counts(db, article) == (1, 1)
    assert await announced_reads(pool, account) == [(1, 0, 1), (1, 1, 2)]


@pytest.mark.requirement("CM")
async def test_a_bulk_cohorts_reads_are_discounted_earlier_ones_included(db, settings, posting) -> None:
    account = await approved_account(db)
    article = await draft_and_publish(db, settings, acting(account))
    await posting.approve(article)
    cohort = [reader() for _ in range(6)]
    for member in cohort[:4]:
        await reads.record_read(db, settings, member, article)
    await aggregate(db, settings)
    assert await counts(db, article) == (4, 0)
    async with db.transaction() as stores:
        await reads.note_cohort(
            stores, CohortFlagged(uuid.uuid4(), tuple(uuid.UUID(m.subject) for m in cohort), datetime.now(UTC))
        )
    for member in cohort[4:]:
        await reads.record_read(db, settings, member, article)
    await aggregate(db, settings)
    assert await counts(db, article) == (0, 6)  # retroactive: the first four no longer count
    row = await db.reader().reads.account_counts(account)
    assert (row["reads"], row["flagged_reads"]) == (0, 6)
    staff_view = await reads.article_reads(db, article)
    assert staff_view.flagged_by_reason == {"bulk_registration": 6}


@pytest.mark.requirement("CM")
@pytest.mark.requirement("BJ-9.2")
async def test_a_cleared_cohorts_reads_count_again_and_its_flagged_ones_stay_flagged(db, settings, posting) -> None:
    first = await draft_and_publish(db, settings, acting(await approved_account(db)))
    second = await draft_and_publish(db, settings, acting(await approved_account(db)))
    for article in (first, second):
        await posting.approve(article)
    members = [reader() for _ in range(3)]
    ids, cohort_id = tuple(uuid.UUID(m.subject) for m in members), uuid.uuid4()
    async with db.transaction() as stores:
        await reads.note_cohort(stores, CohortFlagged(cohort_id, ids, datetime.now(UTC)))
    for member in members:
        await reads.record_read(db, settings, member, first)
    await aggregate(db, settings)
    assert await counts(db, first) == (0, 3)
    for _ in range(2):  # a repeated clearance changes nothing more
        async with db.transaction() as stores:
            await reads.clear_cohort(stores, CohortCleared(cohort_id, ids, datetime.now(UTC)))
    for member in members:
        await reads.record_read(db, settings, member, second)
    await aggregate(db, settings)
    assert await counts(db, second) == (3, 0)  # their reads count from the clearance on
    assert await counts(db, first) == (0, 3)  # not retroactive: the flagged reads stay flagged


@pytest.mark.requirement("MB-9")
async def test_a_readers_daily_cap(db, settings, posting) -> None:
    capped = settings.model_copy(update={"reads_counted_per_reader_per_day": 2})
    articles = []
    for _ in range(3):  # one a day each (the grade's quota): three accounts
        article = await draft_and_publish(db, settings, acting(await approved_account(db)))
        await posting.approve(article)
        articles.append(article)
    me = reader()
    for article in articles:
        await reads.record_read(db, capped, me, article)
    await aggregate(db, capped)
    assert [await counts(db, a) for a in articles] == [(1, 0), (1, 0), (0, 1)]


@pytest.mark.requirement("MB-12.2")
async def test_a_beacon_for_an_article_the_reader_may_not_see_is_refused(db, settings, posting) -> None:
    account = await approved_account(db)
    pending = await draft_and_publish(db, settings, acting(account))
    with pytest.raises(NotFound):  # under review: only its account sees it
        await reads.record_read(db, settings, reader(), pending)
    with pytest.raises(NotFound):
        await reads.record_read(db, settings, reader(), uuid.uuid4())
    stopped = await draft_and_publish(db, settings, acting(await approved_account(db)))
    await posting.stop(stopped)
    with pytest.raises(UnavailableForLegalReasons):
        await reads.record_read(db, settings, reader(), stopped)
    await aggregate(db, settings)
    assert await counts(db, stopped) == (0, 0)
