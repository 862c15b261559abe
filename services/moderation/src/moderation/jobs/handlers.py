"""Reading moderation's long jobs (kit.jobs): retro-scans and rumour re-decisions (MB-11), lexicon releases (MB-12)."""

from __future__ import annotations

import uuid

import asyncpg
from kit.jobs import job_or_not_found, jobs_page

from moderation.database import Database


async def list_jobs(
    db: Database, *, kind: str | None, state: str | None, subject: str | None, cursor: str | None, limit: int
) -> tuple[list[asyncpg.Record], str | None]:
    """Newest first, one page."""
    return await jobs_page(db.reader().jobs, kind=kind, state=state, subject=subject, cursor=cursor, limit=limit)


async def read_job(db: Database, job_id: uuid.UUID) -> asyncpg.Record:
    return await job_or_not_found(db.reader().jobs, job_id)
