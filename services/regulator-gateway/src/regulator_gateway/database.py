"""Where a feature's handlers open their transactions: a pool, and the feature's store on the
connection of each transaction (fakes stand in for it in the fast handler tests)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol, TypeVar

from kit.unit import Database as PgDatabase

S_co = TypeVar("S_co", covariant=True)


class Database(Protocol[S_co]):
    def transaction(self) -> AbstractAsyncContextManager[S_co]: ...
    def reader(self) -> S_co: ...  # single statements on the pool, each committing on its own


__all__ = ["Database", "PgDatabase"]  # PgDatabase: kit.unit's, over a feature's store (a kit Unit)
