"""The service skeleton: app factory and lifespan wiring pool, migrations, bus and background work.

A service states what it is (title, prefix, routers, topics, subscriptions, background loops);
the kit runs it. Each service process is stateless: run as many as the load needs.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import os
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from contracts import Topic
from contracts.staff import STAFF_AUDITORS
from contracts.userlog import USER_LOG_TOPICS
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from kit import observe
from kit.auth import TokenVerifier, staff_actions_router
from kit.bus import BrokerWatch, EventConsumer, Subscription, create_producer, ensure_topics
from kit.db import apply_migrations_async, create_pool, retry_while_unavailable, transaction
from kit.outbox import OutboxRelay, purge_transport_rows, replay_published, wait_event
from kit.problems import NotFound, install_problem_handlers
from kit.revocation import revocation_subscription
from kit.settings import KitSettings
from kit.telemetry import setup_logging, setup_tracing, shutdown_tracing
from kit.userlog import UserLog

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """What a running service process holds; handlers and loops get it from ``app.state.runtime``."""

    settings: KitSettings
    pool: asyncpg.Pool
    producer: AIOKafkaProducer
    consumers: list[EventConsumer] = field(default_factory=list)
    watch: BrokerWatch | None = None
    tasks: list[asyncio.Task] = field(default_factory=list)
    _broker_reset: asyncio.Event = field(default_factory=asyncio.Event)
    _losses: int = 0  # how often the broker lost its state while this process ran
    _lost_at: float = 0.0  # the event loop's time of the latest loss

    @functools.cached_property
    def user_log(self) -> UserLog | None:
        """This service's user log announcements (MB-16.2); None for a process that is none of the
        platform's services (a test's)."""
        if self.settings.service_name not in USER_LOG_TOPICS:
            return None
        if self.settings.user_log_seal_key is None:
            log.warning("USER_LOG_SEAL_KEY is not set: user log entries carry no network address (MB-16.2)")
        return UserLog(self.settings.service_name, self.settings.user_log_seal_key)

    def broker_state_lost(self) -> None:
        """The broker forgot what it held: wake every reconciler now (each one waits on its own)."""
        self._losses += 1
        self._lost_at = asyncio.get_running_loop().time()
        signal, self._broker_reset = self._broker_reset, asyncio.Event()
        signal.set()

    async def reconcile_periods(self, period_s: float, *, grace_s: float = 0.0) -> AsyncIterator[ReconcileRound]:
        """A reconciler's clock: a round once every ``period_s``, and one at once when the broker lost
        its state (also when that happened while the previous round ran: losses are counted, so none
        is missed). In an ordinary round, work in flight longer than ``grace_s`` goes again; in a round
        after a loss, everything announced before the loss goes again now, not after its grace period,
        since the broker no longer holds it (the recovery bound, README)."""
        seen = self._losses
        while True:
            if self._losses == seen:
                await wait_event(self._broker_reset, period_s)
            if self._losses != seen:
                seen = self._losses
                yield ReconcileRound(grace_s=grace_s, lost_at=self._lost_at)
            else:
                yield ReconcileRound(grace_s=grace_s, lost_at=None)

    async def reannounce_forever(
        self,
        *,
        period_s: float,
        grace_s: float,
        announce: Callable[[asyncpg.Connection, float, int], Awaitable[int]],
        what: str,
        batch: int = 500,
    ) -> None:
        """A reconciler: each round (``reconcile_periods``) ``announce(conn, older_than_s, limit)``
        claims up to ``limit`` pieces of work in flight longer than ``older_than_s``, announces them
        again in the same transaction and says how many; a round drains them batch by batch."""
        async for round_ in self.reconcile_periods(period_s, grace_s=grace_s):
            while True:
                async with transaction(self.pool) as conn:
                    count = await announce(conn, round_.older_than_s, batch)
                if count:
                    log.info("re-announced %s", what, extra={"count": count})
                if count < batch:
                    break


@dataclass(frozen=True, slots=True)
class ReconcileRound:
    grace_s: float
    lost_at: float | None  # the event loop's time when the broker's loss was noticed

    @property
    def older_than_s(self) -> float:
        """Announce again what was last announced longer ago than this (re-read in each batch: work
        announced again in this round is younger than the loss, so a batch never takes it twice)."""
        if self.lost_at is None:
            return self.grace_s
        return max(0.0, asyncio.get_running_loop().time() - self.lost_at)


BackgroundLoop = Callable[[Runtime], Awaitable[None]]


@dataclass(frozen=True)
class ServiceSpec:
    name: str  # url-safe service name: identity, content, ...
    title: str
    settings: KitSettings
    migrations_dir: Path
    routers: Sequence[APIRouter] = ()
    produces: Sequence[Topic] = ()  # the contract's topics this service announces on
    subscriptions: Sequence[Subscription] = ()
    # Loops doing the service's shared work (reconcilers, purges, scans): run where SERVICE_ROLE is
    # all or worker, never in an api process.
    background: Sequence[BackgroundLoop] = ()
    # Loops every process runs for what it holds in memory (a cache refresh): api processes included.
    process_loops: Sequence[BackgroundLoop] = ()
    on_ready: Callable[[Runtime, FastAPI], Awaitable[None]] | None = None
    # Roles that may read this service's record of staff actions (`{prefix}/staff-actions`).
    staff_auditors: Sequence[str] = STAFF_AUDITORS
    description: str = ""


async def _supervise(name: str, make: Callable[[], Awaitable[None]]) -> None:
    """Keep a background loop alive: an unexpected crash is logged and the loop restarted."""
    delay = 0.5
    while True:
        try:
            await make()
            return
        except asyncio.CancelledError:
            raise
        except Exception:  # a loop must never die silently; log it and start again
            log.exception("background loop crashed; restarting", extra={"loop": name})
            await asyncio.sleep(delay)  # back-off, not synchronisation
            delay = min(delay * 2, 10)


async def _start_producer(settings: KitSettings) -> AIOKafkaProducer:
    deadline = asyncio.get_running_loop().time() + settings.startup_dependency_timeout_s
    while True:
        producer = create_producer(settings)
        try:
            await producer.start()
            return producer
        except KafkaError:
            await producer.stop()
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.5)  # back-off while the broker comes up


async def _ensure_topics_with_retry(settings: KitSettings, topics: set[str]) -> None:
    deadline = asyncio.get_running_loop().time() + settings.startup_dependency_timeout_s
    while True:
        try:
            await ensure_topics(settings, topics)
            return
        except (KafkaError, OSError):
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.5)  # back-off while the broker comes up


@dataclass(frozen=True, slots=True)
class RolePlan:
    """What one process runs, by SERVICE_ROLE: ``all`` everything (`make up`); ``api`` the HTTP routes
    and what each process holds for its requests (per-process subscriptions and loops, the token
    revocations); ``worker`` the shared consumer groups, the outbox relay, the reconcilers and loops, and
    only health and metrics over HTTP. API pods then scale on requests and worker pods on Kafka lag."""

    serves_api: bool  # the service's routes (and so the token revocations they check)
    runs_shared_work: bool  # shared consumer groups, relay, background loops, retention

    @classmethod
    def of(cls, role: str) -> RolePlan:
        return cls(serves_api=role in ("all", "api"), runs_shared_work=role in ("all", "worker"))

    def subscriptions(self, spec: ServiceSpec, verifier: TokenVerifier) -> list[Subscription]:
        chosen = [s for s in spec.subscriptions if s.per_process or self.runs_shared_work]
        if self.serves_api:
            # Every process serving requests honours token revocations at once (a revoked API client, BJ-7(6)).
            chosen.append(revocation_subscription(spec.name, verifier))
        return chosen

    def loops(self, spec: ServiceSpec) -> list[BackgroundLoop]:
        shared = [*spec.background, retention_loop, replay_on_loss] if self.runs_shared_work else []
        return [*spec.process_loops, *shared]


async def retention_loop(runtime: Runtime) -> None:
    """Purge published outbox rows and inbox rows past their retention (transport, not records: MB-16.2
    does not apply), then wait ``RETENTION_INTERVAL_S``."""
    settings = runtime.settings
    while True:
        await purge_transport_rows(
            runtime.pool,
            outbox_older_than_s=settings.outbox_retention_hours * 3600,
            inbox_older_than_s=settings.inbox_retention_hours * 3600,
        )
        await asyncio.sleep(settings.retention_interval_s)  # a period, not synchronisation


async def replay_on_loss(runtime: Runtime) -> None:
    """After a broker lost its state, publish the service's user log entries of the last
    ``OUTBOX_REPLAY_WINDOW_S`` again (MB-16.2). Other events have reconcilers that re-announce what is not
    confirmed; a user log entry is a record no one confirms, so the broker may have lost it before the archive
    read it. The archive keeps one record per entry id: what it had already adds nothing."""
    if runtime.user_log is None:
        return
    async for round_ in runtime.reconcile_periods(3600.0):
        if round_.lost_at is None:
            continue  # an ordinary hour: nothing was lost
        again = await replay_published(
            runtime.pool, [runtime.user_log.topic], within_s=runtime.settings.outbox_replay_window_s
        )
        if again:
            log.warning("user log entries published again after a broker loss", extra={"count": again})


async def _prepare_topics(settings: KitSettings, topics: set[str]) -> None:
    if settings.kafka_manage_topics:
        await _ensure_topics_with_retry(settings, topics)
    else:
        log.info(
            "topic management off (KAFKA_MANAGE_TOPICS=false): expecting the platform to have created the topics",
            extra={"topics": sorted(topics)},
        )


async def _close_pool(pool: asyncpg.Pool, timeout_s: float = 5.0) -> None:
    """Close the pool, bounded: a connection that a cancelled task did not give back must not hold a
    stopping pod for asyncpg's minute (seen in about one shutdown in six right after start-up in the kit's
    tests, with or without the retention loop; the cause is not pinned down)."""
    try:
        await asyncio.wait_for(pool.close(), timeout_s)
    except TimeoutError:
        log.warning("database pool did not close in time; terminating its connections")
        pool.terminate()


def watch_marker(service: str) -> str:
    """The broker watch's marker topic of this process (legal Kafka topic characters only)."""
    host = re.sub(r"[^a-zA-Z0-9._-]", "-", socket.gethostname())
    return f"_kit.watch.{service}.{host}.{os.getpid()}"


