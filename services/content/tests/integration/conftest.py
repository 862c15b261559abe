"""Content on a real PostgreSQL (the run's, a fresh database per test): the SQL of the read paths is
proven here, against the handlers, without the broker (events are applied by calling their handlers)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest
from content.database import Database
from content.main import MIGRATIONS
from content.posts import handlers
from content.posts.domain import Decision
from content.posts.handlers import Draft
from content.settings import ContentSettings
from devstack.testing import Infra
from kit.auth import Principal
from kit.db import apply_migrations


def author(**claims: object) -> Principal:
    """A user who may publish (real name verified MB-7.1, agreement accepted MB-6.2)."""
    subject = str(uuid.uuid4())
    return Principal(subject, {"sub": subject, "rnv": True, "tos": True, "prov": "110000", **claims})


@pytest.fixture
async def pool(infra: Infra) -> AsyncIterator[asyncpg.Pool]:
    url = infra.fresh_database()
    apply_migrations(url, MIGRATIONS)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    try:
        yield pool
    finally:
        await pool.close()


@pytest.fixture
def db(pool: asyncpg.Pool) -> Database:
    return Database(pool)


@pytest.fixture
def settings() -> ContentSettings:
    return ContentSettings(_env_file=None, database_url="postgresql://unused")


class Posting:
    """Publishing on the test's database: a post (or a repost, a comment: Draft's fields) accepted and
    decided by calling moderation's handlers, as the broker would."""

    def __init__(self, db: Database) -> None:
        self.db = db

    author = staticmethod(author)

    async def publish(self, principal: Principal, text: str = "今天天气很好", **draft: object) -> uuid.UUID:
        created = await handlers.accept(self.db, principal, Draft(text=text, **draft), idempotency_key=None)
        await self.approve(created.post["id"])
        return created.post["id"]

    async def approve(self, post_id: uuid.UUID) -> None:
        async with self.db.transaction() as stores:
            await handlers.publish_approved(
                stores.posts, [Decision(decision_id=uuid.uuid4(), post_id=post_id, decided_at=datetime.now(UTC))]
            )

    async def stop(self, post_id: uuid.UUID, *legal_basis: str) -> None:
        async with self.db.transaction() as stores:
            await handlers.stop_transmission(
                stores.posts,
                Decision(
                    decision_id=uuid.uuid4(),
                    post_id=post_id,
                    category="bj10.rumour_disturbing_order",
                    legal_basis=legal_basis or ("MB-12", "MB-12.2"),
                    reason="stop entry",
                    decided_at=datetime.now(UTC),
                ),
            )


@pytest.fixture
def posting(db: Database) -> Posting:
    return Posting(db)
