"""HTTP routes of reporting: file a complaint (MB-14) and follow it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Request, Response, status
from kit.auth import CurrentPrincipal, Principal, staff_with
from kit.inputs import Bool, RequestModel, Text, VisibleText
from pydantic import BaseModel, Field

from reporting import handlers
from reporting.domain import LEGAL_BASIS, ComplaintReason

router = APIRouter(tags=["complaints"])
ComplaintReviewer = Annotated[Principal, staff_with("reviewer", "senior_reviewer", "chief_editor", requirement="MB-14")]


class ComplaintCreate(RequestModel):
    target_type: Literal["post"] = "post"
    target_id: uuid.UUID
    reason: ComplaintReason
    detail: Text = Field(default="", max_length=2000)


class ComplaintRead(BaseModel):
    id: str
    target_type: str
    target_id: str
    reason: ComplaintReason
    detail: str
    status: str
    legal_basis: list[str]
    filed_at: datetime


def _view(row) -> dict:
    return {
        "id": str(row["id"]),
        "target_type": row["target_type"],
        "target_id": str(row["target_id"]),
        "reason": row["reason"],
        "detail": row["detail"],
        "status": row["status"],
        "legal_basis": LEGAL_BASIS,
        "filed_at": row["filed_at"],
    }


@router.post(
    "/v1/complaints",
    status_code=status.HTTP_201_CREATED,
    response_model=ComplaintRead,
    responses={200: {"model": ComplaintRead, "description": "The same Idempotency-Key again: the complaint it filed"}},
)
async def file_complaint(
    body: ComplaintCreate,
    principal: CurrentPrincipal,
    request: Request,
    response: Response,
    idempotency_key: Annotated[Text | None, Header(max_length=200)] = None,
) -> dict:
    """Report a post (MB-14). Anyone signed in may; the complaint is stored and announced. A post that was
    never published is refused (422 `unknown-post`; a post is known here moments after it is accepted)."""
    row, new = await handlers.file_complaint(
        request.app.state.runtime.pool,
        complainant=uuid.UUID(principal.subject),
        target_type=body.target_type,
        target_id=body.target_id,
        reason=body.reason,
        detail=body.detail,
        idempotency_key=idempotency_key,
    )
    if not new:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/complaints/{row['id']}"
    return _view(row)


@router.get("/v1/complaints/{complaint_id}", response_model=ComplaintRead)
async def read_complaint(complaint_id: uuid.UUID, principal: CurrentPrincipal, request: Request) -> dict:
    """The complainant follows their complaint (feedback on acceptance, MB-14)."""
    pool = request.app.state.runtime.pool
    return _view(await handlers.complaint_of(pool, complaint_id, uuid.UUID(principal.subject)))


class OutcomeCreate(RequestModel):
    upheld: Bool
    account_id: uuid.UUID | None = Field(
        default=None,
        description="optional: the author of the post complained about, whom an upheld complaint is against "
        "whatever is given; another account is refused (422 `not-the-author`, MB-14)",
    )
    note: VisibleText = Field(min_length=3, max_length=2000)


@router.post("/v1/reporting/staff/complaints/{complaint_id}/outcome", response_model=ComplaintRead)
async def decide_complaint(
    complaint_id: uuid.UUID, body: OutcomeCreate, principal: ComplaintReviewer, request: Request
) -> dict:
    """A reviewer upholds a complaint — against the author of the post complained about, who loses credit
    (PA-6.2) — or dismisses it; the complainant sees the outcome (MB-14)."""
    row = await handlers.decide_complaint(
        request.app.state.runtime.pool,
        complaint_id,
        upheld=body.upheld,
        named=body.account_id,
        note=body.note,
        by=principal.actor,
    )
    return _view(row)
