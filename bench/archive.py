"""The user-log archive's figures (MB-16.2, PA-16.2), against the real PostgreSQL of the bench's platform, in
a database of their own (regulator-gateway's migrations applied), beside the running platform.

Keys:
  archive.append_per_s        records appended per second through the archive's append path (the consumer's:
                              each transaction takes the chain's lock, reads the head, opens and hashes the
                              sealed addresses, computes the chain and COPYs the rows; batches of
                              ``APPEND_BATCH``, the kit's events per transaction, one consumer's transactions
                              one after another), for ``APPEND_SECONDS``
  archive.append_batch / archive.append_workers   the batch size and concurrency it was measured with
  archive.verify_1m_s         seconds to verify 1,000,000 records over 10 anchored days (the operator
                              command's handler: streamed through a cursor, every hash recomputed, every
                              anchor's signature checked); the rows are built by a bulk path computing the
                              same chain (domain.chain, COPY), not through the consumer
  archive.build_1m_s          how long building those rows took (not a figure of the archive)

Standalone (a private PostgreSQL only): ``PYTHONPATH=tests .venv/bin/python -m bench.archive``.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import psycopg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from kit.db import apply_migrations
from nacl.public import PrivateKey, PublicKey, SealedBox
from regulator_gateway.archive import domain, handlers
from regulator_gateway.archive.domain import AddressKeys, ChainHead, DayTally, Entry
from regulator_gateway.archive.store import PgArchiveStore
from regulator_gateway.database import PgDatabase
from regulator_gateway.main import MIGRATIONS

APPEND_SECONDS = float(os.environ.get("BENCH_ARCHIVE_APPEND_SECONDS", "10"))
APPEND_BATCH = int(os.environ.get("BENCH_ARCHIVE_APPEND_BATCH", "8"))
# One appender: a consumer process handles its fetched batches one after another (a second process would
# only queue on the chain's lock; coroutines in one process slow the lock holder down instead).
APPEND_WORKERS = int(os.environ.get("BENCH_ARCHIVE_APPEND_WORKERS", "1"))
VERIFY_RECORDS = int(os.environ.get("BENCH_ARCHIVE_VERIFY_RECORDS", "1000000"))
VERIFY_DAYS = 10
SEALED_VARIANTS = 256  # sealing is the producers' cost; the archive opens each one


def _fresh_database(admin_url: str) -> str:
    name = f"bench_archive_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    apply_migrations(url, MIGRATIONS)
    return url


def _entries(keys: AddressKeys, sealed: list[bytes], n: int, start: int = 0) -> list[Entry]:
    now = datetime.now(UTC)
    return [
        Entry(
            record_id=uuid.uuid4(),
            source="content",
            kind="post.published",
            occurred_at=now,
            account_id=uuid.uuid4(),
            actor_id=None,
            sealed_address=sealed[(start + i) % len(sealed)],
            client_id="bench",
            subject_type="post",
            subject_id=str(uuid.uuid4()),
            succeeded=True,
            detail="",
            legal_basis=("MB-16.2", "PA-16.2"),
        )
        for i in range(n)
    ]


async def _append_rate(url: str, keys: AddressKeys, sealed: list[bytes]) -> float:
    pool = await asyncpg.create_pool(url, min_size=APPEND_WORKERS, max_size=APPEND_WORKERS)
    db = PgDatabase(pool, PgArchiveStore)
    done = 0
    deadline = time.monotonic() + APPEND_SECONDS

    async def worker(w: int) -> None:
        nonlocal done
        while time.monotonic() < deadline:
            batch = _entries(keys, sealed, APPEND_BATCH, start=w * 7 + done)
            async with db.transaction() as store:
                done += await handlers.append(store, batch, keys)

    try:
        started = time.monotonic()
        await asyncio.gather(*(worker(w) for w in range(APPEND_WORKERS)))
        elapsed = time.monotonic() - started
    finally:
        await pool.close()
    return done / elapsed


async def _verify_million(url: str, keys: AddressKeys, sealed: list[bytes]) -> tuple[float, float, int]:
    """Build VERIFY_RECORDS records over VERIFY_DAYS closed days (the same chain, COPYed), then verify."""
    signer = Ed25519PrivateKey.generate()
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    db = PgDatabase(pool, PgArchiveStore)
    built = time.monotonic()
    first_day = datetime.now(UTC).date() - timedelta(days=VERIFY_DAYS + 1)
    head = ChainHead(0, domain.GENESIS, None, None)
    previous = None
    per_day = VERIFY_RECORDS // VERIFY_DAYS
    address_hash = keys.lookup_hash("198.51.100.7")
    try:
        for d in range(VERIFY_DAYS):
            day = first_day + timedelta(days=d)
            noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
            first_seq, last = head.seq + 1, None
            for start in range(0, per_day, 50_000):
                chunk = domain.chain(
                    head, [(e, address_hash) for e in _entries(keys, sealed, min(50_000, per_day - start))], noon
                )
                async with db.transaction() as store:
                    await store.insert(chunk)
                last = chunk[-1]
                head = ChainHead(last.seq, last.hash, last.day, head.last_anchored_day)
            tally = DayTally(day, first_seq, last.seq, last.seq - first_seq + 1, last.hash)
            previous = domain.sign_anchor(signer, tally, previous, noon + timedelta(days=1))
            async with db.transaction() as store:
                await store.insert_anchor(previous)
            head = ChainHead(head.seq, head.hash, head.day, day)
        build_s = time.monotonic() - built
        await pool.execute("VACUUM ANALYZE user_log_record")
        started = time.monotonic()
        result = await handlers.verify(
            db,
            {domain.key_id(signer.public_key()): signer.public_key()},
            since=None,
            until=None,
        )
        verify_s = time.monotonic() - started
    finally:
        await pool.close()
    assert result.ok and result.records == per_day * VERIFY_DAYS, result
    return verify_s, build_s, result.records


def run(admin_url: str) -> dict[str, float]:
    """The archive's figures on the PostgreSQL behind ``admin_url``."""
    private = PrivateKey.generate()
    keys = AddressKeys(bytes(private), os.urandom(32))
    box = SealedBox(PublicKey(keys.public_key))
    sealed = [box.encrypt(f"198.51.100.{i % 250} {40000 + i}".encode()) for i in range(SEALED_VARIANTS)]
    append_per_s = asyncio.run(_append_rate(_fresh_database(admin_url), keys, sealed))
    verify_s, build_s, records = asyncio.run(_verify_million(_fresh_database(admin_url), keys, sealed))
    return {
        "archive.append_per_s": round(append_per_s),
        "archive.append_batch": APPEND_BATCH,
        "archive.append_workers": APPEND_WORKERS,
        "archive.verify_1m_s": round(verify_s * 1_000_000 / records, 1),
        "archive.verified_records": records,
        "archive.build_1m_s": round(build_s, 1),
    }


def main() -> int:
    import json

    from devstack.stack import Stack, StackConfig

    with tempfile.TemporaryDirectory(prefix="bench-archive-") as run_dir:
        config = StackConfig(run_dir=Path(run_dir))
        config.die_with_parent = True
        stack = Stack(config)
        try:
            admin_url = stack.start_postgres()
            print(json.dumps(run(admin_url)))
        finally:
            stack.down()
    return 0


if __name__ == "__main__":
    sys.exit(main())
