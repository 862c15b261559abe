"""CloudEvents binary mode over Kafka headers, with a protobuf body."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from kit.cloudevents import UndecodableEvent, decode, encode
from qinglang.content.v1 import post_pb2


def test_binary_mode_round_trip_keeps_every_attribute_and_the_body() -> None:
    body = post_pb2.PostCreated(post_id="p1", author_id="a1", text="你好", announcement=1)
    traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    message = encode(
        ce_id="e1",
        ce_type="t.v1",
        source="/s",
        subject="p1",
        time=datetime(2026, 1, 2, tzinfo=UTC),
        data=body.SerializeToString(),
        key="a1",
        traceparent=traceparent,
    )
    assert {
        "ce_id",
        "ce_type",
        "ce_source",
        "ce_time",
        "ce_subject",
        "ce_specversion",
        "traceparent",
        "content-type",
    } <= set(message.headers)
    assert message.headers["content-type"] == b"application/protobuf"
    event = decode(list(message.headers.items()), b"a1", message.value, topic="t", partition=0, offset=7)
    assert (event.id, event.type, event.source, event.subject, event.key) == ("e1", "t.v1", "/s", "p1", "a1")
    assert event.traceparent == traceparent
    assert event.time == datetime(2026, 1, 2, tzinfo=UTC)
    assert post_pb2.PostCreated.FromString(event.data) == body
    assert (event.topic, event.offset) == ("t", 7)


def test_a_record_without_cloudevents_headers_is_undecodable() -> None:
    with pytest.raises(UndecodableEvent):
        decode([("x", b"y")], None, b"")
