"""The social graph's pure rules (MB-2): who may follow whom, and how follows move counts (MB-9)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from content.posts.domain import AccountCancelled, AccountClosed, Standing
from content.social import events
from content.social.domain import (
    BlockedByAccount,
    BlockingAccount,
    CannotBlockYourself,
    CannotFollowYourself,
    CountChange,
    Edge,
    FollowCount,
    check_may_block,
    check_may_follow,
    count_changes,
)
from contracts import content
from kit.problems import NotFound
from qinglang.content.v1 import social_pb2

A, B, C = sorted(uuid.uuid4() for _ in range(3))
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _may_follow(follower=None, followee=None, *, blocked_by=False, blocking=False, a=A, b=B) -> None:
    check_may_follow(
        a, b, follower=follower, followee=followee, blocked_by_followee=blocked_by, blocking_followee=blocking
    )


@pytest.mark.requirement("MB-2")
def test_anyone_not_barred_may_follow_even_a_suspended_account() -> None:
    _may_follow()
    _may_follow(Standing(credit_level="low_credit"), Standing(suspended_until=NOW))


@pytest.mark.requirement("MB-2")
def test_following_oneself_is_invalid() -> None:
    with pytest.raises(CannotFollowYourself) as refused:
        _may_follow(b=A)
    assert refused.value.status == 422


@pytest.mark.requirement("MB-2")
def test_an_account_that_blocked_you_cannot_be_followed_nor_one_you_block() -> None:
    with pytest.raises(BlockedByAccount) as refused:
        _may_follow(blocked_by=True)
    assert (refused.value.status, refused.value.type, refused.value.requirement) == (403, "blocked", "MB-2")
    with pytest.raises(BlockingAccount) as refused:
        _may_follow(blocking=True)
    assert (refused.value.status, refused.value.requirement) == (409, "MB-2")


@pytest.mark.requirement("PA-13.1")
def test_a_follower_barred_for_good_cannot_follow() -> None:
    with pytest.raises(AccountClosed) as refused:
        _may_follow(Standing(closed=True))
    assert (refused.value.status, refused.value.requirement) == (403, "PA-13.1")
    with pytest.raises(AccountCancelled):
        _may_follow(Standing(cancelled_at=NOW))


@pytest.mark.requirement("PA-9.2")
def test_a_cancelled_or_closed_account_cannot_be_followed() -> None:
    for gone in (Standing(cancelled_at=NOW), Standing(closed=True)):
        with pytest.raises(NotFound):
            _may_follow(followee=gone)


def test_blocking_oneself_is_invalid() -> None:
    check_may_block(A, B)
    with pytest.raises(CannotBlockYourself):
        check_may_block(A, A)


@pytest.mark.requirement("MB-9")
def test_counts_move_by_the_sum_of_the_edges_at_each_end() -> None:
    assert count_changes(added=[Edge(A, B)]) == {A: CountChange(following=1), B: CountChange(followers=1)}
    # A block removes both directions: each account loses a follower and a following.
    assert count_changes(removed=[Edge(A, B), Edge(B, A)]) == {
        A: CountChange(followers=-1, following=-1),
        B: CountChange(followers=-1, following=-1),
    }
    # An account whose counts end where they started is not announced.
    assert count_changes(added=[Edge(A, B)], removed=[Edge(A, B), Edge(C, B)]) == {
        B: CountChange(followers=-1),
        C: CountChange(following=-1),
    }
    assert list(count_changes(removed=[Edge(C, A), Edge(B, A)])) == [A, B, C]  # in the order locks are taken


@pytest.mark.requirement("MB-9")
def test_a_count_is_announced_keyed_by_its_account_with_its_version() -> None:
    row = events.follower_count_changed(FollowCount(A, 3, 2, 7, NOW))
    assert (row.ce_type, row.key, row.topic) == (content.FOLLOWER_COUNT_CHANGED.name, str(A), content.SOCIAL_TOPIC.name)
    message = social_pb2.FollowerCountChanged.FromString(row.payload)
    assert (message.account_id, message.followers, message.following, message.version) == (str(A), 3, 2, 7)
