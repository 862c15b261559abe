"""One trace crosses the gateway, the service and the Kafka hop (W3C traceparent)."""

from __future__ import annotations

import asyncio
import uuid

from aiokafka import AIOKafkaConsumer
from journeys import Flow


async def _traceparent_of(kafka: str, post_id: str) -> str | None:
    consumer = AIOKafkaConsumer(
        "content.post.v1",
        bootstrap_servers=kafka,
        group_id=f"trace-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        async with asyncio.timeout(30):
            while True:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    for record in records:
                        headers = dict(record.headers)
                        if headers.get("ce_subject") == post_id.encode():
                            return headers.get("traceparent", b"").decode() or None
    finally:
        await consumer.stop()


def test_the_callers_trace_continues_into_the_event(flow: Flow, infra) -> None:
    user = flow.verified_user()
    trace_id = uuid.uuid4().hex
    created = flow.gw.post(
        "/v1/posts",
        json={"text": "追踪一下"},
        headers={**user.auth, "traceparent": f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01"},
    )
    assert created.status_code == 201
    traceparent = asyncio.run(_traceparent_of(infra.kafka, created.json()["id"]))
    assert traceparent is not None, "the PostCreated event carries no traceparent"
    assert traceparent.split("-")[1] == trace_id
