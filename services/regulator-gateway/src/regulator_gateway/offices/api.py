"""How a request names its office: the API key as a bearer token (MB-16.1), counted against the office's
rate limit (MB-3) and recorded with the answer's status; the office's own access record and, for staff
auditors, every office's."""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Annotated

import asyncpg
from contracts.staff import STAFF_AUDITORS
from fastapi import APIRouter, Depends, Query, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from kit.auth import Principal, staff_with
from kit.pagination import CursorQuery, Page, decode_cursor, page
from kit.periods import Since, Until, open_period
from kit.problems import problems
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.offices import domain, handlers
from regulator_gateway.offices.domain import Access, Office
from regulator_gateway.offices.schemas import AccessRead
from regulator_gateway.offices.store import OfficeStore, PgOfficeStore

log = logging.getLogger(__name__)
router = APIRouter(tags=["regulator"])
_bearer = HTTPBearer(auto_error=False)
_ACCESS = "office_access"  # the request's access record entry, in the ASGI scope's state


async def offices_database(request: Request) -> Database[OfficeStore]:
    return PgDatabase(request.app.state.runtime.pool, PgOfficeStore)


Offices = Annotated[Database[OfficeStore], Depends(offices_database)]


def _declared_filters(request: Request) -> set[str]:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return set()
    return {p.alias for p in route.dependant.query_params}  # the route's own query parameters


async def current_office(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)], db: Offices
) -> Office:
    """Authenticate the office by its API key (MB-16.1), count the request (MB-3) and have the access recorded
    with its answer (OfficeAccessRecord)."""
    caller = await handlers.authenticate(db, credentials.credentials if credentials else None)
    route = request.scope.get("route")
    access = Access(
        office_id=caller.office.id,
        key_id=caller.key_id,
        method=request.method,
        path=domain.storable(request.url.path),
        route=route.path if isinstance(route, APIRoute) else request.url.path,
        status=0,  # the answer's, when it is sent
        filters=domain.recorded_filters(_declared_filters(request), dict(request.query_params)),
    )
    setattr(request.state, _ACCESS, access)  # a 429 below is recorded too
    await handlers.count_request(db, caller, per_minute=request.app.state.runtime.settings.office_rate_per_minute)
    return caller.office


CurrentOffice = Annotated[Office, Depends(current_office)]


class OfficeAccessRecord:
    """MB-16.1: every request an office makes is recorded with the status it is answered with, before the
    answer leaves (an office reading its record finds the request it just made), one INSERT outside any
    transaction. Requests without a known office's key are not an office's access."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        recorded = False

        async def record(status: int) -> None:
            nonlocal recorded
            recorded = True
            access: Access | None = scope.get("state", {}).get(_ACCESS)
            if access is None:
                return
            try:
                db = PgDatabase(scope["app"].state.runtime.pool, PgOfficeStore)
                await handlers.record_access(db, replace(access, status=status))
            except (asyncpg.PostgresError, OSError):  # the answer still goes out; the loss is logged
                log.exception("an office's access could not be recorded", extra={"route": access.route})

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and not recorded:
                await record(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:
            if not recorded:
                await record(500)
            raise


def _after(cursor: str | None) -> tuple[datetime, int] | None:
    return decode_cursor(cursor, datetime, int) if cursor else None  # type: ignore[return-value]


Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page at most")]


@router.get("/v1/regulator/accesses", response_model=Page[AccessRead], responses=problems(422))
async def own_accesses(
    office: CurrentOffice, db: Offices, since: Since = None, until: Until = None, limit: Limit = 100,
    cursor: CursorQuery = None,
) -> Page[AccessRead]:  # fmt: skip
    """The office's own access record (MB-16.1), oldest first: route, method, status, when, key id and the
    query's filters of every request it made before this one."""
    since, until = open_period(since, until, requirement="MB-16.1")
    found = await handlers.list_accesses(db, office.id, since=since, until=until, after=_after(cursor), limit=limit + 1)
    listed = page(found, limit, lambda a: (a.accessed_at, a.id))
    return Page[AccessRead](items=[AccessRead.of(a) for a in listed["items"]], next_cursor=listed["next_cursor"])


Auditor = Annotated[Principal, staff_with(*STAFF_AUDITORS, requirement="MB-16.1")]


@router.get("/v1/regulator/staff/accesses", response_model=Page[AccessRead], responses=problems(403, 422))
async def all_accesses(
    staff: Auditor, db: Offices, office_id: uuid.UUID | None = None, since: Since = None, until: Until = None,
    limit: Limit = 100, cursor: CursorQuery = None,
) -> Page[AccessRead]:  # fmt: skip
    """Staff auditors read every office's access record (MB-16.1), or one office's, oldest first."""
    since, until = open_period(since, until, requirement="MB-16.1")
    found = await handlers.list_accesses(db, office_id, since=since, until=until, after=_after(cursor), limit=limit + 1)
    listed = page(found, limit, lambda a: (a.accessed_at, a.id))
    return Page[AccessRead](items=[AccessRead.of(a) for a in listed["items"]], next_cursor=listed["next_cursor"])
