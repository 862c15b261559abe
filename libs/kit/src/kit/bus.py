"""The Kafka event bus: producer, topic set-up, consumers with an inbox, and the broker watch.

Delivery is at least once everywhere; effects are exactly once because every consumer records
the event id in its inbox in the same transaction as the handler's effect, and commits the
offset only after that transaction committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import IllegalStateError, KafkaConnectionError, KafkaError, TopicAlreadyExistsError
from aiokafka.helpers import create_ssl_context
from contracts import CATALOGUE, EventType
from google.protobuf.message import DecodeError
from opentelemetry import trace

from kit.cloudevents import Event, UndecodableEvent, decode
from kit.db import is_transient, transaction
from kit.metrics import BROKER_STATE_LOST, EVENTS_DEAD_LETTERED, EVENTS_HANDLED, EVENTS_SKIPPED
from kit.settings import KitSettings
from kit.telemetry import context_from_traceparent

log = logging.getLogger(__name__)
tracer = trace.get_tracer("kit.bus")

Handler = Callable[[asyncpg.Connection, Event], Awaitable[None]]
# Handles several events of one type at once (one statement for all of them, say).
BatchHandler = Callable[[asyncpg.Connection, list[Event]], Awaitable[None]]


def kafka_client_options(settings: KitSettings) -> dict[str, object]:
    """How every Kafka client the kit makes (producer, consumers, admin, the broker watch) reaches the
    cluster: bootstrap servers and security, in one place so no client is left on plain text.

    TLS verifies the broker against ``KAFKA_SSL_CAFILE`` (the system's trust store when unset), with a
    client certificate for mutual TLS (a Strimzi ``tls`` user); SASL sends ``KAFKA_SASL_USERNAME`` and
    its password with ``KAFKA_SASL_MECHANISM`` (a Strimzi ``scram-sha-512`` user). The settings have
    already refused inconsistent combinations (``KitSettings._consistent``).
    """
    protocol = settings.kafka_security_protocol
    options: dict[str, object] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers,
        "security_protocol": protocol,
    }
    if protocol in ("SSL", "SASL_SSL"):
        options["ssl_context"] = create_ssl_context(
            cafile=settings.kafka_ssl_cafile,
            certfile=settings.kafka_ssl_certfile,
            keyfile=settings.kafka_ssl_keyfile,
        )
    if protocol in ("SASL_PLAINTEXT", "SASL_SSL"):
        assert settings.kafka_sasl_password is not None  # the settings validator ensures it
        options["sasl_mechanism"] = settings.kafka_sasl_mechanism
        options["sasl_plain_username"] = settings.kafka_sasl_username
        options["sasl_plain_password"] = settings.kafka_sasl_password.get_secret_value()
    return options


def create_admin(settings: KitSettings) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**kafka_client_options(settings))


def create_producer(settings: KitSettings) -> AIOKafkaProducer:
    # No idempotent producer: Tansu refuses it, and the outbox + inbox give the guarantees.
    return AIOKafkaProducer(
        **kafka_client_options(settings),
        client_id=settings.service_name,
        acks="all",
        enable_idempotence=False,
        # Tansu walks every stored batch of a partition on each fetch: 5 ms of linger coalesces
        # the relay's overlapping rounds into few, larger batches (TANSU.md).
        linger_ms=5,
    )


async def ensure_topics(settings: KitSettings, topics: Iterable[str]) -> list[str]:
    """Create the topics that do not exist yet, with the configured partition count and retention
    (``retention.ms``; Tansu keeps the config but deletes nothing, TANSU.md).

    Returns the topics this call created (an existing topic is not an error).
    """
    admin = create_admin(settings)
    await admin.start()
    try:
        return await _create_missing(admin, settings, topics)
    finally:
        await admin.close()


async def _create_missing(admin: AIOKafkaAdminClient, settings: KitSettings, topics: Iterable[str]) -> list[str]:
    wanted = sorted(set(topics))
    existing = set(await admin.list_topics())
    missing = [t for t in wanted if t not in existing]
    created = []
    for topic in missing:
        try:
            await admin.create_topics(
                [
                    NewTopic(
                        topic,
                        settings.kafka_topic_partitions,
                        settings.kafka_replication_factor,
                        topic_configs={"retention.ms": str(settings.kafka_topic_retention_ms)},
                    )
                ]
            )
            created.append(topic)
        except TopicAlreadyExistsError:
            pass  # another process created it between our list and create
    return created


@dataclass(frozen=True, slots=True)
class Subscription:
    """What one consumer group reads and how it handles each event type.

    Keys are the contract's ``EventType``s: the topics to read follow from them, and each handler
    gets ``event.message`` already parsed as the type's message. Events of other types on those topics
    are counted (``qinglang_events_skipped_total``) and logged, never dropped in silence.
    """

    group: str
    handlers: dict[EventType, Handler] = field(default_factory=dict)
    batch_handlers: dict[EventType, BatchHandler] = field(default_factory=dict)
    fetch_max_wait_ms: int | None = None  # None: the settings' default
    # A group of this process's own (its name holds host and pid), feeding what the process holds in
    # memory (a cache, the revocations): run by every process, api ones included. A shared group
    # (False) does the service's work once across processes: run only where SERVICE_ROLE is all/worker.
    per_process: bool = False

    def __post_init__(self) -> None:
        both = set(self.handlers) & set(self.batch_handlers)
        if both:
            raise ValueError(f"{self.group}: handled both one by one and in batches: {sorted(map(str, both))}")
        if not self.handlers and not self.batch_handlers:
            raise ValueError(f"{self.group}: a subscription handles at least one event type")

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(sorted({t.topic.name for t in (*self.handlers, *self.batch_handlers)}))

    @property
    def types(self) -> dict[str, EventType]:
        return {t.name: t for t in (*self.handlers, *self.batch_handlers)}

    def handles(self, ce_type: str) -> bool:
        return ce_type in self.types


class NotHandledHere(LookupError):
    """A parked event of a type its consumer group no longer handles."""


class _RewindOnAssign(ConsumerRebalanceListener):
    """Seeks to the beginning on an assignment that arrives while a rewind is owed (it was asked for
    while nothing was assigned to seek: a rebalance was under way); other rebalances (another process
    joining the group) resume from committed offsets as usual."""

    def __init__(self, owner: EventConsumer, consumer: AIOKafkaConsumer) -> None:
        self._owner = owner
        self._consumer = consumer

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        return None

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        if assigned and self._owner._rewind_owed:
            self._owner._rewind_owed = False
            await self._consumer.seek_to_beginning(*assigned)


class EventConsumer:
    """Runs one consumer group member: decode, inbox guard + handler in one transaction, commit."""

    def __init__(self, subscription: Subscription, pool: asyncpg.Pool, settings: KitSettings) -> None:
        self.subscription = subscription
        self._pool = pool
        self._settings = settings
        self._consumer: AIOKafkaConsumer | None = None
        self._rewind = asyncio.Event()
        self._rewind_owed = False  # seek to the beginning on the next assignment (see _RewindOnAssign)
        self._positions: dict[TopicPartition, int] = {}
        self._types = subscription.types
        self._handlers = {t.name: h for t, h in subscription.handlers.items()}
        self._batch_handlers = {t.name: h for t, h in subscription.batch_handlers.items()}
        self._skipped: set[str] = set()  # types logged as skipped once already

    @property
    def client(self) -> AIOKafkaConsumer | None:
        """The running Kafka consumer (None between restarts): its assignment, positions, high-water marks."""
        return self._consumer

    def request_rewind(self) -> None:
        """Start over from the beginning of every partition (after the broker lost its state)."""
        self._positions.clear()  # they describe the lost log: not a sign of another loss
        self._rewind.set()

    def beyond_log_end(self) -> bool:
        """True when our position is past a partition's high-water mark: the log was truncated.

        Kafka never shrinks a log under a live consumer; a broker that lost its data does.
        """
        consumer = self._consumer
        if consumer is None:
            return False
        for tp, position in self._positions.items():
            if tp not in consumer.assignment():
                continue
            highwater = consumer.highwater(tp)
            if highwater is not None and position > highwater:
                return True
        return False

    def _new_consumer(self) -> AIOKafkaConsumer:
        return AIOKafkaConsumer(
            **kafka_client_options(self._settings),
            group_id=self.subscription.group,
            client_id=f"{self._settings.service_name}:{self.subscription.group}",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self.subscription.fetch_max_wait_ms or self._settings.kafka_fetch_max_wait_ms,
            session_timeout_ms=self._settings.kafka_session_timeout_ms,
            heartbeat_interval_ms=self._settings.kafka_heartbeat_interval_ms,
            max_poll_interval_ms=300_000,
        )

    async def run(self) -> None:
        while True:
            consumer = self._new_consumer()
            consumer.subscribe(list(self.subscription.topics), listener=_RewindOnAssign(self, consumer))
            try:
                await consumer.start()
            except KafkaError as exc:
                log.warning(
                    "consumer could not start; retrying", extra={"group": self.subscription.group, "error": repr(exc)}
                )
                await consumer.stop()
                await asyncio.sleep(1)  # back-off before reconnecting, not synchronisation
                continue
            self._consumer = consumer
            self._positions.clear()
            try:
                await self._consume(consumer)
            finally:
                self._consumer = None
                await consumer.stop()

    async def _consume(self, consumer: AIOKafkaConsumer) -> None:
        while True:
            if self._rewind.is_set():
                await self._rewind_in_place(consumer)
            batch = await consumer.getmany(timeout_ms=500, max_records=500)
            if not batch:
                continue
            await self._handle_batch([record for records in batch.values() for record in records])
            offsets = {tp: records[-1].offset + 1 for tp, records in batch.items()}
            if self._rewind.is_set():
                continue  # these offsets are of a log the broker lost; start over
            self._positions.update(offsets)
            await self._commit(consumer, offsets)

    async def _rewind_in_place(self, consumer: AIOKafkaConsumer) -> None:
        """Start over from the beginning of every assigned partition, keeping this group member.

        A new consumer would leave the group and join it again, and each process's rewind would cost
        the whole group a rebalance (the broker holds every join for half a session): after a restart
        decisions stalled for seconds per member. A seek costs one offset lookup. If no partition is
        assigned now (the restart's own rebalance is under way), the next assignment seeks instead.
        """
        self._rewind.clear()
        self._positions.clear()
        sought = False
        if consumer.assignment():
            with contextlib.suppress(IllegalStateError, AssertionError):  # the assignment changed meanwhile
                sought = await consumer.seek_to_beginning()
        self._rewind_owed = not sought
        log.warning("consumer rewinding to the beginning", extra={"group": self.subscription.group})

    async def _commit(self, consumer: AIOKafkaConsumer, offsets: dict[TopicPartition, int]) -> None:
        # Bounded: against a broker that lost the topic, commit() can retry forever; and a rewind
        # (the broker lost its state) abandons it at once: those offsets describe a log that is gone.
        commit = asyncio.ensure_future(consumer.commit(offsets))
        rewind = asyncio.ensure_future(self._rewind.wait())
        try:
            done, _ = await asyncio.wait(
                {commit, rewind}, timeout=self._settings.kafka_commit_timeout_s, return_when=asyncio.FIRST_COMPLETED
            )
            if commit not in done:
                raise TimeoutError("offset commit did not finish")
            commit.result()
        except (TimeoutError, KafkaError) as exc:
            log.warning(
                "offset commit failed; events may be redelivered (the inbox drops them)",
                extra={"group": self.subscription.group, "error": repr(exc)},
            )
        finally:
            for task in (commit, rewind):
                task.cancel()
            await asyncio.gather(commit, rewind, return_exceptions=True)

    async def _handle_batch(self, records: list) -> None:
        """Handle a fetched batch in transactions of up to ``events_per_transaction`` events (one
        inbox insert, one commit each: few commits, yet the first events' effects are not held
        back by the last ones). If any handler fails, its chunk is rolled back and handled event by
        event, so one bad event parks alone."""
        work: list[Event] = []
        for record in records:
            try:
                event = decode(
                    record.headers,
                    record.key,
                    record.value,
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                )
            except UndecodableEvent as exc:
                reason = f"undecodable: {exc}"
                await self._with_transient_retry(lambda r=record, why=reason: self._dead_letter(r, None, why))
                continue
            event_type = self._types.get(event.type)
            if event_type is None:
                self._skip(event)
                continue
            try:
                work.append(replace(event, message=event_type.parse(event.data)))
            except DecodeError as exc:
                reason = f"not a {event_type.message.__name__}: {exc}"
                await self._with_transient_retry(lambda r=record, e=event, why=reason: self._dead_letter(r, e, why))
        size = self._settings.kafka_events_per_transaction
        for start in range(0, len(work), size):
            await self._handle_chunk(records, work[start : start + size])

    def _skip(self, event: Event) -> None:
        """Another type on a topic this group reads: counted always, logged once per type; a type the
        contract does not know (a newer producer, or a typo) is a warning."""
        reason = "not_subscribed" if CATALOGUE.known(event.type) else "unknown"
        EVENTS_SKIPPED.labels(self.subscription.group, event.type, reason).inc()
        if event.type in self._skipped:
            return
        self._skipped.add(event.type)
        extra = {"group": self.subscription.group, "ce_type": event.type, "topic": event.topic}
        if reason == "unknown":
            log.warning("event of a type the contract does not know: skipped (counted)", extra=extra)
        else:
            log.info("events of a type this group does not handle: skipped (counted)", extra=extra)

    async def _handle_chunk(self, records: list, work: list[Event]) -> None:
        if len(work) > 1:
            try:
                await self._with_transient_retry(lambda: self._handle_together(work))
                return
            except Exception:  # noqa: BLE001 - isolate the failing event below; nothing is lost
                log.info("batch failed; handling its events one by one", extra={"group": self.subscription.group})
        by_offset = {(r.topic, r.partition, r.offset): r for r in records}
        for event in work:
            await self._handle_alone(by_offset[(event.topic, event.partition, event.offset)], event)

    async def _handle_together(self, work: list[Event]) -> None:
        async with transaction(self._pool) as conn:
            claimed = {
                row["ce_id"]
                for row in await conn.fetch(
                    """INSERT INTO inbox_event (consumer, ce_id, ce_type)
                       SELECT $1, e.id, e.type FROM unnest($2::text[], $3::text[]) AS e(id, type)
                       ON CONFLICT DO NOTHING RETURNING ce_id""",
                    self.subscription.group,
                    [e.id for e in work],
                    [e.type for e in work],
                )
            }
            todo = []
            for event in work:
                if event.id in claimed:  # handled before (or twice in this batch): no second effect
                    claimed.discard(event.id)
                    todo.append(event)
            await self._apply(conn, todo)
        for event in todo:
            EVENTS_HANDLED.labels(self.subscription.group, event.type).inc()

    async def _apply(self, conn: asyncpg.Connection, events: list[Event]) -> None:
        """Run the handlers inside the caller's transaction; a type with a batch handler gets its
        events in one call, in the order they came."""
        batches: dict[str, list[Event]] = {}
        for event in events:
            if event.type in self._batch_handlers:
                batches.setdefault(event.type, []).append(event)
            else:
                with self._span(event):
                    await self._handlers[event.type](conn, event)
        for ce_type, group in batches.items():
            with self._span(group[0]):
                await self._batch_handlers[ce_type](conn, group)

    async def _with_transient_retry(self, attempt: Callable[[], Awaitable[None]]) -> None:
        """An outage is never a reason to park an event: retry until the database is back."""
        delay = 0.1
        while True:
            try:
                return await attempt()
            except Exception as exc:
                if not is_transient(exc):
                    raise
                log.warning(
                    "transient error while handling; retrying",
                    extra={"group": self.subscription.group, "error": repr(exc)},
                )
                await asyncio.sleep(delay)  # back-off, not synchronisation
                delay = min(delay * 2, 5.0)

    async def _handle_alone(self, record, event: Event) -> None:
        try:
            await self._with_transient_retry(lambda: self._handle_once(event))
        except Exception as exc:  # a bug or bad data: park it whole for replay, keep the partition moving
            # In the event's trace: the failure's log line carries its trace id, and the trace shows the park.
            with tracer.start_as_current_span(
                f"dead-letter {event.type}",
                context=context_from_traceparent(event.traceparent),
                attributes={"messaging.consumer.group.name": self.subscription.group},
            ) as span:
                span.record_exception(exc)
                span.set_status(trace.Status(trace.StatusCode.ERROR, "handler failed; parked"))
                log.exception(
                    "handler failed; event parked in dead_letter_event",
                    extra={"group": self.subscription.group, "ce_type": event.type, "ce_id": event.id},
                )
                reason = repr(exc)
                await self._with_transient_retry(lambda: self._dead_letter(record, event, reason))

    def _span(self, event: Event):
        return tracer.start_as_current_span(
            f"consume {event.type}",
            context=context_from_traceparent(event.traceparent),
            kind=trace.SpanKind.CONSUMER,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": event.topic,
                "messaging.message.id": event.id,
                "messaging.consumer.group.name": self.subscription.group,
            },
        )

    async def _handle_once(self, event: Event) -> None:
        async with transaction(self._pool) as conn:
            claimed = await self._guarded(conn, event)
        if claimed:
            EVENTS_HANDLED.labels(self.subscription.group, event.type).inc()

    async def _guarded(self, conn: asyncpg.Connection, event: Event) -> bool:
        """The inbox guard and the handler, in the caller's transaction: False (and no effect) when this
        group handled the event before."""
        claimed = await conn.fetchval(
            """INSERT INTO inbox_event (consumer, ce_id, ce_type) VALUES ($1, $2, $3)
               ON CONFLICT DO NOTHING RETURNING true""",
            self.subscription.group,
            event.id,
            event.type,
        )
        if not claimed:
            return False  # handled before: a redelivery has no second effect
        await self._apply(conn, [event])
        return True

    async def handle_parked(self, conn: asyncpg.Connection, event: Event) -> bool:
        """Handle an event this group parked in ``dead_letter_event`` (``python -m kit.ops dead-letters
        replay``) exactly as a fetched one is handled alone: its type's message parsed, then the inbox guard
        and the handler (one by one or batch) in the caller's transaction, so the caller records the replay
        in the same one. True when the handler ran now, False when the inbox had the event already (no
        second effect). Raises ``NotHandledHere`` for a type the group no longer handles; whatever parsing
        or the handler raises goes to the caller, whose transaction then commits nothing. Not retried and
        not counted in the metrics: an operator's command reports the error instead."""
        event_type = self._types.get(event.type)
        if event_type is None:
            raise NotHandledHere(f"group {self.subscription.group!r} does not handle {event.type!r} any more")
        return await self._guarded(conn, replace(event, message=event_type.parse(event.data)))

    async def _dead_letter(self, record, event: Event | None, error: str) -> None:
        EVENTS_DEAD_LETTERED.labels(self.subscription.group).inc()
        headers = {name: raw.decode("utf-8", "replace") for name, raw in record.headers}
        async with transaction(self._pool) as conn:
            await conn.execute(
                """INSERT INTO dead_letter_event (consumer, topic, kafka_partition, kafka_offset, ce_id, ce_type,
                                                  headers, payload, error, partition_key)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""",
                self.subscription.group,
                record.topic,
                record.partition,
                record.offset,
                event.id if event else None,
                event.type if event else None,
                json.dumps(headers),
                record.value or b"",
                error[:2000],
                record.key.decode("utf-8", "replace") if record.key else None,
            )


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` of this machine still runs (signal 0; someone else's counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


class BrokerWatch:
    """Notices a broker that lost its state and puts this process back on its feet.

    A memory-only broker (Tansu) that restarts forgets topics and offsets, and running clients
    do not notice. Three signs, none of which a healthy Kafka ever shows: this process's own marker
    topic is gone (only this process creates it, so no other process can have recreated it before
    we looked: every process notices within one interval), a topic we use is gone, or a consumer's
    position is past its partition's high-water mark. On any of them, the watch
    recreates the topics and rewinds every consumer to the beginning (the inbox drops what was
    handled); the services' reconcilers re-announce what was lost in flight.
    """

    def __init__(
        self,
        settings: KitSettings,
        topics: Iterable[str],
        consumers: list[EventConsumer],
        *,
        on_state_lost: Callable[[], None] | None = None,
        marker: str | None = None,
    ) -> None:
        self._settings = settings
        self._topics = sorted(set(topics))
        self._consumers = consumers
        self._on_state_lost = on_state_lost  # the reconcilers re-announce what was in flight
        self._marker = marker  # a one-partition topic of this process's own
        self._marker_made = False

    async def run(self) -> None:
        admin: AIOKafkaAdminClient | None = None
        try:
            while True:
                await asyncio.sleep(self._settings.broker_watch_interval_s)  # a period, not synchronisation
                try:
                    if admin is None:
                        admin = create_admin(self._settings)
                        await admin.start()
                    await self.check(admin)
                except (KafkaError, KafkaConnectionError, OSError) as exc:
                    log.info("broker watch could not reach the broker", extra={"error": repr(exc)})
                    if admin is not None:
                        await admin.close()
                        admin = None
        finally:
            if admin is not None:
                if self._marker_made:  # leave no marker behind on a clean stop
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(admin.delete_topics([self._marker]), 2)
                await admin.close()

    async def _marker_lost(self, admin: AIOKafkaAdminClient, existing: set[str]) -> bool:
        if self._marker is None:
            return False
        if self._marker in existing:
            self._marker_made = True
            return False
        lost = self._marker_made
        if not lost:
            await self._forget_dead_markers(admin, existing)
        try:
            await admin.create_topics([NewTopic(self._marker, 1, self._settings.kafka_replication_factor)])
        except TopicAlreadyExistsError:
            pass
        self._marker_made = True
        return lost

    async def _forget_dead_markers(self, admin: AIOKafkaAdminClient, existing: set[str]) -> None:
        """Markers of this service's processes on this host that are gone (killed, so they could not
        delete theirs): delete them, so crashes do not pile marker topics up."""
        prefix = self._marker.rsplit(".", 1)[0] + "."
        dead = [
            topic
            for topic in existing
            if topic.startswith(prefix)
            and topic != self._marker
            and topic[len(prefix) :].isdigit()
            and not process_alive(int(topic[len(prefix) :]))
        ]
        if dead:
            with contextlib.suppress(KafkaError):
                await admin.delete_topics(dead)

    async def check(self, admin: AIOKafkaAdminClient) -> bool:
        existing = set(await admin.list_topics())
        marker_lost = await self._marker_lost(admin, existing)
        missing = [t for t in self._topics if t not in existing]
        truncated = any(c.beyond_log_end() for c in self._consumers)
        if not missing and not truncated and not marker_lost:
            return False
        BROKER_STATE_LOST.inc()
        log.warning(
            "broker lost its state: recreating topics and rewinding consumers",
            extra={"missing_topics": missing, "truncated_log": truncated, "marker_lost": marker_lost},
        )
        await _create_missing(admin, self._settings, self._topics)
        for consumer in self._consumers:
            consumer.request_rewind()
        if self._on_state_lost is not None:
            self._on_state_lost()
        return True
