"""The filing API's filings (blacklist, verified accounts, grading rules, operators), by jurisdiction
(MB-16.1)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from kit.inputs import Text
from kit.pagination import CursorQuery, Page, decode_cursor, page

from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.filings import handlers
from regulator_gateway.filings.schemas import FilingRead
from regulator_gateway.filings.store import FilingStore, PgFilingStore
from regulator_gateway.offices.api import CurrentOffice

router = APIRouter(tags=["regulator"])


async def filings_database(request: Request) -> Database[FilingStore]:
    return PgDatabase(request.app.state.runtime.pool, PgFilingStore)


Filings = Annotated[Database[FilingStore], Depends(filings_database)]


@router.get("/v1/regulator/filings", response_model=Page[FilingRead])
async def list_filings(
    office: CurrentOffice,
    db: Filings,
    kind: Text | None = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="Items per page at most")] = 100,
    cursor: CursorQuery = None,
) -> Page[FilingRead]:
    """Filings in the office's jurisdiction, oldest first (`kind`: blacklist, verified_account,
    multi_account_operator, grading_rules), a page at a time (MB-16.1)."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    filings = await handlers.list_filings(db, office, kind=kind, after=after, limit=limit + 1)
    listed = page(filings, limit, lambda f: (f.filed_at, f.id))
    return Page[FilingRead](items=[FilingRead.of(f) for f in listed["items"]], next_cursor=listed["next_cursor"])
