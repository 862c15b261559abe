"""The event bus against a real PostgreSQL and a real Kafka-protocol broker (Tansu)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from contracts import EventType, Topic
from devstack.testing import Infra
from kit.bus import BrokerWatch, EventConsumer, Subscription, create_producer, ensure_topics
from kit.cloudevents import Event, encode
from kit.db import apply_migrations_async, create_pool, transaction
from kit.outbox import LISTENER_APPLICATION_NAME, OutboxRelay, announce
from kit.settings import KitSettings
from kit.telemetry import inject_trace_context
from prometheus_client import REGISTRY
from qinglang.auth.v1 import revocation_pb2
from qinglang.content.v1 import post_pb2

EVENT_TYPE = "qinglang.test.thing.happened.v1"


def thing_on(topic: str) -> EventType[post_pb2.PostCreated]:
    """The test's event type, on a topic of the test's own (not in the platform's catalogue)."""
    return EventType(EVENT_TYPE, Topic(topic, owner="kit-test"), post_pb2.PostCreated)


@pytest.fixture
async def bus(infra: Infra, tmp_path: Path):
    database_url = infra.fresh_database()
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_effect.sql").write_text("CREATE TABLE effect (ce_id text NOT NULL, post_id text NOT NULL);")
    await apply_migrations_async(database_url, migrations)
    settings = KitSettings(
        database_url=database_url,
        kafka_bootstrap_servers=infra.kafka,
        service_name="kit-test",
        kafka_fetch_max_wait_ms=20,
    )
    pool = await create_pool(database_url)
    topic = f"kit-test.{uuid.uuid4().hex[:8]}.v1"
    await ensure_topics(settings, [topic])
    try:
        yield settings, pool, topic
    finally:
        await pool.close()


def a_test_event(data: bytes = b"", traceparent: str | None = None):
    """A CloudEvent of the test type, new id, as the kit would put it on the wire."""
    return encode(
        ce_id=str(uuid.uuid4()),
        ce_type=EVENT_TYPE,
        source="/kit-test",
        subject=None,
        time=datetime.now(UTC),
        data=data,
        key=None,
        traceparent=traceparent,
    )


@asynccontextmanager
async def consuming(bus, handler) -> AsyncIterator[AIOKafkaProducer]:
    """A consumer group member running ``handler`` on the bus's topic, and a raw producer to feed it."""
    settings, pool, topic = bus
    consumer = EventConsumer(
        Subscription(group=f"g-{uuid.uuid4().hex[:6]}", handlers={thing_on(topic): handler}), pool, settings
    )
    task = asyncio.create_task(consumer.run())
    raw = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, enable_idempotence=False)
    await raw.start()
    try:
        yield raw
    finally:
        await raw.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def record_effect(conn: asyncpg.Connection, event: Event) -> None:
    thing = event.message
    await conn.execute("INSERT INTO effect (ce_id, post_id) VALUES ($1, $2)", event.id, thing.post_id)


async def wait_for(pool: asyncpg.Pool, sql: str, expected: int, timeout_s: float = 30) -> None:
    async with asyncio.timeout(timeout_s):
        while True:
            if await pool.fetchval(sql) == expected:
                return
            await asyncio.sleep(0.05)  # polling interval under a deadline


