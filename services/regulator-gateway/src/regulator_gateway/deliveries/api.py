"""Pushes of reports (MB-12.2, MB-16.1): an office sets its own endpoint and reads its deliveries; staff read
every office's (an overdue one is an escalation)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from contracts.staff import STAFF_AUDITORS, StaffRole
from fastapi import APIRouter, Depends, Query, Request, Response, status
from kit.auth import Principal, staff_with
from kit.pagination import CursorQuery, Page, decode_cursor, page
from kit.problems import problems
from regulator_gateway.database import Database, PgDatabase
from regulator_gateway.deliveries import handlers
from regulator_gateway.deliveries.domain import DeliveryState
from regulator_gateway.deliveries.schemas import DeliveryRead, EndpointWrite
from regulator_gateway.deliveries.store import PushUnit
from regulator_gateway.offices.api import CurrentOffice

router = APIRouter(tags=["regulator"])


async def pushes_database(request: Request) -> Database[PushUnit]:
    return PgDatabase(request.app.state.runtime.pool, PushUnit)


Pushes = Annotated[Database[PushUnit], Depends(pushes_database)]
Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page at most")]
Overseer = Annotated[Principal, staff_with(*STAFF_AUDITORS, StaffRole.OPERATOR, requirement="MB-16.1")]


def _after(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    return decode_cursor(cursor, datetime, uuid.UUID) if cursor else None  # type: ignore[return-value]


def _page(found: list, limit: int) -> Page[DeliveryRead]:
    listed = page(found, limit, lambda d: (d.created_at, d.id))
    return Page[DeliveryRead](items=[DeliveryRead.of(d) for d in listed["items"]], next_cursor=listed["next_cursor"])


@router.put("/v1/regulator/endpoint", status_code=status.HTTP_204_NO_CONTENT, responses=problems(422))
async def set_endpoint(body: EndpointWrite, office: CurrentOffice, db: Pushes, request: Request) -> Response:
    """Have the office's jurisdiction's reports pushed to its own endpoint (reports filed from now on, each new
    version too), signed with the gateway's key (RFC 9421, Ed25519; `GET /v1/regulator/archive/public-key`).
    Answer each push 2xx with `{"reference": "..."}`: that is the acknowledgement; anything else is retried."""
    allow_http = request.app.state.runtime.settings.push_allow_http
    await handlers.set_endpoint(db, office.id, body.url, by=f"office:{office.id}", allow_http=allow_http)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/v1/regulator/endpoint", status_code=status.HTTP_204_NO_CONTENT)
async def remove_endpoint(office: CurrentOffice, db: Pushes) -> Response:
    """Stop pushes (pulling is always there); deliveries already made stay on record."""
    await handlers.set_endpoint(db, office.id, None, by=f"office:{office.id}", allow_http=False)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/v1/regulator/deliveries", response_model=Page[DeliveryRead], responses=problems(422))
async def own_deliveries(
    office: CurrentOffice, db: Pushes, state: DeliveryState | None = None, limit: Limit = 100,
    cursor: CursorQuery = None,
) -> Page[DeliveryRead]:  # fmt: skip
    """The pushes of reports to the office's endpoint, oldest first, with each one's attempts and reference."""
    found = await handlers.list_deliveries(
        db, office=office, office_id=None, state=state, after=_after(cursor), limit=limit + 1
    )
    return _page(found, limit)


@router.get("/v1/regulator/staff/deliveries", response_model=Page[DeliveryRead], responses=problems(403, 422))
async def all_deliveries(
    staff: Overseer, db: Pushes, office_id: uuid.UUID | None = None, state: DeliveryState | None = None,
    limit: Limit = 100, cursor: CursorQuery = None,
) -> Page[DeliveryRead]:  # fmt: skip
    """Every office's pushes (or one office's), oldest first; `state=overdue`: the escalated ones, unacknowledged
    past `PUSH_ACK_DEADLINE_S`."""
    found = await handlers.list_deliveries(
        db, office=None, office_id=office_id, state=state, after=_after(cursor), limit=limit + 1
    )
    return _page(found, limit)
