"""Content's events: domain values to protobuf and back, through the contract's types."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from content.posts import events
from content.posts.domain import NewPost
from contracts import content
from kit.cloudevents import timestamp
from qinglang.content.v1 import post_pb2
from qinglang.moderation.v1 import decision_pb2


def test_a_new_post_is_announced_as_the_contracts_post_created() -> None:
    post = NewPost(uuid.uuid4(), uuid.uuid4(), "你好", datetime.now(UTC), "110000", None, announcement=2)
    row = events.post_created(post)
    assert (row.topic, row.ce_type, row.key, row.subject) == (
        content.POST_TOPIC.name,
        content.POST_CREATED.name,
        str(post.author_id),
        str(post.id),
    )
    message = post_pb2.PostCreated.FromString(row.payload)
    assert (message.text, message.announcement, message.author_province_code) == ("你好", 2, "110000")
    assert not message.HasField("author_registered_at")


def test_a_decision_with_a_refutation_maps_to_domain_values() -> None:
    decided = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
    rumour = uuid.uuid4()
    message = decision_pb2.DecisionIssued(
        decision_id=str(uuid.uuid4()),
        post_id=str(uuid.uuid4()),
        legal_basis=["MB-11"],
        decided_at=timestamp(decided),
        refutation=decision_pb2.Refutation(rumour_id=str(rumour), text="不实", url="https://x.cn", authority="a"),
    )
    decision = events.decision(message)
    assert decision.decided_at == decided and decision.legal_basis == ("MB-11",)
    assert decision.refutation is not None and decision.refutation.rumour_id == rumour
    assert (
        events.decision(decision_pb2.DecisionIssued(decision_id=str(uuid.uuid4()), post_id=str(rumour))).refutation
        is None
    )
