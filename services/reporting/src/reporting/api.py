"""HTTP routes of reporting: file a complaint (MB-14) and follow it; staff read cases and handling
statistics (PA-15.2) and decide. Parse, authorise, call a handler, map its result; nothing else."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated

from contracts.staff import StaffRole
from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from kit.auth import CurrentPrincipal, Principal, staff_with
from kit.inputs import Text
from kit.pagination import CursorQuery, LimitQuery, Page
from kit.periods import Since, Until, bounded_period
from kit.problems import problems
from kit.statistics import CategoryStatisticsRead

from reporting import domain, handlers
from reporting.domain import BurstRule, CaseRules, CaseState
from reporting.schemas import (
    CaseComplaintRead,
    CaseDetailRead,
    CaseRead,
    ComplaintCreate,
    ComplaintRead,
    OutcomeCreate,
    StatisticsRead,
)
from reporting.settings import ReportingSettings
from reporting.store import CaseFilter, PgDatabase

router = APIRouter(tags=["complaints"])
ComplaintReviewer = Annotated[
    Principal,
    staff_with(StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, requirement="MB-14"),
]
# PA-15.2: cases and statistics are read by reviewers, and by auditors (read-only).
CaseReader = Annotated[
    Principal,
    staff_with(
        StaffRole.REVIEWER,
        StaffRole.SENIOR_REVIEWER,
        StaffRole.CHIEF_EDITOR,
        StaffRole.AUDITOR,
        requirement="PA-15.2",
    ),
]


async def database(request: Request) -> PgDatabase:
    return PgDatabase(request.app.state.runtime.pool)


async def filing_policy(request: Request) -> handlers.FilingPolicy:
    """The filing rules from the settings (MB-14 deadlines, abuse limit, screening)."""
    s: ReportingSettings = request.app.state.runtime.settings
    return handlers.FilingPolicy(
        rules=CaseRules(
            deadline_hours=s.complaint_deadline_hours,
            escalate_fraction=s.complaint_escalate_at,
            burst=BurstRule(
                complaints=s.complaint_burst_count,
                minutes=s.complaint_burst_minutes,
                new_account_days=s.complaint_new_account_days,
                low_credit_below=s.complaint_low_credit_below,
            ),
        ),
        limit=s.complaint_filing_limit,
        window=timedelta(seconds=s.complaint_filing_window_s),
        screening=timedelta(days=s.complaint_screening_window_days),
    )


Db = Annotated[PgDatabase, Depends(database)]
Policy = Annotated[handlers.FilingPolicy, Depends(filing_policy)]


@router.post(
    "/v1/complaints",
    status_code=status.HTTP_201_CREATED,
    response_model=ComplaintRead,
    responses={
        200: {"model": ComplaintRead, "description": "The same Idempotency-Key again: the complaint it filed"},
        **problems(403, 422, s403="Quota reached: too many complaints lately (Retry-After)"),
    },
)
async def file_complaint(
    body: ComplaintCreate,
    principal: CurrentPrincipal,
    db: Db,
    policy: Policy,
    response: Response,
    idempotency_key: Annotated[Text | None, Header(max_length=200)] = None,
) -> ComplaintRead:
    """Report a post, comment, article or account (MB-14). Anyone signed in may; answered at once with the
    acceptance receipt (`receipt_number`, `case_id`, `deadline`). An unknown target is refused (422
    `unknown-post` / `unknown-target`; a post is known here moments after it is accepted); an infringement
    without the victim's proof too (422 `victim-proof-missing`); past the abuse limit, 403 `quota-reached`."""
    filed = await handlers.file_complaint(
        db,
        handlers.FileComplaint(
            complainant=uuid.UUID(principal.subject),
            target_type=body.target_type,
            target_id=body.target_id,
            reason=body.reason,
            detail=body.detail,
            idempotency_key=idempotency_key,
            evidence=body.evidence_of(),
            victim_proof=body.proof_of(),
        ),
        policy,
    )
    if not filed.new:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/v1/complaints/{filed.complaint.id}"
    return ComplaintRead.of(filed.complaint, filed.case)