async def test_outbox_relay_publishes_and_the_inbox_makes_redelivery_harmless(bus) -> None:
    settings, pool, topic = bus
    producer = create_producer(settings)
    await producer.start()
    relay = OutboxRelay(pool, producer, database_url=settings.database_url, batch_size=50)
    consumer = EventConsumer(
        Subscription(group=f"g-{uuid.uuid4().hex[:6]}", handlers={thing_on(topic): record_effect}),
        pool,
        settings,
    )
    tasks = [asyncio.create_task(relay.run()), asyncio.create_task(consumer.run())]
    try:
        async with transaction(pool) as conn:
            for i in range(20):
                await announce(conn, thing_on(topic), post_pb2.PostCreated(post_id=f"p{i}"), key=f"k{i % 3}")
        await wait_for(pool, "SELECT count(*) FROM effect", 20)
        assert await pool.fetchval("SELECT count(*) FROM outbox_event WHERE published_at IS NULL") == 0

        # Deliver one of those events again, byte for byte: the inbox drops it.
        row = await pool.fetchrow("SELECT * FROM outbox_event ORDER BY id LIMIT 1")
        again = encode(
            ce_id=str(row["ce_id"]),
            ce_type=row["ce_type"],
            source=row["ce_source"],
            subject=None,
            time=row["ce_time"],
            data=bytes(row["payload"]),
            key=row["partition_key"],
            traceparent=None,
        )
        marker = encode(
            ce_id=str(uuid.uuid4()),
            ce_type=EVENT_TYPE,
            source="/kit-test",
            subject=None,
            time=row["ce_time"],
            data=post_pb2.PostCreated(post_id="marker").SerializeToString(),
            key=row["partition_key"],
            traceparent=None,
        )
        raw = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap_servers, enable_idempotence=False)
        await raw.start()
        for message in (again, again, marker):
            await raw.send_and_wait(
                topic, message.value, key=message.key.encode(), headers=list(message.headers.items())
            )
        await raw.stop()
        await wait_for(pool, "SELECT count(*) FROM effect WHERE post_id = 'marker'", 1)
        assert await pool.fetchval("SELECT count(*) FROM effect") == 21
        assert await pool.fetchval("SELECT count(DISTINCT ce_id) FROM effect") == 21
        handled = REGISTRY.get_sample_value(
            "qinglang_events_handled_total", {"group": consumer.subscription.group, "ce_type": EVENT_TYPE}
        )
        assert handled == 21  # the two redeliveries are not counted: they had no effect
        assert REGISTRY.get_sample_value("qinglang_outbox_published_total", {"topic": topic}) == 20
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await producer.stop()


