"""Content announces every new post, repost and comment on ``content.post.v1`` for moderation (key: the
author id), and the social graph's news on ``content.social.v1``: what was published (for fan-out into
home timelines and notifications), who followed whom, follower counts and public accounts' read counts (for
grades, MB-9, PA-7.2)."""

from __future__ import annotations

from qinglang.content.v1 import post_pb2, social_pb2

from contracts.catalogue import CATALOGUE

OWNER = "content"

POST_TOPIC = CATALOGUE.topic("content.post.v1", owner=OWNER)
SOCIAL_TOPIC = CATALOGUE.topic("content.social.v1", owner=OWNER)

POST_CREATED = CATALOGUE.event("qinglang.content.post.created.v1", POST_TOPIC, post_pb2.PostCreated)
# MB-12.2: the snapshot of a stopped post, sealed: the evidence the regulator gateway files with the stop's report.
STOP_SNAPSHOT_SEALED = CATALOGUE.event(
    "qinglang.content.post.stop_snapshot_sealed.v1", POST_TOPIC, post_pb2.StopSnapshotSealed
)

POST_PUBLISHED = CATALOGUE.event("qinglang.content.post.published.v1", SOCIAL_TOPIC, social_pb2.PostPublished)
FOLLOW_STARTED = CATALOGUE.event("qinglang.content.follow.started.v1", SOCIAL_TOPIC, social_pb2.FollowStarted)
FOLLOWER_COUNT_CHANGED = CATALOGUE.event(
    "qinglang.content.follower_count.changed.v1", SOCIAL_TOPIC, social_pb2.FollowerCountChanged
)
READ_COUNT_CHANGED = CATALOGUE.event(
    "qinglang.content.read_count.changed.v1", SOCIAL_TOPIC, social_pb2.ReadCountChanged
)
