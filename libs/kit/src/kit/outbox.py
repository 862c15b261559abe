"""Transactional outbox: enqueue in the caller's transaction; a relay publishes to Kafka."""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from google.protobuf.message import Message

from kit.cloudevents import encode, new_event_id
from kit.db import transaction
from kit.telemetry import current_traceparent

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "outbox_event"  # the channel kit_0002_outbox_notify.sql notifies


OUTBOX_COLUMNS = "(ce_id, ce_type, ce_source, ce_subject, topic, partition_key, traceparent, payload)"


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One event to announce, as the values of an ``outbox_event`` row."""

    ce_id: uuid.UUID
    ce_type: str
    source: str
    subject: str | None
    topic: str
    key: str | None
    traceparent: str | None
    payload: bytes

    def params(self) -> tuple:
        """The values in ``OUTBOX_COLUMNS`` order."""
        return (
            self.ce_id,
            self.ce_type,
            self.source,
            self.subject,
            self.topic,
            self.key,
            self.traceparent,
            self.payload,
        )

    @staticmethod
    def placeholders(first: int) -> str:
        """``$first, ..., $first+7``: for a service statement that writes its row and this one together."""
        return ", ".join(f"${i}" for i in range(first, first + 8))


def outbox_row(
    *,
    topic: str,
    ce_type: str,
    source: str,
    message: Message,
    key: str | None,
    subject: str | None = None,
    ce_id: uuid.UUID | None = None,
) -> OutboxRow:
    return OutboxRow(
        ce_id or new_event_id(),
        ce_type,
        source,
        subject,
        topic,
        key,
        current_traceparent(),
        message.SerializeToString(),
    )


async def enqueue(
    conn: asyncpg.Connection,
    *,
    topic: str,
    ce_type: str,
    source: str,
    message: Message,
    key: str | None,
    subject: str | None = None,
    ce_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Write one event to the outbox inside the caller's open transaction.

    A service may instead write the row in the same statement as its state change (a CTE with
    ``OUTBOX_COLUMNS`` and ``OutboxRow.placeholders``): one round trip, still one transaction.
    """
    row = outbox_row(
        topic=topic, ce_type=ce_type, source=source, message=message, key=key, subject=subject, ce_id=ce_id
    )
    return await enqueue_row(conn, row)


async def enqueue_row(conn: asyncpg.Connection, row: OutboxRow) -> uuid.UUID:
    """Write a prepared event to the outbox inside the caller's open transaction."""
    assert conn.is_in_transaction(), "the outbox row must share the state change's transaction"
    await conn.execute(
        f"INSERT INTO outbox_event {OUTBOX_COLUMNS} VALUES ({OutboxRow.placeholders(1)})",  # noqa: S608 - fixed SQL
        *row.params(),
    )
    # The table's trigger (kit_0002_outbox_notify) wakes the relay at commit.
    return row.ce_id


class OutboxRelay:
    """Publishes unpublished outbox rows in id order; several processes may run one each.

    A row is marked published only after the broker acknowledged it (acks=all); a send that
    fails leaves the row for the next round, so a broker outage delays events but loses none.
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        producer: AIOKafkaProducer,
        *,
        batch_size: int = 500,
        poll_interval_s: float = 1.0,
    ) -> None:
        self._pool = pool
        self._producer = producer
        self._batch_size = batch_size
        self._poll_interval_s = poll_interval_s
        self._wake = asyncio.Event()

    async def run(self) -> None:
        listener = await self._pool.acquire()
        await listener.add_listener(NOTIFY_CHANNEL, self._on_notify)
        try:
            while True:
                self._wake.clear()
                try:
                    published = await self.publish_batch()
                except (OSError, asyncpg.PostgresError, KafkaError) as exc:
                    log.warning("outbox relay round failed; will retry", extra={"error": repr(exc)})
                    published = 0
                if published >= self._batch_size:
                    continue
                try:
                    await asyncio.wait_for(self._wake.wait(), self._poll_interval_s)
                except TimeoutError:
                    pass
        finally:
            await listener.remove_listener(NOTIFY_CHANNEL, self._on_notify)
            await self._pool.release(listener)

    def _on_notify(self, *_args: object) -> None:
        self._wake.set()

    async def publish_batch(self) -> int:
        """Publish one batch; return how many rows were published."""
        async with transaction(self._pool) as conn:
            rows = await conn.fetch(
                """SELECT id, ce_id, ce_type, ce_source, ce_subject, ce_time, topic, partition_key,
                          traceparent, payload
                     FROM outbox_event
                    WHERE published_at IS NULL
                    ORDER BY id
                    LIMIT $1
                    FOR UPDATE SKIP LOCKED""",
                self._batch_size,
            )
            if not rows:
                return 0
            sends = []
            for row in rows:
                message = encode(
                    ce_id=str(row["ce_id"]),
                    ce_type=row["ce_type"],
                    source=row["ce_source"],
                    subject=row["ce_subject"],
                    time=row["ce_time"] or datetime.now(UTC),
                    data=bytes(row["payload"]),
                    key=row["partition_key"],
                    traceparent=row["traceparent"],
                )
                sends.append(
                    await self._producer.send(
                        row["topic"],
                        value=message.value,
                        key=message.key.encode() if isinstance(message.key, str) else message.key,
                        headers=list(message.headers.items()),
                    )
                )
            results = await asyncio.gather(*sends, return_exceptions=True)
            outcomes = list(zip(rows, results, strict=True))
            done = [row["id"] for row, result in outcomes if not isinstance(result, BaseException)]
            failed = [row["id"] for row, result in outcomes if isinstance(result, BaseException)]
            if done:
                await conn.execute("UPDATE outbox_event SET published_at = now() WHERE id = ANY($1)", done)
            if failed:
                await conn.execute("UPDATE outbox_event SET attempts = attempts + 1 WHERE id = ANY($1)", failed)
                log.warning("outbox sends failed; will retry", extra={"failed": len(failed)})
            return len(done)
