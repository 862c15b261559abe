"""regulator-gateway's integration tests: a fresh, migrated database of its own for each test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from devstack.testing import Infra
from kit.db import apply_migrations
from regulator_gateway.main import MIGRATIONS


@pytest.fixture
async def pool(infra: Infra) -> AsyncIterator[asyncpg.Pool]:
    url = infra.fresh_database()
    apply_migrations(url, MIGRATIONS)
    created = await asyncpg.create_pool(url, min_size=1, max_size=2)
    try:
        yield created
    finally:
        await created.close()
