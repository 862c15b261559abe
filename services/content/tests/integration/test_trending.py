"""The trending list on a real PostgreSQL (MB-13, CM, MB-12.2): terms of published posts, minimum
authors, discounted accounts, staff removals, and a stop taking an entry off at once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from content.gates import handlers as gates
from content.gates.domain import AssessmentAcknowledged, FeatureNotAssessed
from content.posts.domain import PostKind, Privileges, Published, StandingChanged
from content.posts.handlers import note_standing
from content.trending import handlers
from content.trending.schemas import TrendingRemovalCreate
from contracts.features import GatedFeature
from kit.auth import Principal


def published(post_id: uuid.UUID, author: Principal) -> Published:
    now = datetime.now(UTC)
    return Published(post_id, uuid.UUID(author.subject), PostKind.POST, None, None, None, now, now)


async def post_term(db, posting, term: str, n: int, *, text: str | None = None) -> list[uuid.UUID]:
    """``n`` accounts each publish a post with the term; the published batch becomes signals."""
    authors = [posting.author() for _ in range(n)]
    ids = [await posting.publish(a, text or f"说说 #{term}# 第{i}条") for i, a in enumerate(authors)]
    async with db.transaction() as stores:
        await handlers.note_published(stores, [published(p, a) for p, a in zip(ids, authors, strict=True)])
    return ids


async def recompute(db, settings) -> None:
    async with db.transaction() as stores:
        await handlers.recompute(stores, settings)


async def listed(db, settings) -> list[str]:
    return [e.term for e in (await handlers.trending(db, settings)).items]


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"trending_min_authors": 3, "trending_min_account_age_h": 0})


@pytest.mark.requirement("MB-13")
async def test_the_list_is_gated_and_ranks_terms_of_enough_authors(db, posting, settings) -> None:
    with pytest.raises(FeatureNotAssessed):
        await gates.require_open(db, GatedFeature.TRENDING)
    async with db.transaction() as stores:
        await gates.note_assessment(
            stores,
            AssessmentAcknowledged(uuid.uuid4(), "trending", 1, "national", "", "R-1", datetime.now(UTC)),
        )
    await gates.require_open(db, GatedFeature.TRENDING)

    await post_term(db, posting, "春晚", 4)
    await post_term(db, posting, "高考", 3)
    await post_term(db, posting, "太少", 2)
    await recompute(db, settings)
    assert await listed(db, settings) == ["春晚", "高考"]
    staff = await handlers.staff_view(db)
    assert [(e.term, e.authors) for e in staff.items] == [("春晚", 4), ("高考", 3)]


@pytest.mark.requirement("MB-12.2")
async def test_stopping_the_backing_posts_drops_the_entry_at_once(db, posting, settings) -> None:
    ids = await post_term(db, posting, "谣言", 3)
    await recompute(db, settings)
    assert await listed(db, settings) == ["谣言"]
    await posting.stop(ids[0])  # two authors left: below the minimum, without recomputing
    assert await listed(db, settings) == []


@pytest.mark.requirement("MB-9")
async def test_a_grade_without_trending_listed_adds_nothing(db, posting, settings) -> None:
    """MB-9: a grade's features decide a say in the trending list. Three accounts whose grade lacks
    `trending_listed` weigh 0; three whose grade has it (and one identity said nothing of yet) count."""
    barred = [posting.author() for _ in range(3)]
    listed_ok = [posting.author() for _ in range(2)]
    for version, (a, features) in enumerate(
        [*((a, ("article_comments",)) for a in barred), *((a, ("trending_listed",)) for a in listed_ok)], start=1
    ):
        async with db.transaction() as stores:
            await note_standing(
                stores.posts,
                StandingChanged(
                    uuid.UUID(a.subject), version, "A", 100, grade=1, privileges=Privileges(features=features)
                ),
            )
    unannounced = posting.author()
    for term, authors in (("无权上榜", barred), ("可以上榜", [*listed_ok, unannounced])):
        ids = [await posting.publish(a, f"#{term}# 说说") for a in authors]
        async with db.transaction() as stores:
            await handlers.note_published(stores, [published(p, a) for p, a in zip(ids, authors, strict=True)])
    await recompute(db, settings)
    assert await listed(db, settings) == ["可以上榜"]


@pytest.mark.requirement("CM")
async def test_no_trending_accounts_add_nothing_and_staff_removals_are_recorded(db, posting, settings) -> None:
    authors = [posting.author() for _ in range(3)]
    for version, a in enumerate(authors, start=1):
        async with db.transaction() as stores:
            await note_standing(
                stores.posts,
                StandingChanged(uuid.UUID(a.subject), version, "B", 95, limits=("no_trending",)),
            )
    ids = [await posting.publish(a, "#低信用# 刷") for a in authors]
    async with db.transaction() as stores:
        await handlers.note_published(stores, [published(p, a) for p, a in zip(ids, authors, strict=True)])
    await post_term(db, posting, "正常", 3)
    await recompute(db, settings)
    assert await listed(db, settings) == ["正常"]

    staff = Principal("staff-1", {"kind": "staff", "roles": ["operator"]})
    removal = await handlers.remove(
        db, staff, TrendingRemovalCreate(term=" 正常 ", reason="炒作", legal_basis=["CM"], until=None)
    )
    assert removal.term == "正常" and removal.removed_by == "staff:staff-1"
    assert await listed(db, settings) == []
    await recompute(db, settings)  # skipped while removed
    assert [e.term for e in (await handlers.staff_view(db)).items] == []
    await handlers.lift(db, staff, uuid.UUID(removal.id), "已核实")
    await recompute(db, settings)
    assert await listed(db, settings) == ["正常"]
    record = await handlers.removals(db, None, 10)
    assert [r.lift_reason for r in record["items"]] == ["已核实"]


@pytest.mark.requirement("MB-13")
async def test_searches_alone_create_no_entry(db, posting, settings) -> None:
    for _ in range(5):
        await handlers.note_search(db, posting.author(), "只搜不发")
    await recompute(db, settings)
    assert await listed(db, settings) == []
    assert (await handlers.staff_view(db)).items == []
    since = datetime.now(UTC) - timedelta(hours=1)
    signals = await db.reader().trending.signals(since=since, registered_before=since)
    assert {s.term for s in signals} == {"只搜不发"} and len(signals) == 5
