"""Identity's account events as facts about authors (MB-9)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from kit.cloudevents import timestamp
from moderation.authors import events, handlers
from moderation.authors.domain import AuthorFacts
from qinglang.content.v1 import social_pb2
from qinglang.identity.v1 import account_pb2, standing_pb2


@pytest.fixture
def shanghai_time() -> Iterator[None]:
    """The server's local time zone is Asia/Shanghai (UTC+8) for the test, restored after."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.mark.requirement("MB-9")
async def test_a_registration_time_is_utc_on_a_server_in_another_time_zone(shanghai_time, stores) -> None:
    """It was converted with astimezone() from a naive UTC time: eight hours off in Shanghai."""
    registered = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    account = uuid.uuid4()
    message = account_pb2.AccountRegistered(account_id=str(account), registered_at=timestamp(registered))
    await handlers.note_author(stores, events.registered(message))
    assert stores.authors.facts[account]["registered_at"] == registered
    assert stores.authors.facts[account]["registered_at"].utcoffset().total_seconds() == 0


@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("MB-9")
async def test_an_authors_follower_count_is_taken_when_newer(stores) -> None:
    account = uuid.uuid4()
    await handlers.note_author(stores, AuthorFacts(account, credit=110, grade=2))

    async def count(followers: int, version: int) -> None:
        message = social_pb2.FollowerCountChanged(account_id=str(account), followers=followers, version=version)
        await handlers.note_followers(stores, events.follower_count_changed(message))

    await count(2_000_000, 2)
    await count(5, 1)  # late: stale
    (standing,) = (await stores.authors.standings([account])).values()
    assert (standing.followers, standing.credit, standing.grade) == (2_000_000, 110, 2)
    await count(5, 3)
    assert (await stores.authors.standings([account]))[account].followers == 5


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("PA-7.2")
def test_a_standing_carries_its_grades_review_mode() -> None:
    account = uuid.uuid4()
    held = standing_pb2.AccountStandingChanged(
        account_id=str(account), credit_score=100, grade=4, privileges=standing_pb2.GradePrivileges(review="hold")
    )
    assert events.standing_changed(held).review_mode == "hold"
    assert events.standing_changed(held).known()["review_mode"] == "hold"
    older = standing_pb2.AccountStandingChanged(account_id=str(account), credit_score=100, grade=1)
    assert "review_mode" not in events.standing_changed(older).known()  # no privileges sent: kept as it was