def create_service_app(spec: ServiceSpec) -> FastAPI:
    settings = spec.settings
    prefix = f"/v1/{spec.name}"
    plan = RolePlan.of(settings.service_role)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_logging(settings.service_name, settings.log_level)
        setup_tracing(settings.service_name, settings.otel_traces_exporter)
        observe.forget_dead_workers()
        # Dependencies may come up after us (or be restarting): wait for them, for a bounded time.
        wait = settings.startup_dependency_timeout_s
        if settings.migrate_on_start:
            await apply_migrations_async(settings.database_url, spec.migrations_dir, timeout_s=wait)
        pool = await create_pool(
            settings.database_url, min_size=settings.db_pool_min, max_size=settings.db_pool_max, timeout_s=wait
        )
        subscriptions = plan.subscriptions(spec, app.state.token_verifier)
        topics = {t.name for t in spec.produces} | {t for s in subscriptions for t in s.topics}
        await _prepare_topics(settings, topics)
        producer = await _start_producer(settings)
        runtime = Runtime(settings=settings, pool=pool, producer=producer)
        runtime.consumers = [EventConsumer(sub, pool, settings) for sub in subscriptions]
        loops: list[tuple[str, Callable[[], Awaitable[None]]]] = []
        if settings.broker_watch_enabled:
            runtime.watch = BrokerWatch(
                settings,
                topics,
                runtime.consumers,
                on_state_lost=runtime.broker_state_lost,
                marker=watch_marker(settings.service_name),
            )
            loops.append(("broker-watch", runtime.watch.run))
        app.state.runtime = runtime
        if plan.runs_shared_work:
            relay = OutboxRelay(
                pool,
                producer,
                database_url=settings.database_url,
                batch_size=settings.outbox_batch_size,
                poll_interval_s=settings.outbox_poll_interval_s,
                publish_spans=settings.otel_traces_exporter != "none",
            )
            loops.append(("outbox-relay", relay.run))
        sampler = observe.GaugeSampler(
            settings.service_name, pool, runtime.consumers, from_database=plan.runs_shared_work
        )
        loops.append(("metrics-sampler", lambda: sampler.run(settings.metrics_sample_interval_s)))
        loops += [(f"consumer:{c.subscription.group}", c.run) for c in runtime.consumers]
        loops += [(getattr(b, "__name__", "loop"), (lambda b=b: b(runtime))) for b in plan.loops(spec)]
        runtime.tasks = [asyncio.create_task(_supervise(name, make), name=name) for name, make in loops]
        if spec.on_ready is not None:
            await retry_while_unavailable("on_ready", lambda: spec.on_ready(runtime, app), timeout_s=wait)
        # What start-up built (modules, the app, its schemas: ~130,000 objects) lives as long as the process:
        # kept out of the collector's sight, a full collection under load walks only what requests left
        # behind (~0 ms instead of ~30 ms, during which the worker answers nobody).
        gc.freeze()
        log.info("service ready", extra={"port": settings.port, "role": settings.service_role})
        try:
            yield
        finally:
            for task in runtime.tasks:
                task.cancel()
            await asyncio.gather(*runtime.tasks, return_exceptions=True)
            await producer.stop()
            await _close_pool(pool)
            observe.worker_stopped()
            shutdown_tracing()

    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version="1.0.0",
        lifespan=lifespan,
        docs_url=None,  # served below with the assets from a package, not a CDN
        redoc_url=None,
        # Stable operation ids: the route function's name (`create_post`), not one generated from path
        # and method; clients generated from the OpenAPI keep their method names.
        generate_unique_id_function=_operation_id,
        openapi_url=f"{prefix}/openapi.json" if plan.serves_api else None,
        # FastAPI's own OpenTelemetry: one span per request, continuing the caller's traceparent
        # (Traefik's). Per-operation spans cost more than they tell on this hot path.
        telemetry={"operation_spans": False, "metrics": False, "logs": False, "exclude": _untraced},
    )
    app.state.spec = spec  # what it announces and reads: the contract test walks every service's
    app.state.token_verifier = TokenVerifier(
        settings.jwks_url, issuer=settings.token_issuer, audience=settings.token_audience
    )
    install_problem_handlers(app)
    app.add_middleware(observe.HttpMetrics, service=settings.service_name)
    app.include_router(health_router(prefix))
    if plan.serves_api:  # a worker answers health and metrics only
        _include_api(app, spec, prefix)
    app.router.routes.append(observe.metrics_route())
    return app


