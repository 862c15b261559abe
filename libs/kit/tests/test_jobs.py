"""Long jobs (kit.jobs) on a real PostgreSQL: progress moves with the batch's own transaction, a job whose
process died is taken over, and a job no longer running refuses progress."""

from __future__ import annotations

import pytest
from devstack.testing import Infra
from kit.db import apply_migrations_async, create_pool
from kit.jobs import JobStore, MemoryJobStore, job_read, jobs_page


@pytest.fixture
async def pool(infra: Infra, tmp_path):
    url = infra.fresh_database()
    (tmp_path / "0001_thing.sql").write_text("CREATE TABLE thing (n integer NOT NULL);")
    await apply_migrations_async(url, tmp_path)
    pool = await create_pool(url)
    try:
        yield pool
    finally:
        await pool.close()


@pytest.mark.requirement("MB-6.1")
async def test_progress_commits_with_the_batch_or_not_at_all(pool) -> None:
    jobs = JobStore(pool)
    job = await jobs.start(kind="thing.count", subject="things", requested_by="staff:1", total=10)
    assert job["state"] == "queued" and job_read(job).progress == 0
    claimed = await jobs.claim(["thing.count"], stale_after_s=60)
    assert claimed["id"] == job["id"] and claimed["state"] == "running"
    assert await jobs.claim(["thing.count"], stale_after_s=60) is None  # running and alive: nobody else's

    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("INSERT INTO thing (n) SELECT generate_series(1, 4)")
        assert await JobStore(conn).advance(job["id"], by=4, cursor={"after": 4}, counts={"matched": 1})
    with pytest.raises(RuntimeError):
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("INSERT INTO thing (n) SELECT generate_series(5, 8)")
            await JobStore(conn).advance(job["id"], by=4, counts={"matched": 2})
            raise RuntimeError("the process died mid-batch")
    row = await jobs.get(job["id"])
    assert row["done"] == 4 == await pool.fetchval("SELECT count(*) FROM thing")  # exact after the crash
    assert job_read(row).detail == {"matched": 1} and job_read(row).progress == 0.4

    await jobs.advance(job["id"], by=6, counts={"matched": 2, "stopped": 1})
    done = await jobs.finish(job["id"])
    view = job_read(done)
    assert (view.state, view.done, view.total, view.progress) == ("done", 10, 10, 1.0)
    assert view.detail == {"matched": 3, "stopped": 1} and view.finished_at is not None
    assert not await jobs.advance(job["id"], by=1)  # finished: no more progress
    assert await jobs.finish(job["id"]) is None and await jobs.fail(job["id"], "late") is None


@pytest.mark.requirement("MB-6.1")
async def test_an_abandoned_job_is_taken_over_and_a_failed_one_refuses_progress(pool) -> None:
    jobs = JobStore(pool)
    job = await jobs.start(kind="thing.scan", requested_by="staff:1", running=True)
    assert await jobs.claim(["thing.scan"], stale_after_s=60) is None
    # Any heartbeat older than this transaction is stale at a threshold of 0 s: its process "died".
    taken = await jobs.claim(["thing.scan"], stale_after_s=0)
    assert taken is not None and taken["id"] == job["id"]
    failed = await jobs.fail(job["id"], "superseded")
    assert failed["state"] == "failed" and failed["error"] == "superseded"
    assert not await jobs.advance(job["id"], by=1)
    finished = await jobs.finish(job["id"])
    assert finished is None  # a failed job stays failed


@pytest.mark.requirement("MB-6.1")
async def test_jobs_are_listed_newest_first_by_kind_state_and_subject(pool) -> None:
    jobs = JobStore(pool)
    made = [await jobs.start(kind="a" if i % 2 else "b", subject=f"s{i}", requested_by="x") for i in range(5)]
    rows, cursor = await jobs_page(jobs, kind=None, state=None, cursor=None, limit=3)
    assert [r["id"] for r in rows] == [m["id"] for m in reversed(made)][:3] and cursor
    rest, end = await jobs_page(jobs, kind=None, state=None, cursor=cursor, limit=3)
    assert [r["id"] for r in rest] == [made[1]["id"], made[0]["id"]] and end is None
    only_a, _ = await jobs_page(jobs, kind="a", state="queued", cursor=None, limit=10)
    assert {r["subject"] for r in only_a} == {"s1", "s3"}
    one, _ = await jobs_page(jobs, kind=None, state=None, subject="s4", cursor=None, limit=10)
    assert [r["id"] for r in one] == [made[4]["id"]]


@pytest.mark.requirement("MB-6.1")
async def test_the_memory_store_behaves_as_the_table() -> None:
    jobs = MemoryJobStore()
    job = await jobs.start(kind="k", requested_by="x", running=True)
    assert await jobs.advance(job["id"], by=2, total=4, counts={"n": 1})
    assert (await jobs.finish(job["id"]))["state"] == "done"
    assert not await jobs.advance(job["id"], by=1) and await jobs.fail(job["id"], "late") is None
