"""PA-15.2: complaint handling statistics of the office's jurisdiction (MB-16.1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from kit.periods import Since, Until, bounded_period
from kit.problems import problems
from pydantic import BaseModel, Field

from regulator_gateway.complaints import handlers
from regulator_gateway.complaints.domain import CategoryStatistics
from regulator_gateway.complaints.store import ComplaintStore, PgComplaintStore
from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.offices.api import CurrentOffice

router = APIRouter(tags=["regulator"])


async def complaints_database(request: Request) -> Database[ComplaintStore]:
    return PgDatabase(request.app.state.runtime.pool, PgComplaintStore)


Complaints = Annotated[Database[ComplaintStore], Depends(complaints_database)]


class ComplaintCategoryRead(BaseModel):
    category: str
    cases: int
    complaints: int
    handled: int
    median_handling_s: float | None
    p90_handling_s: float | None
    breaches: int = Field(description="Cases handled after their deadline, or still open past it")
    upheld_rate: float | None
    dismissed_rate: float | None

    @classmethod
    def of(cls, s: CategoryStatistics) -> ComplaintCategoryRead:
        return cls(
            category=s.category,
            cases=s.cases,
            complaints=s.complaints,
            handled=s.handled,
            median_handling_s=s.median_handling_s,
            p90_handling_s=s.p90_handling_s,
            breaches=s.breaches,
            upheld_rate=s.upheld / s.handled if s.handled else None,
            dismissed_rate=s.dismissed / s.handled if s.handled else None,
        )


class ComplaintStatisticsRead(BaseModel):
    since: datetime = Field(alias="from")
    until: datetime = Field(alias="to")
    jurisdiction: str
    categories: list[ComplaintCategoryRead]

    model_config = {"populate_by_name": True}


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
        categories=[ComplaintCategoryRead.of(s) for s in stats],
    )
