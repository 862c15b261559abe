"""The filing API's filings (blacklist, verified accounts, grading rules, operators), by jurisdiction
(MB-16.1)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from kit.inputs import Text
from kit.pagination import CursorQuery, Page, decode_cursor, page
from kit.problems import problems

from regulator_gateway.assessments.store import AssessmentStores, PgAssessmentStores
from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.filings import handlers
from regulator_gateway.filings.schemas import FilingAcknowledgement, FilingRead
from regulator_gateway.filings.store import FilingStore, PgFilingStore
from regulator_gateway.offices.api import CurrentOffice

router = APIRouter(tags=["regulator"])


async def filings_database(request: Request) -> Database[FilingStore]:
    return PgDatabase(request.app.state.runtime.pool, PgFilingStore)


Filings = Annotated[Database[FilingStore], Depends(filings_database)]


async def acknowledgement_database(request: Request) -> Database[AssessmentStores]:
    return PgDatabase(request.app.state.runtime.pool, PgAssessmentStores)


Acknowledgements = Annotated[Database[AssessmentStores], Depends(acknowledgement_database)]


@router.get("/v1/regulator/filings", response_model=Page[FilingRead])
async def list_filings(
    office: CurrentOffice,
    db: Filings,
    kind: Text | None = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Items per page at most")] = 100,
    cursor: CursorQuery = None,
) -> Page[FilingRead]:
    """Filings in the office's jurisdiction, oldest first (`kind`: blacklist, verified_account,
    multi_account_operator, grading_rules, public_account, security_assessment), a page at a time (MB-16.1)."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    filings = await handlers.list_filings(db, office, kind=kind, after=after, limit=limit + 1)
    listed = page(filings, limit, lambda f: (f.filed_at, f.id))
    return Page[FilingRead](items=[FilingRead.of(f) for f in listed["items"]], next_cursor=listed["next_cursor"])


@router.put(
    "/v1/regulator/filings/{filing_id}/acknowledgement",
    response_model=FilingRead,
    responses=problems(404, 409, s404="No such filing in your jurisdiction", s409="Acknowledged with another receipt"),
)
async def acknowledge_filing(
    filing_id: uuid.UUID, body: FilingAcknowledgement, office: CurrentOffice, db: Acknowledgements
) -> FilingRead:
    """Acknowledge a filing with the office's receipt number (MB-16.1: one in the office's jurisdiction).
    Idempotent: the same receipt again changes nothing. Acknowledging a security assessment's filing puts
    the assessment in force, which opens the feature's gate (MB-13, PA-12.1)."""
    return FilingRead.of(await handlers.acknowledge_filing(db, office, filing_id, body.receipt_number))
