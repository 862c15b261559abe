"""Staff follow identity's long jobs: how far a regrading on new grading rules has come (MB-9, MB-6.1)."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.staff import EVERY_STAFF_ROLE
from fastapi import APIRouter
from kit.auth import Principal, staff_with
from kit.jobs import JobRead, JobState, job_read
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.problems import problems

from identity.dependencies import Ports
from identity.jobs import handlers
from identity.standing.domain import JobKind

router = APIRouter(tags=["identity staff"])

JobReader = Annotated[Principal, staff_with(*EVERY_STAFF_ROLE, requirement="MB-6.1")]


@router.get("/v1/identity/staff/jobs", response_model=Page[JobRead])
async def list_jobs(
    principal: JobReader,
    ports: Ports,
    kind: JobKind | None = None,
    state: JobState | None = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[JobRead]:
    """Long jobs, newest first: the regradings of every account on new grading rules (MB-9)."""
    rows, next_cursor = await handlers.list_jobs(ports, kind=kind, state=state, cursor=cursor, limit=limit)
    return Page[JobRead](items=[job_read(r) for r in rows], next_cursor=next_cursor)


@router.get("/v1/identity/staff/jobs/{job_id}", response_model=JobRead, responses=problems(404, s404="No such job"))
async def read_job(job_id: uuid.UUID, principal: JobReader, ports: Ports) -> JobRead:
    """One job: `done` of `total` accounts, its state, how many were regraded (`detail`)."""
    return job_read(await handlers.read_job(ports, job_id))
