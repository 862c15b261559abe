"""HTTP routes of reporting: file a complaint (MB-14) and follow it. Parse, authorise, call a handler,
map its result; nothing else."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.staff import StaffRole
from fastapi import APIRouter, Depends, Header, Request, Response, status
from kit.auth import CurrentPrincipal, Principal, staff_with
from kit.inputs import Text
from kit.problems import problems

from reporting import handlers
from reporting.schemas import ComplaintCreate, ComplaintRead, OutcomeCreate
from reporting.store import PgDatabase

router = APIRouter(tags=["complaints"])
ComplaintReviewer = Annotated[
    Principal,
    staff_with(StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="MB-14"),
]


async def database(request: Request) -> PgDatabase:
    return PgDatabase(request.app.state.runtime.pool)


Db = Annotated[PgDatabase, Depends(database)]


@router.post(
    "/v1/complaints",
    status_code=status.HTTP_201_CREATED,
    response_model=ComplaintRead,
    responses={200: {"model": ComplaintRead, "description": "The same Idempotency-Key again: the complaint it filed"}},
)
async def file_complaint(
    body: ComplaintCreate,
    principal: CurrentPrincipal,
    db: Db,
    response: Response,
    idempotency_key: Annotated[Text | None, Header(max_length=200)] = None,
) -> ComplaintRead:
    """Report a post (MB-14). Anyone signed in may; the complaint is stored and announced. A post that was
    never published is refused (422 `unknown-post`; a post is known here moments after it is accepted)."""
    complaint, new = await handlers.file_complaint(
        db,
        handlers.FileComplaint(
            complainant=uuid.UUID(principal.subject),
            target_type=body.target_type,
            target_id=body.target_id,
            reason=body.reason,
            detail=body.detail,
            idempotency_key=idempotency_key,
        ),
    )
    if not new:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/complaints/{complaint.id}"
    return ComplaintRead.of(complaint)


@router.get(
    "/v1/complaints/{complaint_id}",
    response_model=ComplaintRead,
    responses=problems(404, s404="No such complaint of the caller's"),
)
async def read_complaint(complaint_id: uuid.UUID, principal: CurrentPrincipal, db: Db) -> ComplaintRead:
    """The complainant follows their complaint (feedback on acceptance, MB-14)."""
    return ComplaintRead.of(await handlers.complaint_of(db, complaint_id, uuid.UUID(principal.subject)))


@router.post(
    "/v1/reporting/staff/complaints/{complaint_id}/outcome",
    response_model=ComplaintRead,
    responses=problems(404, 409, s409="Decided already, or the post's author is not known yet"),
)
async def decide_complaint(
    complaint_id: uuid.UUID, body: OutcomeCreate, principal: ComplaintReviewer, db: Db
) -> ComplaintRead:
    """A reviewer upholds a complaint — against the author of the post complained about, who loses credit
    (PA-6.2) — or dismisses it; the complainant sees the outcome (MB-14)."""
    decided = await handlers.decide_complaint(
        db,
        handlers.DecideComplaint(
            complaint_id=complaint_id, upheld=body.upheld, named=body.account_id, note=body.note, by=principal.actor
        ),
    )
    return ComplaintRead.of(decided)