@router.get("/v1/complaints", response_model=Page[ComplaintRead], responses=problems(422))
async def list_complaints(
    principal: CurrentPrincipal, db: Db, cursor: CursorQuery = None, limit: LimitQuery = 50
) -> Page[ComplaintRead]:
    """The caller's complaints, newest first (MB-14)."""
    found, next_cursor = await handlers.complaints_of(db, uuid.UUID(principal.subject), cursor=cursor, limit=limit)
    return Page[ComplaintRead](items=[ComplaintRead.of(c) for c in found], next_cursor=next_cursor)


@router.get(
    "/v1/complaints/{complaint_id}",
    response_model=ComplaintRead,
    responses=problems(404, s404="No such complaint of the caller's"),
)
async def read_complaint(complaint_id: uuid.UUID, principal: CurrentPrincipal, db: Db) -> ComplaintRead:
    """The complainant follows their complaint (MB-14 feedback on acceptance and outcome): its `history`."""
    complaint, case = await handlers.complaint_of(db, complaint_id, uuid.UUID(principal.subject))
    return ComplaintRead.of(complaint, case, history=domain.history(complaint, case))


@router.post(
    "/v1/reporting/staff/complaints/{complaint_id}/outcome",
    response_model=ComplaintRead,
    responses=problems(404, 409, 422, s409="Decided already (its case), or the target's author is not known yet"),
)
async def decide_complaint(
    complaint_id: uuid.UUID, body: OutcomeCreate, principal: ComplaintReviewer, db: Db
) -> ComplaintRead:
    """A reviewer upholds a complaint — against the author of the target, who loses credit once for the
    case (PA-6.2) — or dismisses it. The outcome is the complaint's whole case's: every complainant of it
    is told (MB-14)."""
    decided = await handlers.decide_complaint(
        db,
        handlers.DecideComplaint(
            complaint_id=complaint_id, upheld=body.upheld, named=body.account_id, note=body.note, by=principal.actor
        ),
    )
    return ComplaintRead.of(decided)


@router.get("/v1/reporting/staff/cases", response_model=Page[CaseRead], responses=problems(422))
async def list_cases(
    principal: CaseReader,
    db: Db,
    state: CaseState | None = None,
    category: Annotated[Text | None, Query(max_length=100)] = None,
    coordinated: bool | None = None,
    overdue: bool | None = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = 50,
) -> Page[CaseRead]:
    """Complaint cases, the nearest deadline first (MB-14, PA-15.2); filters: state, category, coordinated
    (a burst of new or low-credit reporters), overdue."""
    found, next_cursor = await handlers.list_cases(
        db,
        CaseFilter(state=state, category=category, coordinated=coordinated, overdue=overdue, limit=limit),
        cursor=cursor,
    )
    now = datetime.now(UTC)
    return Page[CaseRead](items=[CaseRead.of(c, now) for c in found], next_cursor=next_cursor)


@router.get("/v1/reporting/staff/cases/{case_id}", response_model=CaseDetailRead, responses=problems(404))
async def read_case(case_id: uuid.UUID, principal: CaseReader, db: Db) -> CaseDetailRead:
    """A case with its complaints: reporters by account id (never personal data), weights, evidence, the
    victim's proof (MB-14)."""
    case, complaints = await handlers.case_detail(db, case_id, 500)
    return CaseDetailRead(
        **CaseRead.of(case, datetime.now(UTC)).model_dump(),
        complaints=[CaseComplaintRead.of(c) for c in complaints],
    )


@router.get("/v1/reporting/staff/statistics", response_model=StatisticsRead, responses=problems(422))
async def read_statistics(
    principal: CaseReader,
    db: Db,
    since: Since = None,
    until: Until = None,
) -> StatisticsRead:
    """PA-15.2: per category, the cases opened in the period (default: the last 30 days): complaints,
    handled, median and p90 handling time, breaches, upheld and dismissed rates."""
    since, until = bounded_period(since, until, last=timedelta(days=30), requirement="PA-15.2")
    stats = await handlers.statistics(db, since, until)
    return StatisticsRead(since=since, until=until, categories=[CategoryStatisticsRead.of(s) for s in stats])
