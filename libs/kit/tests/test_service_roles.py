"""A service process on a real cluster: the topic and broker-watch switches, the roles (api / worker / all),
readiness on the database only, and MIGRATE_ON_START. The kit's own service skeleton (create_service_app and
its lifespan) against the run's PostgreSQL and Tansu, or a private Tansu where the test stops it."""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx
import psycopg
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from contracts import EventType, Topic
from devstack.processes import broker_argv, free_port, spawn, stop, wait_until
from devstack.testing import Infra
from fastapi import APIRouter, FastAPI
from kit.bus import Subscription
from kit.cloudevents import Event
from kit.service import Runtime, ServiceSpec, create_service_app
from kit.settings import KitSettings
from qinglang.content.v1 import post_pb2

EVENT_TYPE = "qinglang.test.thing.happened.v1"


def thing_on(topic: str) -> EventType[post_pb2.PostCreated]:
    return EventType(EVENT_TYPE, Topic(topic, owner="kit-test"), post_pb2.PostCreated)


async def ignore(conn: asyncpg.Connection, event: Event) -> None:
    return None


def a_router(name: str) -> APIRouter:
    router = APIRouter()

    @router.get(f"/v1/{name}/thing")
    async def thing() -> dict:
        return {"thing": True}

    return router


def kit_settings(infra: Infra, database_url: str, name: str, **values: object) -> KitSettings:
    return KitSettings(
        database_url=database_url,
        kafka_bootstrap_servers=infra.kafka,
        service_name=name,
        kafka_session_timeout_ms=3000,
        kafka_heartbeat_interval_ms=500,
        kafka_fetch_max_wait_ms=50,
        broker_watch_interval_s=0.2,
        startup_dependency_timeout_s=20,
        **values,  # type: ignore[arg-type]
    )


def a_spec(settings: KitSettings, tmp_path: Path, **parts: object) -> ServiceSpec:
    migrations = tmp_path / f"migrations-{uuid.uuid4().hex[:6]}"
    migrations.mkdir()
    return ServiceSpec(
        name=settings.service_name,
        title="kit test",
        settings=settings,
        migrations_dir=migrations,
        routers=[a_router(settings.service_name)],
        **parts,  # type: ignore[arg-type]
    )


@asynccontextmanager
async def running(spec: ServiceSpec) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = create_service_app(spec)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            yield app, client


