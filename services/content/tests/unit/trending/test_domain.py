"""Trending scores (MB-13, CM): distinct accounts, minimum authors, bursts and discounted accounts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from content.trending.domain import Rules, Signal, Source, compute, fold_term, search_term, terms_of

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
RULES = Rules(
    window=timedelta(minutes=60),
    min_authors=5,
    size=50,
    burst_keep=5,
    burst_seconds=120,
    burst_share=0.5,
    burst_weight=0.1,
)


def posts(term: str, n: int, *, spread_s: float = 600, text: str | None = None, **kw: object) -> list[Signal]:
    """``n`` posts by ``n`` accounts, spread evenly over the last ``spread_s`` seconds."""
    return [
        Signal(
            term,
            term,
            Source.POST,
            uuid.uuid4(),
            NOW - timedelta(seconds=spread_s * i / max(n, 1)),
            post_id=uuid.uuid4(),
            text_sha256=text or uuid.uuid4().hex,
            **kw,  # type: ignore[arg-type]
        )
        for i in range(n)
    ]


def test_terms_are_folded_hashtags() -> None:
    assert terms_of("看 #两会# 和 #ＡＩ 新闻# 还有 #两会#，#x#") == [("两会", "两会"), ("ai新闻", "ＡＩ 新闻")]
    assert fold_term("a" * 31) is None
    assert search_term("#春晚#") == ("春晚", "春晚")
    assert search_term("x") is None


@pytest.mark.requirement("MB-13")
def test_a_term_from_enough_authors_appears_ranked_by_score() -> None:
    listed = compute(posts("春晚", 8) + posts("高考", 5) + posts("太少", 4), now=NOW, rules=RULES, removed=set())
    assert [e.term for e in listed] == ["春晚", "高考"]
    assert listed[1].authors == 5 and len(listed[1].backing_post_ids) == 5
    # An account counts once, whatever it posts; a removed term is skipped.
    one = posts("刷屏", 1)
    many = [Signal("刷屏", "刷屏", Source.POST, one[0].account_id, NOW, post_id=uuid.uuid4()) for _ in range(9)]
    assert compute(one + many, now=NOW, rules=RULES, removed=set()) == []
    assert compute(posts("春晚", 8), now=NOW, rules=RULES, removed={"春晚"}) == []


@pytest.mark.requirement("MB-13")
def test_searches_alone_never_make_an_entry() -> None:
    searches = [Signal("搜索", "搜索", Source.SEARCH, uuid.uuid4(), NOW) for _ in range(100)]
    assert compute(searches, now=NOW, rules=RULES, removed=set()) == []
    boosted = compute(searches + posts("搜索", 5), now=NOW, rules=RULES, removed=set())
    assert boosted[0].score > 5


@pytest.mark.requirement("CM")
def test_bulk_and_no_trending_accounts_add_nothing() -> None:
    cohort = posts("刷榜", 20, discounted=True)
    assert compute(cohort, now=NOW, rules=RULES, removed=set()) == []
    mixed = compute(cohort + posts("刷榜", 5), now=NOW, rules=RULES, removed=set())
    assert mixed[0].score == pytest.approx(compute(posts("刷榜", 5), now=NOW, rules=RULES, removed=set())[0].score, 0.1)
    assert "accounts_discounted" in mixed[0].flags


@pytest.mark.requirement("CM")
def test_an_identical_text_burst_does_not_outrank_an_organic_term() -> None:
    burst = posts("水军", 20, spread_s=60, text="same")
    organic = posts("organic", 10, spread_s=60)
    listed = compute(burst + organic, now=NOW, rules=RULES, removed=set())
    assert [e.term for e in listed] == ["organic", "水军"]
    assert "burst_discounted" in listed[1].flags
    # Spread over the window, an organic term is no time burst at all.
    calm = compute(posts("calm", 10, spread_s=3000), now=NOW, rules=RULES, removed=set())
    assert calm[0].flags == () and calm[0].score > 5