def _include_api(app: FastAPI, spec: ServiceSpec, prefix: str) -> None:
    app.include_router(docs_router(prefix, spec.title))
    if spec.staff_auditors:
        app.include_router(staff_actions_router(prefix, *spec.staff_auditors))
    for router in spec.routers:
        app.include_router(router)


def _operation_id(route: APIRoute) -> str:
    return route.name


# Swagger UI's files come with a package (fastapi-swagger ships a current build): the docs page works
# where a CDN cannot be reached (many networks in China, any offline machine).
_SWAGGER_ASSETS = resources.files("fastapi_swagger.resources")
_SWAGGER_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}


def docs_router(prefix: str, title: str) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    async def api_docs(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{prefix}/openapi.json",
            title=f"{title} - API",
            swagger_js_url=f"{prefix}/docs/assets/swagger-ui-bundle.js",
            swagger_css_url=f"{prefix}/docs/assets/swagger-ui.css",
            swagger_favicon_url=f"{prefix}/docs/assets/favicon-32x32.png",
        )

    async def api_docs_asset(name: str) -> Response:
        media_type = _SWAGGER_FILES.get(name)
        if media_type is None:
            raise NotFound("No such file of the API docs.")
        return Response(
            (_SWAGGER_ASSETS / name).read_bytes(),
            media_type=media_type,
            headers={"Cache-Control": "public, max-age=86400"},
        )

    router.add_api_route(f"{prefix}/docs", api_docs, methods=["GET"])
    router.add_api_route(f"{prefix}/docs/assets/{{name}}", api_docs_asset, methods=["GET"])
    return router


