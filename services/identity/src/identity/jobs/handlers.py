"""Reading identity's long jobs (kit.jobs): the regradings on new grading rules (MB-9)."""

from __future__ import annotations

import uuid

import asyncpg
from kit.jobs import job_or_not_found, jobs_page

from identity.ports import IdentityPorts


async def list_jobs(
    ports: IdentityPorts, *, kind: str | None, state: str | None, cursor: str | None, limit: int
) -> tuple[list[asyncpg.Record], str | None]:
    """Newest first, one page."""
    async with ports.db.connection() as tx:
        return await jobs_page(tx.jobs, kind=kind, state=state, cursor=cursor, limit=limit)


async def read_job(ports: IdentityPorts, job_id: uuid.UUID) -> asyncpg.Record:
    async with ports.db.connection() as tx:
        return await job_or_not_found(tx.jobs, job_id)
