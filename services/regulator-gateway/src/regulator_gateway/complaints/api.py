"""PA-15.2: complaint handling statistics of the office's jurisdiction (MB-16.1)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from kit.periods import Since, Until, bounded_period
from kit.problems import problems
from kit.statistics import CategoryStatisticsRead

from regulator_gateway.complaints import handlers
from regulator_gateway.complaints.schemas import ComplaintStatisticsRead
from regulator_gateway.complaints.store import ComplaintStore, PgComplaintStore
from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.offices.api import CurrentOffice

router = APIRouter(tags=["regulator"])


async def complaints_database(request: Request) -> Database[ComplaintStore]:
    return PgDatabase(request.app.state.runtime.pool, PgComplaintStore)


Complaints = Annotated[Database[ComplaintStore], Depends(complaints_database)]


@router.get("/v1/regulator/complaint-statistics", response_model=ComplaintStatisticsRead, responses=problems(422))
async def complaint_statistics(
    office: CurrentOffice,
    db: Complaints,
    since: Since = None,
    until: Until = None,
) -> ComplaintStatisticsRead:
    """PA-15.2: how complaints about accounts of the office's jurisdiction were handled, per category, for
    the cases opened in the period (default: the last 30 days): counts, median and p90 handling time,
    breaches of the deadline, upheld and dismissed rates."""
    since, until = bounded_period(since, until, last=timedelta(days=30), requirement="PA-15.2")
    stats = await handlers.statistics(db, office, since, until)
    return ComplaintStatisticsRead(
        since=since,
        until=until,
        jurisdiction=office.jurisdiction,
        categories=[CategoryStatisticsRead.of(s) for s in stats],
    )
