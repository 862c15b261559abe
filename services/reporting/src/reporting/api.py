"""HTTP routes of reporting: file a complaint (MB-14) and follow it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Request, Response, status
from google.protobuf.timestamp_pb2 import Timestamp
from kit.auth import CurrentPrincipal, Principal, staff_with
from kit.cloudevents import timestamp
from kit.db import transaction
from kit.inputs import Bool, RequestModel, Text, VisibleText
from kit.outbox import enqueue
from kit.problems import Conflict, InvalidInput, NotFound
from pydantic import BaseModel, Field
from qinglang.reporting.v1 import complaint_pb2

from reporting import events
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
    """Report a post (MB-14). Anyone signed in may; the complaint is stored and announced."""
    complainant = uuid.UUID(principal.subject)
    async with transaction(request.app.state.runtime.pool) as conn:
        row = await conn.fetchrow(
            """INSERT INTO complaint (id, complainant_id, target_type, target_id, reason, detail, idempotency_key)
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING *""",
            uuid.uuid4(),
            complainant,
            body.target_type,
            body.target_id,
            body.reason.value,
            body.detail,
            idempotency_key,
        )
        if row is None:  # the same idempotency key again: the first complaint stands
            row = await conn.fetchrow(
                "SELECT * FROM complaint WHERE complainant_id = $1 AND idempotency_key = $2",
                complainant,
                idempotency_key,
            )
            response.status_code = status.HTTP_200_OK
        else:
            filed = Timestamp()
            filed.FromDatetime(row["filed_at"].astimezone(UTC))
            await enqueue(
                conn,
                topic=events.COMPLAINT_TOPIC,
                ce_type=events.COMPLAINT_FILED,
                source=events.SOURCE,
                key=str(body.target_id),
                subject=str(row["id"]),
                message=complaint_pb2.ComplaintFiled(
                    complaint_id=str(row["id"]),
                    complainant_id=str(complainant),
                    target_type=body.target_type,
                    target_id=str(body.target_id),
                    reason=body.reason.value,
                    filed_at=filed,
                    legal_basis=LEGAL_BASIS,
                ),
            )
    response.headers["Location"] = f"/v1/complaints/{row['id']}"
    return _view(row)


@router.get("/v1/complaints/{complaint_id}", response_model=ComplaintRead)
async def read_complaint(complaint_id: uuid.UUID, principal: CurrentPrincipal, request: Request) -> dict:
    """The complainant follows their complaint (feedback on acceptance, MB-14)."""
    row = await request.app.state.runtime.pool.fetchrow("SELECT * FROM complaint WHERE id = $1", complaint_id)
    if row is None or str(row["complainant_id"]) != principal.subject:
        raise NotFound("No such complaint of yours.")
    return _view(row)


class OutcomeCreate(RequestModel):
    upheld: Bool
    account_id: uuid.UUID | None = Field(default=None, description="the account responsible; required when upheld")
    note: VisibleText = Field(min_length=3, max_length=2000)


@router.post("/v1/reporting/staff/complaints/{complaint_id}/outcome", response_model=ComplaintRead)
async def decide_complaint(
    complaint_id: uuid.UUID, body: OutcomeCreate, principal: ComplaintReviewer, request: Request
) -> dict:
    """A reviewer upholds a complaint against the account responsible (it costs that account credit,
    PA-6.2) or dismisses it; the complainant sees the outcome (MB-14)."""
    if body.upheld and body.account_id is None:
        raise InvalidInput("An upheld complaint names the account responsible (account_id).", requirement="MB-14")
    async with transaction(request.app.state.runtime.pool) as conn:
        row = await conn.fetchrow(
            """UPDATE complaint SET status = $2, upheld = $3, account_id = $4, outcome_note = $5, decided_by = $6,
                      decided_at = now()
                WHERE id = $1 AND decided_at IS NULL RETURNING *""",
            complaint_id,
            "upheld" if body.upheld else "dismissed",
            body.upheld,
            body.account_id,
            body.note,
            principal.actor,
        )
        if row is None:
            if await conn.fetchval("SELECT 1 FROM complaint WHERE id = $1", complaint_id) is None:
                raise NotFound("No such complaint.")
            raise Conflict("This complaint was decided already.", requirement="MB-14")
        await enqueue(
            conn,
            topic=events.COMPLAINT_TOPIC,
            ce_type=events.COMPLAINT_RESOLVED,
            source=events.SOURCE,
            key=str(row["target_id"]),
            subject=str(row["id"]),
            message=complaint_pb2.ComplaintResolved(
                complaint_id=str(row["id"]),
                target_id=str(row["target_id"]),
                upheld=body.upheld,
                account_id=str(body.account_id or ""),
                note=body.note,
                decided_by=principal.actor,
                decided_at=timestamp(row["decided_at"]),
                legal_basis=["MB-14", "PA-6.2"],
            ),
        )
    return _view(row)
