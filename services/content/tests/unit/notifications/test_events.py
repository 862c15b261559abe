"""The notifier's events: the contract's messages read as domain values."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from content.notifications import events
from content.posts import events as post_events
from kit.cloudevents import timestamp
from qinglang.content.v1 import social_pb2
from qinglang.identity.v1 import account_pb2, standing_pb2


def test_a_follow_started_reads_as_who_followed_whom() -> None:
    follower, followee, at = uuid.uuid4(), uuid.uuid4(), datetime.now(UTC)
    followed = events.followed(
        social_pb2.FollowStarted(follower_id=str(follower), followee_id=str(followee), followed_at=timestamp(at))
    )
    assert (followed.follower_id, followed.followee_id, followed.followed_at) == (follower, followee, at)
    assert (
        events.followed(social_pb2.FollowStarted(follower_id=str(follower), followee_id=str(followee))).followed_at
        is None
    )


def test_an_expired_verification_reads_with_its_legal_basis() -> None:
    account, at = uuid.uuid4(), datetime.now(UTC)
    expired = events.real_name_expired(
        account_pb2.RealNameExpired(account_id=str(account), expired_at=timestamp(at), legal_basis=["MB-7.2"])
    )
    assert (expired.account_id, expired.expired_at, expired.legal_basis) == (account, at, ("MB-7.2",))


def test_a_standing_change_carries_its_cause_score_and_legal_basis() -> None:
    changed = post_events.standing_changed(
        standing_pb2.AccountStandingChanged(
            account_id=str(uuid.uuid4()),
            credit_score=110,
            credit_level="A",
            cause="stop_transmission",
            legal_basis=["MB-12.2", "PA-13.1"],
            version=3,
        )
    )
    assert (changed.credit_score, changed.cause, changed.legal_basis) == (
        110,
        "stop_transmission",
        ("MB-12.2", "PA-13.1"),
    )
