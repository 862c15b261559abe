"""The filing API's reports of stopped content (MB-12.2) and their acknowledgement, by jurisdiction
(MB-16.1)."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime
from typing import Annotated

from contracts.categories import Bj10Category
from contracts.staff import StaffRole
from fastapi import APIRouter, Depends, Query, Request, status
from kit.auth import Principal, staff_with
from kit.pagination import CursorQuery, InvalidCursor, Page, decode_cursor, page
from kit.periods import Since, Until, open_period
from kit.problems import problems

from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.offices.api import CurrentOffice
from regulator_gateway.reports import handlers
from regulator_gateway.reports.domain import Acknowledgement, ReportFilters, ReportKind
from regulator_gateway.reports.schemas import (
    AcknowledgementCreate,
    BatchAcknowledgementCreate,
    BatchAcknowledgementRead,
    BatchItemResult,
    ReferralCreate,
    ReportRead,
)
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


Requirement = Annotated[
    str | None,
    Query(
        max_length=40,
        pattern=r"^[A-Z]{2,4}-[0-9]+(\.[0-9]+)*(\([0-9]+\))?$",
        description="A requirement ID among the report's legal basis, e.g. MB-12.2",
    ),
]
Province = Annotated[
    str | None, Query(pattern=r"^[1-9][0-9]0000$", description="A province code such as 110000 (GB/T 2260)")
]
Stage = Annotated[
    str | None,
    Query(pattern=r"^[a-z_]{1,40}$", description="A stop's stage: publication, review, retro_scan, takedown"),
]
Kind = Annotated[
    ReportKind | None, Query(description="The report's kind: stop, sanction (PA-13) or referral (BJ-7(8))")
]


@router.get("/v1/regulator/reports", response_model=Page[ReportRead], responses=problems(422))
async def list_reports(
    office: CurrentOffice,
    db: Reports,
    acknowledged: bool | None = None,
    requirement: Requirement = None,
    category: Annotated[Bj10Category | None, Query(description="A BJ-10 category code")] = None,
    province: Province = None,
    kind: Kind = None,
    stage: Stage = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Items per page at most (a batch export: 1000)")] = 100,
    cursor: CursorQuery = None,
) -> Page[ReportRead]:
    """Reports in the office's jurisdiction — of stopped content (MB-12.2), of sanctions (PA-13) and of referrals
    (BJ-7(8)) — oldest first, a page at a time; narrowed by requirement ID, BJ-10 category, province, the report's
    kind, a stop's stage and filing time (`from` inclusive, `to` exclusive)."""
    since, until = open_period(since, until, requirement="MB-12.2")
    filters = ReportFilters(
        requirement=requirement,
        category=category,
        province_code=province,
        stage=stage,
        kind=kind,
        since=since,
        until=until,
    )
    reports = await handlers.list_reports(
        db, office, acknowledged=acknowledged, after=_after(cursor), limit=limit + 1, filters=filters
    )
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


@router.post("/v1/regulator/reports/acknowledgements", response_model=BatchAcknowledgementRead, responses=problems(422))
async def acknowledge_reports(
    body: BatchAcknowledgementCreate, office: CurrentOffice, db: Reports
) -> BatchAcknowledgementRead:
    """Acknowledge up to 1,000 reports at once (MB-12.2), each item answered on its own: acknowledged,
    already_acknowledged, not_found or outside_jurisdiction (MB-16.1). One transaction: the acknowledgements
    are written together or not at all; a report named twice refuses the batch (422)."""
    found = await handlers.acknowledge_reports(db, office, [(i.report_id, i.reference) for i in body.items])
    counts = {str(outcome): sum(1 for _, o, _ in found if o is outcome) for outcome in Acknowledgement}
    return BatchAcknowledgementRead(results=[BatchItemResult.of(*item) for item in found], counts=counts)


ChiefEditor = Annotated[Principal, staff_with(StaffRole.CHIEF_EDITOR, requirement="BJ-7(8)")]


@router.post(
    "/v1/regulator/staff/referrals",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportRead,
    responses=problems(403, 422),
)
async def refer(body: ReferralCreate, staff: ChiefEditor, db: Reports) -> ReportRead:
    """Refer a suspected crime to public security through the office of the account's province (BJ-7(8); a final
    decision, the chief editor's, MB-6.1): a report of kind `referral`, with the post's stop report named in its
    `details` when the post was stopped (its sealed evidence goes with it). Listed and pushed like every report."""
    return ReportRead.of(
        await handlers.refer(
            db,
            account_id=body.account_id,
            post_id=body.post_id,
            category=str(body.category),
            offence=body.offence,
            statement=body.statement,
            legal_basis=list(body.legal_basis),
            by=staff.actor,
        )
    )
