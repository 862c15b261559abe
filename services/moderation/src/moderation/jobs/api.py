"""Staff follow moderation's long jobs (MB-6.1, MB-11, MB-12): how far a retro-scan, a rumour's re-decision
or a lexicon release has come, and how it ended."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.staff import EVERY_STAFF_ROLE
from fastapi import APIRouter, Query
from kit.auth import Principal, staff_with
from kit.inputs import Text
from kit.jobs import JobRead, JobState, job_read
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.problems import problems

from moderation.dependencies import Db
from moderation.jobs import handlers
from moderation.policy.domain import JobKind

router = APIRouter(tags=["moderation staff"])

JobReader = Annotated[Principal, staff_with(*EVERY_STAFF_ROLE, requirement="MB-6.1")]


@router.get("/v1/moderation/jobs", response_model=Page[JobRead])
async def list_jobs(
    principal: JobReader,
    db: Db,
    kind: JobKind | None = None,
    state: JobState | None = None,
    subject: Annotated[Text | None, Query(max_length=200, description="what it works on (a rumour id)")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[JobRead]:
    """Long jobs, newest first: retro-scans and re-decisions of rumours (MB-11), lexicon releases (MB-12)."""
    rows, next_cursor = await handlers.list_jobs(
        db, kind=kind, state=state, subject=subject, cursor=cursor, limit=limit
    )
    return Page[JobRead](items=[job_read(r) for r in rows], next_cursor=next_cursor)


@router.get("/v1/moderation/jobs/{job_id}", response_model=JobRead, responses=problems(404, s404="No such job"))
async def read_job(job_id: uuid.UUID, principal: JobReader, db: Db) -> JobRead:
    """One job: `done` of `total`, its state, and what it did (`detail`)."""
    return job_read(await handlers.read_job(db, job_id))
