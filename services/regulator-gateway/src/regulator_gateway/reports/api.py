"""The filing API's reports of stopped content (MB-12.2) and their acknowledgement, by jurisdiction
(MB-16.1)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from kit.inputs import Text

from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.offices.api import CurrentOffice
from regulator_gateway.paging import cursor_after, parse_cursor
from regulator_gateway.reports import handlers
from regulator_gateway.reports.schemas import AcknowledgementCreate, ReportPage, ReportRead
from regulator_gateway.reports.store import PgReportStore, ReportStore

router = APIRouter(tags=["regulator"])


def reports_database(request: Request) -> Database[ReportStore]:
    return PgDatabase(request.app.state.runtime.pool, PgReportStore)


Reports = Annotated[Database[ReportStore], Depends(reports_database)]


@router.get("/v1/regulator/reports", response_model=ReportPage)
async def list_reports(
    office: CurrentOffice,
    db: Reports,
    acknowledged: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Text | None = None,
) -> ReportPage:
    """Reports of stopped content (MB-12.2) in the office's jurisdiction, oldest first."""
    reports = await handlers.list_reports(
        db, office, acknowledged=acknowledged, after=parse_cursor(cursor), limit=limit
    )
    last = reports[-1] if len(reports) == limit else None
    return ReportPage(
        items=[ReportRead.of(r) for r in reports], next_cursor=cursor_after(last.filed_at, last.id) if last else None
    )


@router.get("/v1/regulator/reports/{report_id}", response_model=ReportRead)
async def read_report(report_id: uuid.UUID, office: CurrentOffice, db: Reports) -> ReportRead:
    return ReportRead.of(await handlers.read_report(db, office, report_id))


@router.put("/v1/regulator/reports/{report_id}/acknowledgement", response_model=ReportRead)
async def acknowledge_report(
    report_id: uuid.UUID, body: AcknowledgementCreate, office: CurrentOffice, db: Reports
) -> ReportRead:
    """Acknowledge receipt of a report. Idempotent: the same acknowledgement again changes nothing."""
    return ReportRead.of(await handlers.acknowledge_report(db, office, report_id, body.reference))