async def test_undecodable_and_failing_events_are_parked_not_lost(bus, caplog: pytest.LogCaptureFixture) -> None:
    _settings, pool, topic = bus
    inject_trace_context()  # as setup_logging does: log records carry the active span's ids
    trace_id = uuid.uuid4().hex

    async def broken(conn: asyncpg.Connection, event: Event) -> None:
        raise RuntimeError("a bug in the handler")

    async with consuming(bus, broken) as raw:
        await raw.send_and_wait(topic, b"no headers at all")
        good = a_test_event(traceparent=f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01")
        await raw.send_and_wait(topic, good.value, headers=list(good.headers.items()))
        await wait_for(pool, "SELECT count(*) FROM dead_letter_event", 2)
        errors = [r["error"] for r in await pool.fetch("SELECT error FROM dead_letter_event ORDER BY id")]
        assert errors[0].startswith("undecodable") and "a bug in the handler" in errors[1]
        # Nothing half-written: the failed handler's inbox row rolled back with it.
        assert await pool.fetchval("SELECT count(*) FROM inbox_event") == 0
    # The failure's log line is in the event's trace (an operator finds it from the trace, and back).
    parked = [r for r in caplog.records if r.getMessage().startswith("handler failed; event parked")]
    assert [r.otelTraceID for r in parked] == [trace_id]


async def test_a_body_that_is_not_the_types_message_is_parked_before_any_handler_runs(bus) -> None:
    _settings, pool, topic = bus
    ran: list[str] = []

    async def handler(conn: asyncpg.Connection, event: Event) -> None:
        ran.append(event.id)

    async with consuming(bus, handler) as raw:
        garbled = a_test_event(b"\xff\xff\xff not a protobuf")
        await raw.send_and_wait(topic, garbled.value, headers=list(garbled.headers.items()))
        await wait_for(pool, "SELECT count(*) FROM dead_letter_event", 1)
        error = await pool.fetchval("SELECT error FROM dead_letter_event")
        assert error.startswith("not a PostCreated") and ran == []


async def test_an_event_of_a_type_nobody_here_handles_is_counted_not_dropped_in_silence(bus, caplog) -> None:
    _settings, pool, topic = bus
    unknown = "qinglang.test.nobody.knows.v1"
    async with consuming(bus, record_effect) as raw:
        stranger = encode(
            ce_id=str(uuid.uuid4()),
            ce_type=unknown,
            source="/kit-test",
            subject=None,
            time=datetime.now(UTC),
            data=b"",
            key=None,
            traceparent=None,
        )
        for _ in range(3):
            await raw.send_and_wait(topic, stranger.value, headers=list(stranger.headers.items()))
        known = a_test_event(post_pb2.PostCreated(post_id="after the strangers").SerializeToString())
        await raw.send_and_wait(topic, known.value, headers=list(known.headers.items()))
        await wait_for(pool, "SELECT count(*) FROM effect", 1)
    skipped = [
        s
        for metric in REGISTRY.collect()
        if metric.name == "qinglang_events_skipped"
        for s in metric.samples
        if s.name.endswith("_total") and s.labels["ce_type"] == unknown
    ]
    assert [(s.labels["reason"], s.value) for s in skipped] == [("unknown", 3.0)]
    warned = [r for r in caplog.records if r.levelname == "WARNING" and getattr(r, "ce_type", None) == unknown]
    assert len(warned) == 1  # logged once per type, counted every time


def test_a_subscription_takes_its_topics_from_the_types_it_handles() -> None:
    first, second = thing_on("kit-test.a.v1"), thing_on("kit-test.b.v1")

    async def handler(conn: asyncpg.Connection, event: Event) -> None:
        return None

    subscription = Subscription(group="g", handlers={first: handler}, batch_handlers={second: handler})
    assert subscription.topics == ("kit-test.a.v1", "kit-test.b.v1")
    with pytest.raises(ValueError, match="at least one"):
        Subscription(group="g")


async def test_announce_refuses_a_message_its_type_does_not_carry(bus) -> None:
    _settings, pool, topic = bus
    async with transaction(pool) as conn:
        with pytest.raises(TypeError, match="carries PostCreated"):
            await announce(conn, thing_on(topic), revocation_pb2.TokenRevocation(claim="cid", value="x"), key=None)


async def test_broker_watch_stays_quiet_on_a_healthy_broker_and_recreates_a_lost_topic(bus) -> None:
    settings, _pool, topic = bus
    lost = f"kit-test.lost.{uuid.uuid4().hex[:8]}.v1"
    watch = BrokerWatch(settings, [topic], [])
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
    await admin.start()
    try:
        assert await watch.check(admin) is False
        assert await watch.check(admin) is False
        # A topic the process relies on has vanished, as after a memory-only broker's restart.
        watch_lost = BrokerWatch(settings, [topic, lost], [])
        assert await watch_lost.check(admin) is True
        assert lost in await admin.list_topics()
        assert await watch_lost.check(admin) is False
    finally:
        await admin.close()


async def test_a_database_outage_inside_a_handler_is_retried_never_parked(bus) -> None:
    """An outage is not a reason to dead-letter: a handler whose connection the server closed (as in
    a PostgreSQL restart) gets the event again until it succeeds, and nothing is parked."""
    _settings, pool, topic = bus
    failures = [
        asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.exceptions.CrashShutdownError("terminating connection because of crash of another server process"),
        asyncpg.InterfaceError("cannot perform operation: connection is closed"),
    ]

    async def flaky(conn: asyncpg.Connection, event: Event) -> None:
        if failures:
            raise failures.pop(0)
        await record_effect(conn, event)

    async with consuming(bus, flaky) as raw:
        event = a_test_event(post_pb2.PostCreated(post_id="through-an-outage").SerializeToString())
        await raw.send_and_wait(topic, event.value, headers=list(event.headers.items()))
        await wait_for(pool, "SELECT count(*) FROM effect WHERE post_id = 'through-an-outage'", 1)
        assert failures == []
        assert await pool.fetchval("SELECT count(*) FROM dead_letter_event") == 0


async def test_the_relay_listens_again_after_losing_its_connection(bus) -> None:
    """After the database dropped the relay's LISTEN connection (a restart, a failover), a new row
    is still published at once, not at the next fallback poll (here an hour away)."""
    settings, pool, topic = bus
    producer = create_producer(settings)
    await producer.start()
    relay = OutboxRelay(pool, producer, database_url=settings.database_url, poll_interval_s=3600, listen_check_s=0.5)
    task = asyncio.create_task(relay.run())

    async def publish_one(post_id: str) -> None:
        async with transaction(pool) as conn:
            await announce(conn, thing_on(topic), post_pb2.PostCreated(post_id=post_id), key=None)
        await wait_for(pool, "SELECT count(*) FROM outbox_event WHERE published_at IS NULL", 0, timeout_s=10)

    async def listeners() -> list[int]:
        return [
            r["pid"]
            for r in await pool.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1",
                LISTENER_APPLICATION_NAME,
            )
        ]

    try:
        await wait_for(pool, "SELECT count(*) > 0 FROM pg_stat_activity WHERE query LIKE 'LISTEN%'", True, timeout_s=10)
        await publish_one("before")
        for pid in await listeners():
            await pool.execute("SELECT pg_terminate_backend($1)", pid)
        await publish_one("after the connection was lost")
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await producer.stop()
