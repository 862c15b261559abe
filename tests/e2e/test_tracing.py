"""One trace crosses the gateway, the service and the Kafka hop (W3C traceparent)."""

from __future__ import annotations

import asyncio
import uuid

from journeys import Flow, find_event


def test_the_callers_trace_continues_into_the_event(flow: Flow, infra) -> None:
    user = flow.verified_user()
    trace_id = uuid.uuid4().hex
    created = flow.gw.post(
        "/v1/posts",
        json={"text": "追踪一下"},
        headers={**user.auth, "traceparent": f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01"},
    )
    assert created.status_code == 201
    event = asyncio.run(find_event(infra.kafka, "content.post.v1", created.json()["id"]))
    traceparent = dict(event.headers).get("traceparent", b"").decode()
    assert traceparent, "the PostCreated event carries no traceparent"
    assert traceparent.split("-")[1] == trace_id
