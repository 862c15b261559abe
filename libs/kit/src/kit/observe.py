"""What an SRE watches a service by: HTTP request metrics per route, the gauges of the kit's machinery
(outbox backlog and age, consumer lag, dead letters) and ``/metrics`` itself, in one process or
aggregated over a pod's uvicorn workers (Prometheus multi-process mode, ``PROMETHEUS_MULTIPROC_DIR``).

The metric names are the platform's contract with its dashboards and autoscalers (README,
"Observability"); the counters of the bus and the relay live in ``kit.metrics``.
"""

from __future__ import annotations

import asyncio
import glob
import logging
import os
import re
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

import asyncpg
from aiokafka import AIOKafkaConsumer
from aiokafka.errors import KafkaError
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, make_asgi_app, multiprocess
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kit.bus import process_alive

if TYPE_CHECKING:
    from kit.bus import EventConsumer

log = logging.getLogger(__name__)

MULTIPROC_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"  # prometheus_client's own setting

UNMATCHED = "<unmatched>"  # the route label of a request no route matched (a 404 of a made-up path)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

HTTP_REQUESTS = Counter(
    "qinglang_http_requests_total",
    "HTTP requests answered, by route template and status",
    ["service", "method", "route", "status"],
)
HTTP_DURATION = Histogram(
    "qinglang_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response, by route template",
    ["service", "method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
# Sampled from the database by every process of a service: the most recent sample is the truth (a dead
# worker's older sample loses to a live one's).
OUTBOX_BACKLOG = Gauge(
    "qinglang_outbox_backlog", "Outbox rows not yet published", ["service"], multiprocess_mode="mostrecent"
)
OUTBOX_OLDEST_AGE = Gauge(
    "qinglang_outbox_oldest_age_seconds",
    "Age of the oldest unpublished outbox row (0 when none waits)",
    ["service"],
    multiprocess_mode="mostrecent",
)
DEAD_LETTERS = Gauge(
    "qinglang_dead_letters",
    "Rows of dead_letter_event waiting for replay, by consumer group",
    ["service", "consumer"],
    multiprocess_mode="mostrecent",
)
# Each process reports the partitions assigned to it: a group's lag is the sum over the live ones.
CONSUMER_LAG = Gauge(
    "qinglang_consumer_lag",
    "Messages behind the high-water mark, summed over the partitions of a topic assigned to this process",
    ["service", "group", "topic"],
    multiprocess_mode="livesum",
)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_DIR_ENV) or None


# ---- HTTP ------------------------------------------------------------------------------------------
def unobserved(path: str) -> bool:
    """Probes and the scrape itself: neither counted nor traced."""
    return path.endswith(("/healthz", "/readyz")) or path == "/metrics" or path.startswith("/metrics/")


class HttpMetrics:
    """Counts and times every request by its route TEMPLATE (``/v1/content/posts/{post_id}``, never
    the raw path: one series per route, whatever the ids), method and status.

    A pure ASGI middleware rather than prometheus-fastapi-instrumentator: our label names and
    exclusions, ~4 µs of CPU per request, about a third of what the instrumentator (8.1) added
    through the whole app (README, "Observability", measured). The route is the one the router
    matched (``scope["route"]``, set by Starlette's router on the shared scope); no match is
    ``<unmatched>``; an exception that escapes the app is counted as a 500. The services declare
    every route with its whole path (no router prefixes): this FastAPI keeps included routers
    nested, and a nested route's ``path`` would lack an outer router's prefix.
    """

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or unobserved(scope["path"]):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or UNMATCHED
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            HTTP_REQUESTS.labels(self.service, method, template, str(status)).inc()
            HTTP_DURATION.labels(self.service, method, template).observe(time.perf_counter() - started)


# ---- /metrics --------------------------------------------------------------------------------------
class _Endpoint:
    """An ASGI app as a route's endpoint (a plain function would be taken for a request handler)."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._app(scope, receive, send)


def metrics_route() -> Route:
    """``GET /metrics`` answered as is (a mount would redirect it to ``/metrics/`` first)."""
    return Route("/metrics", _Endpoint(metrics_app()), methods=["GET"], include_in_schema=False)


def metrics_app() -> ASGIApp:
    """``/metrics``: this process's registry, or, with ``PROMETHEUS_MULTIPROC_DIR`` set (several
    uvicorn workers in a pod), the aggregate of every worker's files, whichever worker answers."""
    if multiprocess_dir() is None:
        return make_asgi_app(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return make_asgi_app(registry)


_LIVE_FILE = re.compile(r"gauge_live\w+?_(\d+)\.db$")


def forget_dead_workers() -> list[int]:
    """Remove the live-gauge files of workers that are gone (killed: they could not do it themselves),
    so a dead worker's consumer lag is not summed forever; the pids forgotten. Run at each start."""
    path = multiprocess_dir()
    if path is None:
        return []
    dead = set()
    for file in glob.glob(os.path.join(path, "gauge_live*_*.db")):
        match = _LIVE_FILE.search(os.path.basename(file))
        if match and not process_alive(int(match.group(1))):
            dead.add(int(match.group(1)))
    for pid in dead:
        multiprocess.mark_process_dead(pid, path)
    return sorted(dead)


def worker_stopped() -> None:
    """A clean stop: this worker's live gauges leave the aggregate at once."""
    if multiprocess_dir() is not None:
        multiprocess.mark_process_dead(os.getpid())

    return True


# ---- gauges sampled from the database and the consumers -------------------------------------------
# The one query of the dead-letter gauge: rows waiting for an operator (replayed ones do not count).
DEAD_LETTERS_SQL = (
    "SELECT consumer, count(*) AS waiting FROM dead_letter_event WHERE replayed_at IS NULL GROUP BY consumer"
)
# Both read the partial index outbox_event_unpublished (only unpublished rows): cheap however long
# the table of published rows grows.
OUTBOX_BACKLOG_SQL = "SELECT count(*) FROM outbox_event WHERE published_at IS NULL"
OUTBOX_OLDEST_SQL = """SELECT extract(epoch FROM now() - created_at)::float8 FROM outbox_event
                        WHERE published_at IS NULL ORDER BY id LIMIT 1"""


class GaugeSampler:
    """Refreshes the gauges of one service process: the outbox and dead letters from its database, the
    lag of its running consumers from their clients (high-water mark minus position)."""

    def __init__(
        self, service: str, pool: asyncpg.Pool, consumers: Iterable[EventConsumer] = (), *, from_database: bool = True
    ) -> None:
        self.service = service
        self._pool = pool
        # The outbox and dead letters are the service's, the same seen from any process: sampled where the
        # shared work runs (all/worker), not again by every api process.
        self._from_database = from_database
        self._consumers = list(consumers)
        self._dead_letter_groups: set[str] = {c.subscription.group for c in self._consumers}

    async def run(self, interval_s: float) -> None:
        while True:
            try:
                await self.sample()
            except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
                log.info("metrics sample skipped: database unreachable", extra={"error": repr(exc)})
            await asyncio.sleep(interval_s)  # a sampling period, not synchronisation

    async def sample(self) -> None:
        if self._from_database:
            await self.sample_database()
        await self.sample_lag()

    async def sample_database(self) -> None:
        async with asyncio.timeout(5), self._pool.acquire() as conn:
            backlog = await conn.fetchval(OUTBOX_BACKLOG_SQL)
            oldest = await conn.fetchval(OUTBOX_OLDEST_SQL) if backlog else None
            waiting = {row["consumer"]: row["waiting"] for row in await conn.fetch(DEAD_LETTERS_SQL)}
        OUTBOX_BACKLOG.labels(self.service).set(backlog)
        OUTBOX_OLDEST_AGE.labels(self.service).set(max(0.0, oldest or 0.0))
        self._dead_letter_groups |= set(waiting)
        for group in self._dead_letter_groups:  # a group whose rows were all replayed goes back to 0
            DEAD_LETTERS.labels(self.service, group).set(waiting.get(group, 0))

    async def sample_lag(self) -> None:
        for consumer in self._consumers:
            lag = await consumer_lag(consumer.client, consumer.subscription.topics)
            if lag is None:
                continue
            for topic, behind in lag.items():
                CONSUMER_LAG.labels(self.service, consumer.subscription.group, topic).set(behind)


async def consumer_lag(client: AIOKafkaConsumer | None, topics: Iterable[str]) -> dict[str, int] | None:
    """Per topic, messages between the position and the high-water mark, summed over the partitions
    assigned to ``client`` (0 for a topic with none assigned here); None while it cannot tell (not
    started, rebalancing)."""
    if client is None:
        return None
    lag = dict.fromkeys(topics, 0)
    try:
        for tp in client.assignment():
            highwater = client.highwater(tp)
            if highwater is None:  # nothing fetched from it yet
                continue
            async with asyncio.timeout(1):
                position = await client.position(tp)
            lag[tp.topic] = lag.get(tp.topic, 0) + max(0, highwater - position)
    except (AssertionError, KafkaError, TimeoutError):  # the assignment changed under us: next round
        return None
    return lag
