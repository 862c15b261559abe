"""Reading moderation's long jobs (kit.jobs): retro-scans, rumour re-decisions, lexicon releases."""

from __future__ import annotations

import uuid

import asyncpg
from kit.jobs import jobs_page
from kit.problems import NotFound

from moderation.database import Database


async def list_jobs(
    db: Database, *, kind: str | None, state: str | None, subject: str | None, cursor: str | None, limit: int
) -> tuple[list[asyncpg.Record], str | None]:
    """Newest first, one page."""
    return await jobs_page(db.reader().jobs, kind=kind, state=state, subject=subject, cursor=cursor, limit=limit)


async def read_job(db: Database, job_id: uuid.UUID) -> asyncpg.Record:
    row = await db.reader().jobs.get(job_id)
    if row is None:
        raise NotFound("No such job.")
    return row
