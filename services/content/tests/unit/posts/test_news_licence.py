"""MB-4 / PA-8: who may publish news, on the Beijing date; MB-9: the grade's privileges."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from content.posts.domain import (
    NewsLicence,
    NewsLicenceRequired,
    PostKind,
    Privileges,
    beijing_day,
    check_news_licence,
    news_licence_covers,
    seconds_to_next_beijing_day,
)


def licence(*scopes: str, until: date = date(2026, 6, 30), revoked: datetime | None = None) -> NewsLicence:
    return NewsLicence(uuid.uuid4(), "10120170001", scopes, date(2020, 1, 1), until, revoked)


def test_the_beijing_day_turns_at_16_utc() -> None:
    assert beijing_day(datetime(2026, 6, 30, 15, 59, tzinfo=UTC)) == date(2026, 6, 30)
    assert beijing_day(datetime(2026, 6, 30, 16, 0, tzinfo=UTC)) == date(2026, 7, 1)
    assert seconds_to_next_beijing_day(datetime(2026, 6, 30, 15, 59, tzinfo=UTC)) == 60


def test_a_licence_lapses_from_the_beijing_day_after_its_last() -> None:
    held = [licence("original")]
    last_evening = datetime(2026, 6, 30, 15, 59, tzinfo=UTC)  # 23:59 in Beijing, still the 30th
    check_news_licence("news", PostKind.POST, held, last_evening)
    with pytest.raises(NewsLicenceRequired) as refused:
        check_news_licence("news", PostKind.POST, held, datetime(2026, 6, 30, 16, 0, tzinfo=UTC))
    assert refused.value.requirement == "MB-4" and "lapsed after 2026-06-30" in refused.value.detail
    assert refused.value.extensions["legal_basis"] == ["MB-4", "PA-8"]


def test_scopes_a_repost_and_a_sourced_article_need_less_than_original_work() -> None:
    today = date(2026, 1, 1)
    repost_only = [licence("repost")]
    assert news_licence_covers("news", PostKind.REPOST, True, repost_only, today)
    assert news_licence_covers("news", PostKind.ARTICLE, False, repost_only, today)
    assert not news_licence_covers("news", PostKind.ARTICLE, True, repost_only, today)
    assert not news_licence_covers("news", PostKind.POST, True, repost_only, today)
    assert news_licence_covers("culture", PostKind.POST, True, [], today)  # not news: no licence needed
    assert news_licence_covers(None, PostKind.POST, True, [], today)


def test_a_revoked_licence_allows_nothing_and_an_article_names_pa_8() -> None:
    revoked = [licence("original", revoked=datetime(2026, 1, 1, tzinfo=UTC))]
    with pytest.raises(NewsLicenceRequired) as refused:
        check_news_licence("news", PostKind.ARTICLE, revoked, datetime(2026, 1, 2, tzinfo=UTC))
    assert refused.value.requirement == "PA-8" and "revoked" in refused.value.detail


def test_privileges_default_to_grade_one_until_identity_says() -> None:
    assert Privileges.from_json({}) == Privileges()
    stored = Privileges(review="hold", daily_posts=20, daily_articles=0, push_to_subscribers=False, features=())
    assert Privileges.from_json(stored.as_json()) == stored
    assert stored.quota("article") == 0 and Privileges().quota("push") == 1
