"""Where a feature's handlers open their transactions: a pool, and the feature's store on the
connection of each transaction (fakes stand in for it in the fast handler tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Generic, Protocol, TypeVar

import asyncpg
from kit.db import transaction

S = TypeVar("S")
S_co = TypeVar("S_co", covariant=True)


class Database(Protocol[S_co]):
    def transaction(self) -> AbstractAsyncContextManager[S_co]: ...


class PgDatabase(Generic[S]):
    def __init__(self, pool: asyncpg.Pool, store: Callable[[asyncpg.Connection], S]) -> None:
        self.pool = pool
        self.store = store

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[S]:
        async with transaction(self.pool) as conn:
            yield self.store(conn)
