"""The timelines' events: protobuf -> domain. What was published is read with the posts' own parser
(content.posts.events.published); who followed whom is read here."""

from __future__ import annotations

import uuid
from datetime import UTC

from qinglang.content.v1 import social_pb2

from content.timelines.domain import FollowStarted


def follow_started(message: social_pb2.FollowStarted) -> FollowStarted:
    return FollowStarted(
        follower_id=uuid.UUID(message.follower_id),
        followee_id=uuid.UUID(message.followee_id),
        followed_at=message.followed_at.ToDatetime(tzinfo=UTC),
    )