def _untraced(scope: dict) -> bool:
    return observe.unobserved(scope.get("path", ""))


def health_router(prefix: str) -> APIRouter:
    router = APIRouter(tags=["health"])

    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    for path in ("/healthz", f"{prefix}/healthz"):
        router.add_api_route(path, healthz, methods=["GET"], include_in_schema=path.startswith(prefix), name="liveness")
    router.add_api_route("/readyz", _readyz, methods=["GET"], include_in_schema=False, name="readiness")
    router.add_api_route(f"{prefix}/readyz", _readyz, methods=["GET"], name="readiness")
    return router


async def _readyz(response: Response, request: Request) -> dict[str, object]:
    """Ready when started and the database answers, in every role. The broker's state is told, not
    gating: requests write the outbox, which waits out a broker outage; taking every pod out of service
    while Kafka is down would turn a delay into an outage."""
    runtime: Runtime | None = getattr(request.app.state, "runtime", None)
    checks: dict[str, str] = {}
    if runtime is None:
        checks["startup"] = "pending"
    else:
        try:
            async with asyncio.timeout(2):
                await runtime.pool.fetchval("SELECT 1")
            checks["database"] = "ok"
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
            checks["database"] = "unreachable"
    ready = all(v == "ok" for v in checks.values())
    if runtime is not None:  # information only
        checks["broker"] = await _broker_state(runtime.producer)
    response.status_code = 200 if ready else 503
    return {"status": "ready" if ready else "not-ready", "checks": checks}


async def _broker_state(producer: AIOKafkaProducer) -> str:
    """Whether the broker answers a metadata request now (cached metadata would say "ok" for ever)."""
    try:
        async with asyncio.timeout(1):
            return "ok" if await producer.client.force_metadata_update() else "unreachable"
    except (TimeoutError, KafkaError, OSError):
        return "unreachable"
