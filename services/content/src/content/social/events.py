"""The social graph's events: domain values -> protobuf (contracts.content). Who followed whom (the
notifier tells the followee) and each account's counts (identity's grades, moderation's high-reach
routing, MB-9, MB-6.1)."""

from __future__ import annotations

from contracts import content
from kit.cloudevents import timestamp
from kit.outbox import OutboxRow, announcement
from qinglang.content.v1 import social_pb2

from content.social.domain import FollowCount, FollowStarted


def follow_started(follow: FollowStarted) -> OutboxRow:
    return announcement(
        content.FOLLOW_STARTED,
        key=str(follow.followee_id),
        subject=str(follow.followee_id),
        message=social_pb2.FollowStarted(
            follower_id=str(follow.follower_id),
            followee_id=str(follow.followee_id),
            followed_at=timestamp(follow.followed_at),
        ),
    )


def follower_count_changed(count: FollowCount) -> OutboxRow:
    return announcement(
        content.FOLLOWER_COUNT_CHANGED,
        key=str(count.account_id),
        subject=str(count.account_id),
        message=social_pb2.FollowerCountChanged(
            account_id=str(count.account_id),
            followers=count.followers,
            following=count.following,
            version=count.version,
            changed_at=timestamp(count.changed_at),
        ),
    )
