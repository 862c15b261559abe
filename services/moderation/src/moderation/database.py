"""Moderation's database port (kit.unit): every feature's store on one connection, in a transaction or
not. Handlers take a `Database` (or the `Stores` of an open transaction); fast tests pass fakes."""

from __future__ import annotations

import asyncpg
from kit.jobs import JobStore
from kit.unit import Database as KitDatabase
from kit.unit import Unit

from moderation.authors.store import AuthorStore
from moderation.decisions.store import DecisionStore
from moderation.policy.store import PolicyStore
from moderation.reviews.store import ReviewStore


class Stores(Unit):
    def __init__(self, conn: asyncpg.Connection | asyncpg.Pool) -> None:
        super().__init__(conn)
        self.decisions = DecisionStore(conn)
        self.reviews = ReviewStore(conn)
        self.policy = PolicyStore(conn)
        self.authors = AuthorStore(conn)
        self.jobs = JobStore(conn)  # long jobs' progress (kit.jobs)


class Database(KitDatabase[Stores]):
    def __init__(self, pool: asyncpg.Pool) -> None:
        super().__init__(pool, Stores)
