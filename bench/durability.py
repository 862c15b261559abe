"""What durability costs: PostgreSQL commits as the platform runs them (fsync, full_page_writes and
synchronous_commit on) against the same commits with synchronous_commit off, on the same cluster,
interleaved so both see the same machine. And the posts the gateway accepts per second either way.

Keys:
  durability.commit_p50_ms / _p99_ms            one small INSERT + COMMIT, durable (what users get)
  durability.commit_unsafe_p50_ms / _p99_ms     the same with synchronous_commit off (may lose acked work)
  durability.commits_per_s / _unsafe_per_s      16 connections committing at once (group commit helps)
  gateway.posts_per_s_unsafe_commit             wrk posts/s with synchronous_commit off (compare gateway.posts_per_s)
"""

from __future__ import annotations

import asyncio
import statistics
import time

import asyncpg

from bench import percentile

ROUNDS = 1000
CONCURRENCY = 16
SECONDS = 5


async def _commit_latencies(url: str) -> tuple[list[float], list[float]]:
    durable_conn = await asyncpg.connect(url)
    unsafe_conn = await asyncpg.connect(url)
    try:
        await durable_conn.execute("CREATE TABLE IF NOT EXISTS bench_commit (id bigserial PRIMARY KEY, body text)")
        await unsafe_conn.execute("SET synchronous_commit = off")
        durable, unsafe = [], []
        for _ in range(ROUNDS):  # interleaved: both see the same moment of a noisy machine
            for conn, into in ((durable_conn, durable), (unsafe_conn, unsafe)):
                started = time.perf_counter()
                await conn.execute("INSERT INTO bench_commit (body) VALUES ('x')")  # autocommit: one commit
                into.append((time.perf_counter() - started) * 1000)
        return durable, unsafe
    finally:
        await durable_conn.close()
        await unsafe_conn.close()


async def _commits_per_s(url: str, *, unsafe: bool) -> float:
    pool = await asyncpg.create_pool(
        url,
        min_size=CONCURRENCY,
        max_size=CONCURRENCY,
        init=(lambda c: c.execute("SET synchronous_commit = off")) if unsafe else None,
    )
    done = 0
    deadline = time.monotonic() + SECONDS

    async def worker() -> None:
        nonlocal done
        async with pool.acquire() as conn:
            while time.monotonic() < deadline:
                await conn.execute("INSERT INTO bench_commit (body) VALUES ('x')")
                done += 1

    try:
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    finally:
        await pool.close()
    return done / SECONDS


async def measure(url: str) -> dict[str, float]:
    durable, unsafe = await _commit_latencies(url)
    return {
        "durability.commit_p50_ms": round(statistics.median(durable), 3),
        "durability.commit_p99_ms": round(percentile(durable, 99), 3),
        "durability.commit_unsafe_p50_ms": round(statistics.median(unsafe), 3),
        "durability.commit_unsafe_p99_ms": round(percentile(unsafe, 99), 3),
        "durability.commits_per_s": round(await _commits_per_s(url, unsafe=False)),
        "durability.commits_unsafe_per_s": round(await _commits_per_s(url, unsafe=True)),
    }


async def set_synchronous_commit(admin_url: str, value: str) -> None:
    """Switch the whole cluster (every service's sessions) between durable and unsafe commits."""
    assert value in ("on", "off")
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f"ALTER SYSTEM SET synchronous_commit = '{value}'")
        await conn.execute("SELECT pg_reload_conf()")
    finally:
        await conn.close()
