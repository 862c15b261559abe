"""The asyncpg pool, a transaction helper and migrations (yoyo) per service database."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from yoyo import get_backend, read_migrations

log = logging.getLogger(__name__)

KIT_MIGRATIONS = Path(__file__).parent / "migrations"


async def create_pool(database_url: str, *, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    """Open the pool, retrying for a bounded time while the database comes up."""
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        try:
            return await asyncpg.create_pool(database_url, min_size=min_size, max_size=max_size, reset=_keep_session)
        except (OSError, asyncpg.CannotConnectNowError):
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.2)


async def _keep_session(_conn: asyncpg.Connection) -> None:
    """Skip asyncpg's reset query on release (one round trip per request). Services keep no
    session state (no SET, no advisory locks, no cursors outside transactions); the pool still
    rolls back any open transaction and drops local listeners."""


@asynccontextmanager
async def transaction(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """A connection inside one transaction: committed on success, rolled back on error."""
    async with pool.acquire() as conn, conn.transaction():
        yield conn


def _yoyo_url(database_url: str) -> str:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(scheme="postgresql+psycopg"))


def apply_migrations(database_url: str, migrations_dir: Path) -> list[str]:
    """Apply the kit's tables and then the service's own migrations; return the ids applied.

    yoyo takes a lock in the database, so several processes of one service may start at once.
    """
    backend = get_backend(_yoyo_url(database_url))
    migrations = read_migrations(str(KIT_MIGRATIONS), str(migrations_dir))
    with backend.lock():
        pending = backend.to_apply(migrations)
        backend.apply_migrations(pending)
    applied = [m.id for m in pending]
    if applied:
        log.info("migrations applied", extra={"migrations": applied})
    return applied


async def apply_migrations_async(database_url: str, migrations_dir: Path) -> list[str]:
    return await asyncio.to_thread(apply_migrations, database_url, migrations_dir)
