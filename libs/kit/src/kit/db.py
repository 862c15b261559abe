"""The asyncpg pool, a transaction helper and migrations (yoyo) per service database."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import asyncpg.exceptions._base
import psycopg
from yoyo import get_backend, read_migrations

log = logging.getLogger(__name__)

KIT_MIGRATIONS = Path(__file__).parent / "migrations"


# Errors that say "the database is not there right now", not "this work is wrong": an outage, a
# restart, a crash recovery, a failover to a standby, too many connections, or lost races that a
# retry wins. Work that meets one is retried (events) or refused with 503 (requests); never parked.
TRANSIENT_DB_ERRORS: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, unreachable
    TimeoutError,  # connecting, or waiting for a pooled connection
    asyncpg.PostgresConnectionError,  # class 08, including a connection that does not exist any more
    asyncpg.exceptions.ClientCannotConnectError,
    asyncpg.exceptions.OperatorInterventionError,  # class 57: shutting down, crash recovery, starting up
    asyncpg.exceptions.InsufficientResourcesError,  # class 53: too many connections, disk full
    asyncpg.exceptions.ReadOnlySQLTransactionError,  # a standby during failover
    asyncpg.DeadlockDetectedError,
    asyncpg.SerializationError,
    # "cannot switch to state ...; another operation is in progress": a pooled connection whose last
    # command the server's crash cut off (seen in the fault test); another connection will do.
    asyncpg.exceptions._base.InternalClientError,
)
# A cancelled statement (statement_timeout) is about the work, not the server; a file that is not
# there is a bug, not an outage: neither is transient.
_NOT_TRANSIENT: tuple[type[BaseException], ...] = (
    asyncpg.exceptions.QueryCanceledError,
    FileNotFoundError,
    FileExistsError,
    IsADirectoryError,
    NotADirectoryError,
    PermissionError,
)


def is_transient(exc: BaseException) -> bool:
    """True when ``exc``, or an error it was explicitly raised from (``raise ... from``, not any error
    being handled at the time), means the database is briefly unavailable."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, TRANSIENT_DB_ERRORS) and not isinstance(current, _NOT_TRANSIENT):
            return True
        # asyncpg says "connection is closed" / "... was closed in the middle of operation" when the
        # server went away under a pooled connection; other interface errors are bugs, not outages.
        if isinstance(current, asyncpg.InterfaceError) and "closed" in str(current):
            return True
        current = current.__cause__
    return False


async def retry_while_unavailable(what: str, attempt, *, timeout_s: float):
    """Run ``attempt()`` until it succeeds, retrying with doubling back-off while the database is
    unavailable, for at most ``timeout_s`` (a service waits for its dependencies at start-up)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    delay = 0.2
    while True:
        try:
            return await attempt()
        except Exception as exc:
            if not is_transient(exc) and not _psycopg_unavailable(exc):
                raise
            if loop.time() + delay > deadline:
                raise
            log.warning("database unavailable; retrying", extra={"step": what, "error": repr(exc)})
            await asyncio.sleep(delay)  # back-off while the database comes up, not synchronisation
            delay = min(delay * 2, 5.0)


def _psycopg_unavailable(exc: BaseException) -> bool:
    # yoyo applies migrations through psycopg: its connection errors are OperationalError.
    return isinstance(exc, psycopg.OperationalError)


async def create_pool(
    database_url: str, *, min_size: int = 2, max_size: int = 10, timeout_s: float = 60
) -> asyncpg.Pool:
    """Open the pool, retrying for a bounded time while the database comes up."""
    return await retry_while_unavailable(
        "open pool",
        lambda: asyncpg.create_pool(database_url, min_size=min_size, max_size=max_size, reset=_keep_session),
        timeout_s=timeout_s,
    )


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


async def apply_migrations_async(database_url: str, migrations_dir: Path, *, timeout_s: float = 60) -> list[str]:
    return await retry_while_unavailable(
        "migrations",
        lambda: asyncio.to_thread(apply_migrations, database_url, migrations_dir),
        timeout_s=timeout_s,
    )
