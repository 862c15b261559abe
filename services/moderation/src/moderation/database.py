"""Moderation's database port: every feature's store on one connection, in a transaction or not.
Handlers take `Stores` (or a `Database` to open their own transaction); fast tests pass fakes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from kit.db import transaction
from kit.outbox import OutboxRow, enqueue_row

from moderation.authors.store import AuthorStore
from moderation.decisions.store import DecisionStore
from moderation.policy.store import PolicyStore
from moderation.reviews.store import ReviewStore


class Stores:
    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        self.conn = conn
        self.decisions = DecisionStore(conn)
        self.reviews = ReviewStore(conn)
        self.policy = PolicyStore(conn)
        self.authors = AuthorStore(conn)

    async def announce(self, row: OutboxRow) -> None:
        """An event, in the caller's transaction (the outbox)."""
        await enqueue_row(self.conn, row)


class Database:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Stores]:
        async with transaction(self.pool) as conn:
            yield Stores(conn)

    def reader(self) -> Stores:
        """Single statements straight on the pool (reads, and writes that are one statement)."""
        return Stores(self.pool)
