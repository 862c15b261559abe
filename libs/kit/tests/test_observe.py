"""What an SRE watches: HTTP metrics per route template, trace ids in the JSON logs, and the gauges of
the outbox, dead letters and consumer lag (against a real PostgreSQL and a real broker)."""

from __future__ import annotations

import io
import json
import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from devstack.testing import Infra
from fastapi import APIRouter
from kit import observe
from kit.db import apply_migrations_async, create_pool
from kit.service import ServiceSpec, create_service_app
from kit.settings import KitSettings
from kit.telemetry import context_from_traceparent, inject_trace_context, json_formatter
from opentelemetry import trace
from prometheus_client import REGISTRY


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def app():
    service = f"kit-test-{uuid.uuid4().hex[:6]}"
    router = APIRouter()

    @router.get(f"/v1/{service}/things/{{thing_id}}")
    async def read_thing(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    @router.post(f"/v1/{service}/things/{{thing_id}}/break")
    async def break_thing(thing_id: int) -> None:
        raise RuntimeError("a bug")

    spec = ServiceSpec(
        name=service,
        title="kit test",
        settings=KitSettings(database_url="postgresql://127.0.0.1:1/none", service_name=service),
        migrations_dir=Path("."),
        routers=[router],
    )
    return create_service_app(spec)


async def test_requests_are_counted_by_route_template_method_and_status(app) -> None:
    service = app.state.spec.name
    things = f"/v1/{service}/things/{{thing_id}}"
    transport = httpx.ASGITransport(app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        assert (await c.get(f"/v1/{service}/things/1")).status_code == 200
        assert (await c.get(f"/v1/{service}/things/2")).status_code == 200
        assert (await c.get(f"/v1/{service}/things/not-a-number")).status_code == 422
        assert (await c.get(f"/v1/{service}/no/such/{uuid.uuid4()}")).status_code == 404
        assert (await c.post(f"/v1/{service}/things/3/break")).status_code == 500
        assert (await c.delete(f"/v1/{service}/things/3")).status_code == 405
        for probe in ("/healthz", "/readyz", f"/v1/{service}/healthz", f"/v1/{service}/readyz", "/metrics"):
            await c.get(probe)

    assert sample("qinglang_http_requests_total", service=service, method="GET", route=things, status="200") == 2
    assert sample("qinglang_http_requests_total", service=service, method="GET", route=things, status="422") == 1
    assert sample("qinglang_http_request_duration_seconds_count", service=service, method="GET", route=things) == 3
    # one series for every made-up path, never the raw path
    assert sample("qinglang_http_requests_total", service=service, method="GET", route="<unmatched>", status="404") == 1
    broke = f"/v1/{service}/things/{{thing_id}}/break"
    assert sample("qinglang_http_requests_total", service=service, method="POST", route=broke, status="500") == 1
    assert sample("qinglang_http_requests_total", service=service, method="DELETE", route=things, status="405") == 1
    # probes and the scrape are not requests of the service's API
    counted = [
        s
        for metric in REGISTRY.collect()
        if metric.name == "qinglang_http_requests"
        for s in metric.samples
        if s.labels.get("service") == service and s.name.endswith("_total")
    ]
    assert {s.labels["route"] for s in counted} == {things, broke, "<unmatched>"}
    assert sum(s.value for s in counted) == 6


async def test_metrics_endpoint_serves_the_http_metrics(app) -> None:
    service = app.state.spec.name
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://t") as c:
        await c.get(f"/v1/{service}/things/5")
        scraped = await c.get("/metrics")
        text = scraped.text
    assert scraped.status_code == 200
    assert f'qinglang_http_requests_total{{method="GET",route="/v1/{service}/things/{{thing_id}}"' in text


def test_a_log_line_in_a_span_carries_its_trace_and_span_ids() -> None:
    inject_trace_context()  # as setup_logging does
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(json_formatter("kit-test"))
    log = logging.getLogger(f"kit-test.{uuid.uuid4().hex}")
    log.addHandler(handler)
    log.propagate = False
    log.setLevel(logging.INFO)
    trace_id, span_id = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    # A consumed event's span continues the traceparent the event carried (kit.bus EventConsumer._span).
    with trace.get_tracer("kit.test").start_as_current_span(
        "consume", context=context_from_traceparent(f"00-{trace_id}-{span_id}-01")
    ):
        log.info("inside", extra={"group": "g"})
    log.info("outside")
    inside, outside = (json.loads(line) for line in out.getvalue().splitlines())
    assert inside["trace_id"] == trace_id
    assert len(inside["span_id"]) == 16
    assert inside["group"] == "g"
    assert inside["service"] == "kit-test"
    assert not any(k.startswith("otel") for k in inside)
    assert "trace_id" not in outside
    assert "span_id" not in outside


async def test_outbox_and_dead_letter_gauges_are_sampled_from_the_database(infra: Infra, tmp_path: Path) -> None:
    database_url = infra.fresh_database()
    await apply_migrations_async(database_url, tmp_path)  # the kit's own tables
    service = f"kit-test-{uuid.uuid4().hex[:6]}"
    pool = await create_pool(database_url)
    try:
        sampler = observe.GaugeSampler(service, pool)
        await sampler.sample_database()
        assert sample("qinglang_outbox_backlog", service=service) == 0
        assert sample("qinglang_outbox_oldest_age_seconds", service=service) == 0

        insert = """INSERT INTO outbox_event (ce_id, ce_type, ce_source, topic, payload, created_at, published_at)
                    VALUES (gen_random_uuid(), 't', '/s', 't.v1', '', now() - make_interval(secs => $1),
                            $2::timestamptz)"""
        await pool.execute(insert, 300, None)
        await pool.execute(insert, 10, None)
        await pool.execute(insert, 900, datetime(2020, 1, 1, tzinfo=UTC))  # published long ago: not waiting
        dead = """INSERT INTO dead_letter_event (consumer, topic, kafka_partition, kafka_offset, headers, payload,
                                                 error)
                  VALUES ($1, 't.v1', 0, 0, '{}', '', 'bug')"""
        await pool.execute(dead, "group-a")
        await pool.execute(dead, "group-a")
        await pool.execute(dead, "group-b")
        await sampler.sample_database()
        assert sample("qinglang_outbox_backlog", service=service) == 2
        assert 300 <= sample("qinglang_outbox_oldest_age_seconds", service=service) < 400
        assert sample("qinglang_dead_letters", service=service, consumer="group-a") == 2
        assert sample("qinglang_dead_letters", service=service, consumer="group-b") == 1

        await pool.execute("UPDATE outbox_event SET published_at = now()")
        await pool.execute("DELETE FROM dead_letter_event WHERE consumer = 'group-b'")  # replayed
        await sampler.sample_database()
        assert sample("qinglang_outbox_backlog", service=service) == 0
        assert sample("qinglang_outbox_oldest_age_seconds", service=service) == 0
        assert sample("qinglang_dead_letters", service=service, consumer="group-b") == 0
        # the oldest row is found through the partial index of unpublished rows
        plan = "\n".join(r[0] for r in await pool.fetch(f"EXPLAIN {observe.OUTBOX_OLDEST_SQL}"))
        assert "outbox_event_unpublished" in plan
    finally:
        await pool.close()


async def test_consumer_lag_is_the_high_water_mark_minus_the_position(infra: Infra) -> None:
    topic = f"kit-test.lag.{uuid.uuid4().hex[:8]}.v1"
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka, enable_idempotence=False)
    await producer.start()
    try:
        for i in range(10):
            await producer.send_and_wait(topic, f"m{i}".encode(), partition=0)
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=infra.kafka, auto_offset_reset="earliest", fetch_max_wait_ms=50)
    await consumer.start()
    try:
        assert await observe.consumer_lag(None, [topic]) is None  # not running: nothing to tell
        consumer.assign([TopicPartition(topic, 0)])
        taken = 0
        while taken < 3:
            batch = await consumer.getmany(timeout_ms=2000, max_records=3 - taken)
            taken += sum(len(records) for records in batch.values())
        assert await observe.consumer_lag(consumer, [topic, "other.v1"]) == {topic: 7, "other.v1": 0}
    finally:
        await consumer.stop()