async def topics_on(bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def until(check, *, timeout_s: float = 20, what: str = ""):
    """Await ``check()`` until it is truthy, or fail at the deadline."""
    try:
        async with asyncio.timeout(timeout_s):
            while not (result := await check()):  # noqa: ASYNC110 - polling something outside this process
                await asyncio.sleep(0.05)  # polling interval under a deadline
            return result
    except TimeoutError:
        raise AssertionError(f"not reached within {timeout_s}s: {what}") from None


class Records(logging.Handler):
    """The kit's log records (the service's lifespan puts its own handler on the root logger, so pytest's
    caplog would see nothing once a service started)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def kit_logs():
    handler = Records()
    logger = logging.getLogger("kit")
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


def task_names(app: FastAPI) -> set[str]:
    runtime: Runtime = app.state.runtime
    return {t.get_name() for t in runtime.tasks}


async def test_with_topic_management_off_the_service_creates_no_topic_and_says_it_expects_them(
    infra: Infra, tmp_path: Path, kit_logs: list[logging.LogRecord]
) -> None:
    name = f"kt-{uuid.uuid4().hex[:6]}"
    topic = f"{name}.things.v1"
    off = kit_settings(
        infra,
        infra.fresh_database(),
        name,
        kafka_manage_topics=False,
        broker_watch_enabled=False,
        service_role="worker",
    )
    before = await topics_on(infra.kafka)
    async with running(a_spec(off, tmp_path, produces=[Topic(topic, owner=name)])) as (app, client):
        assert (await client.get("/readyz")).status_code == 200
        assert "broker-watch" not in task_names(app) and app.state.runtime.watch is None
        after = await topics_on(infra.kafka)
    assert after == before  # nothing created: neither the topic it announces on nor a watch marker
    assert any("expecting the platform to have created the topics" in r.getMessage() for r in kit_logs)

    # Switched on (the default): the topic is created, with the configured retention.
    on = kit_settings(infra, infra.fresh_database(), name, service_role="worker", kafka_topic_retention_ms=86_400_000)
    async with running(a_spec(on, tmp_path, produces=[Topic(topic, owner=name)])):
        assert topic in await topics_on(infra.kafka)
        admin = AIOKafkaAdminClient(bootstrap_servers=infra.kafka)
        await admin.start()
        try:
            described = await admin.describe_configs([_topic_resource(topic)])
        finally:
            await admin.close()
        configs = {c[0]: c[1] for r in described for res in r.resources for c in res[4]}
        assert configs.get("retention.ms") == "86400000"


def _topic_resource(topic: str):
    from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

    return ConfigResource(ConfigResourceType.TOPIC, topic)


async def test_with_the_watch_off_no_marker_appears_and_nothing_rewinds(
    infra: Infra, tmp_path: Path, kit_logs: list[logging.LogRecord], private_broker
) -> None:
    """Two processes read one topic of a private broker, which restarts and forgets everything. The
    watching one notices, recreates the topic and rewinds; the one with BROKER_WATCH_ENABLED=false makes
    no marker topic and rewinds nothing (on a real Kafka, nothing is ever lost that way)."""
    bootstrap, broker = private_broker
    topic = f"kt-{uuid.uuid4().hex[:6]}.things.v1"
    database = infra.fresh_database()
    blind = kit_settings(infra, database, f"kt-blind-{uuid.uuid4().hex[:4]}", broker_watch_enabled=False)
    watching = kit_settings(infra, database, f"kt-watch-{uuid.uuid4().hex[:4]}")
    for settings in (blind, watching):
        settings.kafka_bootstrap_servers = bootstrap
    blind_group, watching_group = f"blind-{uuid.uuid4().hex[:6]}", f"watching-{uuid.uuid4().hex[:6]}"

    def spec_of(settings: KitSettings, group: str) -> ServiceSpec:
        return a_spec(settings, tmp_path, subscriptions=[Subscription(group, handlers={thing_on(topic): ignore})])

    def rewound(group: str) -> bool:
        return any(
            r.getMessage() == "consumer rewinding to the beginning" and getattr(r, "group", None) == group
            for r in kit_logs
        )

    async with (
        running(spec_of(blind, blind_group)) as (blind_app, _),
        running(spec_of(watching, watching_group)) as (watching_app, _),
    ):

        async def markers() -> set[str]:
            return {t for t in await topics_on(bootstrap) if t.startswith("_kit.watch.")}

        await until(lambda: _has_marker(markers, watching.service_name), what="the watching process's marker topic")
        assert not [m for m in await markers() if f".{blind.service_name}." in m]
        assert blind_app.state.runtime.watch is None and "broker-watch" not in task_names(blind_app)

        broker.restart()

        def lost() -> list[logging.LogRecord]:
            return [r for r in kit_logs if r.getMessage().startswith("broker lost its state")]

        async def recreated() -> bool:
            return bool(lost()) and topic in await topics_on(bootstrap)

        await until(recreated, what="the watching process notices the loss and recreates the topic")
        watching_consumers = watching_app.state.runtime.consumers
        blind_consumers = blind_app.state.runtime.consumers
        # Asked to start over (the consumer seeks at its next fetch; the fault tests cover that).
        assert all(c._rewind.is_set() or rewound(c.subscription.group) for c in watching_consumers)
        assert len(lost()) == 1  # the blind process has no watch to notice anything
        assert not [m for m in await markers() if f".{blind.service_name}." in m]
        assert not any(c._rewind.is_set() for c in blind_consumers)
        assert not rewound(blind_group)


async def _has_marker(markers, service: str) -> bool:
    return any(f".{service}." in m for m in await markers())


async def test_an_api_process_serves_routes_and_holds_only_its_own_subscriptions_and_loops(
    infra: Infra, tmp_path: Path
) -> None:
    ran: list[str] = []

    async def shared_reconciler(runtime: Runtime) -> None:
        ran.append("shared")

    async def cache_refresh(runtime: Runtime) -> None:
        ran.append("process")

    topic = f"kt-{uuid.uuid4().hex[:6]}.things.v1"
    shared = Subscription("kt.shared", handlers={thing_on(topic): ignore})
    own = Subscription(f"kt.cache.{uuid.uuid4().hex[:6]}", handlers={thing_on(topic): ignore}, per_process=True)
    database = infra.fresh_database()
    parts = {"subscriptions": [shared, own], "background": [shared_reconciler], "process_loops": [cache_refresh]}

    api = kit_settings(infra, database, "ktapi", service_role="api", broker_watch_enabled=False)
    async with running(a_spec(api, tmp_path, **parts)) as (app, client):
        assert (await client.get("/v1/ktapi/thing")).json() == {"thing": True}
        assert (await client.get("/v1/ktapi/openapi.json")).status_code == 200
        assert (await client.get("/v1/ktapi/docs")).status_code == 200
        names = task_names(app)
        assert f"consumer:{own.group}" in names and "consumer:kt.shared" not in names
        assert any(n.startswith("consumer:ktapi.revocations.") for n in names)  # tokens checked here
        assert "outbox-relay" not in names and "retention_loop" not in names and "shared_reconciler" not in names
        await until(_async(lambda: "process" in ran), what="the per-process loop ran")
    assert "shared" not in ran

    ran.clear()
    worker = kit_settings(infra, database, "ktworker", service_role="worker", broker_watch_enabled=False)
    async with running(a_spec(worker, tmp_path, **parts)) as (app, client):
        assert (await client.get("/v1/ktworker/thing")).status_code == 404  # no API routes
        assert (await client.get("/v1/ktworker/openapi.json")).status_code == 404
        for path in ("/healthz", "/readyz", "/metrics"):
            assert (await client.get(path)).status_code == 200, path
        names = task_names(app)
        assert {"outbox-relay", "retention_loop", "shared_reconciler", "consumer:kt.shared"} <= names
        assert f"consumer:{own.group}" in names  # its caches are fed in every role
        assert not any(n.startswith("consumer:ktworker.revocations.") for n in names)  # it checks no tokens
        await until(_async(lambda: {"shared", "process"} <= set(ran)), what="both loops ran")

    ran.clear()
    everything = kit_settings(infra, database, "ktall", broker_watch_enabled=False)  # SERVICE_ROLE=all
    async with running(a_spec(everything, tmp_path, **parts)) as (app, client):
        assert (await client.get("/v1/ktall/thing")).status_code == 200
        names = task_names(app)
        assert {
            "outbox-relay",
            "retention_loop",
            "shared_reconciler",
            "consumer:kt.shared",
            f"consumer:{own.group}",
        } <= names
        assert any(n.startswith("consumer:ktall.revocations.") for n in names)


def _async(check):
    async def wrapped():
        return check()

    return wrapped


class PrivateBroker:
    """A Tansu of a test's own, which it may stop or restart (on the same port: it forgets everything)."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.log_dir = log_dir
        self.managed = None

    def start(self) -> None:
        self.managed = spawn("tansu-private", broker_argv(self.port), log_dir=self.log_dir, die_with_parent=True)
        wait_until(lambda: _port_open(self.port), timeout_s=30, what="private tansu", proc=self.managed)

    def stop(self) -> None:
        if self.managed is not None:
            stop(self.managed)
            self.managed = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def private_broker(tmp_path: Path):
    broker = PrivateBroker(tmp_path)
    broker.start()
    try:
        yield f"127.0.0.1:{broker.port}", broker
    finally:
        broker.stop()


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


async def test_readiness_follows_the_database_and_only_tells_the_brokers_state(
    infra: Infra, tmp_path: Path, private_broker
) -> None:
    bootstrap, broker = private_broker
    database_url = infra.fresh_database()
    database = database_url.rsplit("/", 1)[1]
    settings = kit_settings(infra, database_url, "ktready", service_role="api", broker_watch_enabled=False)
    settings.kafka_bootstrap_servers = bootstrap
    async with running(a_spec(settings, tmp_path)) as (_app, client):
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok"}}

        broker.stop()  # the broker goes away: still ready (requests write the outbox), and it says so

        async def broker_unreachable() -> httpx.Response | None:
            response = await client.get("/readyz")
            return response if response.json()["checks"]["broker"] == "unreachable" else None

        down = await until(broker_unreachable, what="readyz tells the broker is unreachable")
        assert down.status_code == 200 and down.json()["checks"]["database"] == "ok"
        assert (await client.get("/v1/ktready/thing")).status_code == 200

        # The database goes away: not ready.
        with psycopg.connect(infra.admin_url, autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (database,))
        try:

            async def not_ready() -> httpx.Response | None:
                response = await client.get("/readyz")
                return response if response.status_code == 503 else None

            refused = await until(not_ready, what="503 without the database")
            assert refused.json()["status"] == "not-ready"
            assert refused.json()["checks"]["database"] == "unreachable"
        finally:
            with psycopg.connect(infra.admin_url, autocommit=True) as admin:
                admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')

        async def ready_again() -> bool:
            return (await client.get("/readyz")).status_code == 200

        await until(ready_again, what="ready again once the database is back")


async def test_with_migrate_on_start_off_the_service_leaves_the_schema_alone(infra: Infra, tmp_path: Path) -> None:
    database_url = infra.fresh_database()
    settings = kit_settings(infra, database_url, "ktnomig", service_role="api", migrate_on_start=False)
    async with running(a_spec(settings, tmp_path)) as (_app, client):
        assert (await client.get("/readyz")).status_code == 200
        conn = await asyncpg.connect(database_url)
        try:
            assert await conn.fetchval("SELECT to_regclass('outbox_event')") is None
        finally:
            await conn.close()
