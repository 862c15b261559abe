"""The filing API's reports of stopped content (MB-12.2) and their acknowledgement, by jurisdiction
(MB-16.1)."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from kit.pagination import CursorQuery, InvalidCursor, Page, decode_cursor, page
from kit.problems import problems

from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.offices.api import CurrentOffice
from regulator_gateway.reports import handlers
from regulator_gateway.reports.schemas import AcknowledgementCreate, ReportRead
from regulator_gateway.reports.store import PgReportStore, ReportStore

router = APIRouter(tags=["regulator"])


async def reports_database(request: Request) -> Database[ReportStore]:
    return PgDatabase(request.app.state.runtime.pool, PgReportStore)


Reports = Annotated[Database[ReportStore], Depends(reports_database)]


def _after(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not cursor:
        return None
    try:
        return decode_cursor(cursor, datetime, uuid.UUID)
    except InvalidCursor:
        try:  # a cursor of the previous release ("filed_at|id"), honoured until clients have moved on
            filed_at, report_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
            return datetime.fromisoformat(filed_at), uuid.UUID(report_id)
        except (ValueError, UnicodeDecodeError):
            raise InvalidCursor("The cursor is not one this API gave out.") from None


@router.get("/v1/regulator/reports", response_model=Page[ReportRead])
async def list_reports(
    office: CurrentOffice,
    db: Reports,
    acknowledged: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Items per page at most")] = 100,
    cursor: CursorQuery = None,
) -> Page[ReportRead]:
    """Reports of stopped content (MB-12.2) in the office's jurisdiction, oldest first, a page at a time."""
    reports = await handlers.list_reports(db, office, acknowledged=acknowledged, after=_after(cursor), limit=limit + 1)
    listed = page(reports, limit, lambda r: (r.filed_at, r.id))
    return Page[ReportRead](items=[ReportRead.of(r) for r in listed["items"]], next_cursor=listed["next_cursor"])


@router.get("/v1/regulator/reports/{report_id}", response_model=ReportRead, responses=problems(404))
async def read_report(report_id: uuid.UUID, office: CurrentOffice, db: Reports) -> ReportRead:
    """One report, if it is in the office's jurisdiction (MB-16.1)."""
    return ReportRead.of(await handlers.read_report(db, office, report_id))


@router.put(
    "/v1/regulator/reports/{report_id}/acknowledgement",
    response_model=ReportRead,
    responses=problems(404, 409, s409="Acknowledged already, by another office or with another reference"),
)
async def acknowledge_report(
    report_id: uuid.UUID, body: AcknowledgementCreate, office: CurrentOffice, db: Reports
) -> ReportRead:
    """Acknowledge receipt of a report. Idempotent: the same acknowledgement again changes nothing."""
    return ReportRead.of(await handlers.acknowledge_report(db, office, report_id, body.reference))
