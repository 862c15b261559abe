"""Routes of bulk registration cohorts for staff (CM, BJ-9.2; issue 13 §16 item 6): list them, and clear one
the /24-per-hour heuristic caught by mistake (a campus or carrier NAT)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from kit.pagination import CursorQuery, LimitQuery, Page
from kit.problems import problems

from identity.abuse import handlers
from identity.abuse.domain import CohortStatus
from identity.abuse.schemas import ClearanceCreate, CohortRead
from identity.dependencies import CohortClearer, CohortReader, Ports

router = APIRouter(tags=["registration cohorts"])


@router.get("/v1/identity/staff/registration-cohorts", response_model=Page[CohortRead])
async def list_registration_cohorts(
    principal: CohortReader,
    ports: Ports,
    status: CohortStatus | None = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 200,
) -> Page[CohortRead]:
    """Bulk registration cohorts, newest first (`status`: flagged or cleared; none: both)."""
    found, next_cursor = await handlers.cohorts(ports, status=status, cursor=cursor, limit=limit)
    return Page(items=[CohortRead.of(r) for r in found], next_cursor=next_cursor)


@router.post(
    "/v1/identity/staff/registration-cohorts/{cohort_id}/clearance",
    response_model=CohortRead,
    responses=problems(404, 409),
)
async def clear_registration_cohort(
    cohort_id: uuid.UUID, body: ClearanceCreate, principal: CohortClearer, ports: Ports
) -> CohortRead:
    """Clear a flagged cohort with a reason (who and when recorded; 409 `cohort-already-cleared`): its
    members' reads count again from now on (reads flagged before stay flagged), and whoever joins it later
    is not flagged."""
    return CohortRead.of(await handlers.clear_cohort(ports, cohort_id, reason=body.reason, by=principal.actor))
