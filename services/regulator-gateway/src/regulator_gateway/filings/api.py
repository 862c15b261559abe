"""The filing API's filings (blacklist, verified accounts, grading rules, operators), by jurisdiction
(MB-16.1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from kit.inputs import Text

from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.filings import handlers
from regulator_gateway.filings.schemas import FilingPage, FilingRead
from regulator_gateway.filings.store import FilingStore, PgFilingStore
from regulator_gateway.offices.api import CurrentOffice
from regulator_gateway.paging import cursor_after, parse_cursor

router = APIRouter(tags=["regulator"])


def filings_database(request: Request) -> Database[FilingStore]:
    return PgDatabase(request.app.state.runtime.pool, PgFilingStore)


Filings = Annotated[Database[FilingStore], Depends(filings_database)]


@router.get("/v1/regulator/filings", response_model=FilingPage)
async def list_filings(
    office: CurrentOffice,
    db: Filings,
    kind: Text | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    cursor: Text | None = None,
) -> FilingPage:
    """Filings in the office's jurisdiction, oldest first (`kind`: blacklist, ...), a page at a time:
    pass `next_cursor` as `cursor` for the next page."""
    filings = await handlers.list_filings(db, office, kind=kind, after=parse_cursor(cursor), limit=limit)
    last = filings[-1] if len(filings) == limit else None
    return FilingPage(
        items=[FilingRead.of(f) for f in filings], next_cursor=cursor_after(last.filed_at, last.id) if last else None
    )
