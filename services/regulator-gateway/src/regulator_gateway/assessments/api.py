"""Staff routes of security assessments (MB-13, PA-12.1): the chief editor files and withdraws; the chief
editor, operators and auditors read."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from contracts.staff import StaffRole
from fastapi import APIRouter, Depends, Query, Request, status
from kit.auth import Principal, staff_with
from kit.inputs import Text
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page, decode_cursor, page
from kit.problems import problems

from regulator_gateway.assessments import handlers
from regulator_gateway.assessments.domain import Status
from regulator_gateway.assessments.schemas import AssessmentCreate, AssessmentRead, AssessmentWithdrawal
from regulator_gateway.assessments.store import AssessmentStores, PgAssessmentStores
from regulator_gateway.database import Database, PgDatabase

router = APIRouter(tags=["regulator staff"])


async def assessments_database(request: Request) -> Database[AssessmentStores]:
    return PgDatabase(request.app.state.runtime.pool, PgAssessmentStores)


Assessments = Annotated[Database[AssessmentStores], Depends(assessments_database)]
ChiefEditor = Annotated[Principal, staff_with(StaffRole.CHIEF_EDITOR, requirement="PA-12.1")]
Reader = Annotated[
    Principal, staff_with(StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR, StaffRole.AUDITOR, requirement="PA-12.1")
]


@router.post(
    "/v1/regulator/staff/assessments",
    status_code=status.HTTP_201_CREATED,
    response_model=AssessmentRead,
    responses=problems(
        409, 413, s409="An assessment of this feature's version is filed or in force", s413="Document too large"
    ),
)
async def file_assessment(
    body: AssessmentCreate, staff: ChiefEditor, db: Assessments, request: Request
) -> AssessmentRead:
    """File the security assessment of a gated feature's version with the national office or a province's
    (MB-13, PA-12.1). The gate opens when the office acknowledges the filing with its receipt."""
    assessment = await handlers.file_assessment(
        db,
        staff,
        feature=body.feature,
        version=body.version,
        level=body.level,
        province_code=body.province_code,
        summary=body.summary,
        document=body.document_bytes(),
        max_document_bytes=request.app.state.runtime.settings.assessment_document_max_bytes,
    )
    return AssessmentRead.of(assessment)


@router.get("/v1/regulator/staff/assessments", response_model=Page[AssessmentRead])
async def list_assessments(
    staff: Reader,
    db: Assessments,
    feature: Annotated[Text | None, Query(max_length=64, description="One feature's only")] = None,
    status: Annotated[Status | None, Query(description="filed, acknowledged or withdrawn")] = None,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Page[AssessmentRead]:
    """Security assessments, oldest first, a page at a time."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    found = await handlers.list_assessments(db, feature=feature, status=status, after=after, limit=limit + 1)
    listed = page(found, limit, lambda a: (a.filed_at, a.id))
    return Page[AssessmentRead](
        items=[AssessmentRead.of(a) for a in listed["items"]], next_cursor=listed["next_cursor"]
    )


@router.get(
    "/v1/regulator/staff/assessments/{assessment_id}",
    response_model=AssessmentRead,
    responses=problems(404, s404="No such assessment"),
)
async def read_assessment(assessment_id: uuid.UUID, staff: Reader, db: Assessments) -> AssessmentRead:
    """One security assessment, with its filing and receipt."""
    return AssessmentRead.of(await handlers.read_assessment(db, assessment_id))


@router.post(
    "/v1/regulator/staff/assessments/{assessment_id}/withdrawal",
    response_model=AssessmentRead,
    responses=problems(404, 409, s404="No such assessment", s409="Withdrawn already"),
)
async def withdraw_assessment(
    assessment_id: uuid.UUID, body: AssessmentWithdrawal, staff: ChiefEditor, db: Assessments
) -> AssessmentRead:
    """Withdraw a security assessment (MB-13): the feature's gate for its version closes until another
    assessment of it is acknowledged."""
    return AssessmentRead.of(await handlers.withdraw(db, staff, assessment_id, body.reason))
