"""identity's integration tests: a fresh, migrated database of its own for each test, and accounts in it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from devstack.testing import Infra
from identity.main import MIGRATIONS
from kit.db import apply_migrations


@pytest.fixture
async def conn(infra: Infra) -> AsyncIterator[asyncpg.Connection]:
    url = infra.fresh_database()
    apply_migrations(url, MIGRATIONS)
    connection = await asyncpg.connect(url)
    try:
        yield connection
    finally:
        await connection.close()


async def new_account(conn: asyncpg.Connection) -> uuid.UUID:
    """A user account with placeholders for its sealed columns (these tests never read them)."""
    account = uuid.uuid4()
    await conn.execute(
        """INSERT INTO account (id, username, password_hash, phone_ciphertext, phone_lookup)
           VALUES ($1, $2, 'x', 'x', $3)""",
        account,
        f"u{account.hex[:8]}",
        account.bytes,
    )
    return account
