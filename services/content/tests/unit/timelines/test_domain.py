"""The timelines' pure rules (MB-2): what fans out on write and what is merged at read time."""

from __future__ import annotations

import pytest
from content.posts.domain import PostKind
from content.settings import ContentSettings
from content.timelines.domain import fans_out, merged_at_read, on_timelines


@pytest.mark.requirement("MB-2")
def test_posts_and_reposts_are_on_timelines_comments_only_under_their_thread() -> None:
    assert on_timelines(PostKind.POST) and on_timelines(PostKind.REPOST)
    assert not on_timelines(PostKind.COMMENT)
    assert not fans_out(PostKind.COMMENT, 0, 10_000)


@pytest.mark.requirement("MB-2")
def test_an_account_at_the_threshold_is_merged_at_read_time_not_fanned_out() -> None:
    assert fans_out(PostKind.POST, 9_999, 10_000) and fans_out(PostKind.REPOST, 0, 10_000)
    assert merged_at_read(10_000, 10_000) and not fans_out(PostKind.POST, 10_000, 10_000)
    assert merged_at_read(1_000_000, 10_000)


def test_the_threshold_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ContentSettings(_env_file=None, database_url="postgresql://unused").fanout_max_followers == 10_000
    monkeypatch.setenv("FANOUT_MAX_FOLLOWERS", "500")
    assert ContentSettings(_env_file=None, database_url="postgresql://unused").fanout_max_followers == 500


@pytest.mark.requirement("MB-9")
def test_an_article_fans_out_only_when_pushed() -> None:
    assert not fans_out(PostKind.ARTICLE, 10, 10_000)
    assert fans_out(PostKind.ARTICLE, 10, 10_000, pushed=True)
    assert not fans_out(PostKind.CORRECTION, 10, 10_000, pushed=True)
