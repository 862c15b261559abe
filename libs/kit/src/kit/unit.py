"""The database port every service's handlers take (the house plan: handlers own the transaction,
SQL lives in stores). A service declares its *unit*, the stores of one connection:

    class Stores(Unit):
        def __init__(self, conn):
            super().__init__(conn)
            self.posts = PostStore(conn)

and wires ``Database(pool, Stores)``. A handler opens ``async with db.transaction() as tx`` and speaks
only to ``tx``: its stores and ``tx.announce(row)`` (the outbox row, built by the service's events
module), committed together or not at all. Fast handler tests pass an in-memory fake with the same
four methods.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, Generic, TypeVar

import asyncpg

from kit.cloudevents import Event
from kit.db import transaction
from kit.outbox import OutboxRow, enqueue_row, enqueue_rows


class Unit:
    """The stores of one connection (or of the pool, for single-statement reads), and the outbox."""

    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        self.conn = conn

    async def announce(self, row: OutboxRow) -> None:
        """An event, in the caller's transaction (the transactional outbox)."""
        await enqueue_row(self.conn, row)

    async def announce_all(self, rows: list[OutboxRow]) -> None:
        """Several events, in the caller's transaction, in one round trip."""
        await enqueue_rows(self.conn, rows)


U = TypeVar("U", bound=Unit)


class Database(Generic[U]):
    """Opens units of one service: in a transaction, a read-only snapshot, one connection, or the pool."""

    def __init__(self, pool: asyncpg.Pool, unit: Callable[[asyncpg.Connection | asyncpg.Pool], U]) -> None:
        self.pool = pool
        self._unit = unit

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[U]:
        """Everything written through the unit commits together, or nothing does."""
        async with transaction(self.pool) as conn:
            yield self._unit(conn)

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[U]:
        """A read-only, repeatable-read view (several reads that must agree with each other)."""
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            yield self._unit(conn)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[U]:
        """One connection, each statement committing on its own (a record that must survive a refusal,
        or a write that is one statement)."""
        async with self.pool.acquire() as conn:
            yield self._unit(conn)

    def reader(self) -> U:
        """Single statements straight on the pool (reads): no connection held between them."""
        return self._unit(self.pool)


T = TypeVar("T")


def on_event(
    unit: Callable[[asyncpg.Connection], U],
    parse: Callable[[Any], T],
    handle: Callable[[U, T], Awaitable[None]],
) -> Callable[[asyncpg.Connection, Event], Awaitable[None]]:
    """A subscription's handler from the house's parts: the event's message mapped to domain values by
    the service's events module (``parse``), then ``handle``d with the service's unit on the consumer's
    connection (inside its transaction, with the inbox row)."""

    async def handler(conn: asyncpg.Connection, event: Event) -> None:
        await handle(unit(conn), parse(event.message))

    handler.__name__ = getattr(handle, "__name__", "handler")
    return handler
