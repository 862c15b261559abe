"""The filing API regulators use (MB-16.1): reports of stopped content, and their acknowledgement."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from kit.inputs import RequestModel, Text
from kit.problems import InvalidInput
from pydantic import BaseModel, Field

from regulator_gateway import handlers
from regulator_gateway.offices import CurrentOffice

router = APIRouter(tags=["regulator"])


class ReportRead(BaseModel):
    id: str
    decision_id: str
    post_id: str
    account_id: str
    category: str = Field(description="BJ-10 category code")
    legal_basis: list[str] = Field(description="Requirement IDs that justified the stop, e.g. MB-12.2")
    reason: str
    decided_at: datetime
    content_sha256: str = Field(description="SHA-256 of the content snapshot the decision was made on")
    province_code: str | None
    filed_at: datetime
    acknowledged_at: datetime | None
    ack_reference: str | None


class ReportPage(BaseModel):
    items: list[ReportRead]
    next_cursor: str | None


class AcknowledgementCreate(RequestModel):
    reference: Text | None = Field(default=None, max_length=200, description="The office's own receipt number")


def _cursor(row: dict) -> str:
    return base64.urlsafe_b64encode(f"{row['filed_at'].isoformat()}|{row['id']}".encode()).decode()


def _parse_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        filed_at, report_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return datetime.fromisoformat(filed_at), uuid.UUID(report_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("The cursor is not one this API gave out.") from exc


@router.get("/v1/regulator/reports", response_model=ReportPage)
async def list_reports(
    office: CurrentOffice,
    request: Request,
    acknowledged: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Text | None = None,
) -> dict:
    """Reports of stopped content (MB-12.2) in the office's jurisdiction, oldest first."""
    rows = await handlers.list_reports(
        request.app.state.runtime.pool,
        office,
        acknowledged=acknowledged,
        limit=limit,
        after=_parse_cursor(cursor) if cursor else None,
    )
    items = [handlers.report_view(r) for r in rows]
    return {"items": items, "next_cursor": _cursor(items[-1]) if len(items) == limit else None}


@router.get("/v1/regulator/reports/{report_id}", response_model=ReportRead)
async def read_report(report_id: uuid.UUID, office: CurrentOffice, request: Request) -> dict:
    return handlers.report_view(await handlers.get_report(request.app.state.runtime.pool, office, report_id))


@router.put("/v1/regulator/reports/{report_id}/acknowledgement", response_model=ReportRead)
async def acknowledge_report(
    report_id: uuid.UUID, body: AcknowledgementCreate, office: CurrentOffice, request: Request
) -> dict:
    """Acknowledge receipt of a report. Idempotent: the same acknowledgement again changes nothing."""
    row = await handlers.acknowledge(request.app.state.runtime.pool, office, report_id, body.reference)
    return handlers.report_view(row)
