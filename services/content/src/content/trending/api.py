"""HTTP routes of the trending list (热搜): the list and a term's posts, gated by the security
assessment of the feature (MB-13, PA-12.1); staff views and removals (not gated)."""

from __future__ import annotations

import uuid
from typing import Annotated

from contracts.features import GatedFeature
from contracts.staff import StaffRole
from fastapi import APIRouter, Path, Request, status
from kit.auth import OptionalPrincipal, Principal, staff_with
from kit.inputs import Text
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.problems import problems

from content.gates.api import require_feature
from content.posts.api import Db
from content.search.schemas import SearchPage
from content.trending import handlers
from content.trending.schemas import (
    TrendingRead,
    TrendingRemovalCreate,
    TrendingRemovalLift,
    TrendingRemovalRead,
    TrendingStaffRead,
)

router = APIRouter(tags=["trending"])
staff_router = APIRouter(tags=["staff"])

_GATED = "The feature is switched off until its security assessment is acknowledged (MB-13, PA-12.1)"

Remover = Annotated[
    Principal, staff_with(StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR, requirement="CM")
]
Watcher = Annotated[
    Principal,
    staff_with(
        StaffRole.REVIEWER, StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR, requirement="CM"
    ),
]
RemovalReader = Annotated[
    Principal,
    staff_with(
        StaffRole.SENIOR_REVIEWER, StaffRole.CHIEF_EDITOR, StaffRole.OPERATOR, StaffRole.AUDITOR, requirement="CM"
    ),
]


@router.get(
    "/v1/trending",
    response_model=TrendingRead,
    dependencies=[require_feature(GatedFeature.TRENDING)],
    responses=problems(403, s403=_GATED),
)
async def read_trending(request: Request, db: Db) -> TrendingRead:
    """The trending list (热搜): terms of recent posts, reposts and searches by distinct accounts, with
    bulk accounts and coordinated bursts discounted (CM). An entry leaves the list as soon as its posts
    are stopped, deleted or hidden (MB-12.2), or staff remove it."""
    return await handlers.trending(db, request.app.state.settings)


@router.get(
    "/v1/trending/{term}/posts",
    response_model=SearchPage,
    dependencies=[require_feature(GatedFeature.TRENDING)],
    responses=problems(403, 404, s403=_GATED, s404="A term staff removed, or not a term"),
)
async def read_term_posts(
    term: Annotated[Text, Path(max_length=60)],
    viewer: OptionalPrincipal,
    db: Db,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> SearchPage:
    """A trending term's posts, newest first: the search path, only what the caller may see (MB-12.2)."""
    return await handlers.term_posts(db, term, viewer, cursor=cursor, limit=limit)  # type: ignore[return-value]


@staff_router.get("/v1/content/staff/trending", response_model=TrendingStaffRead)
async def staff_trending(staff: Watcher, db: Db) -> TrendingStaffRead:
    """The newest list as computed: scores, authors, backing posts, flags (CM), and removed entries."""
    return await handlers.staff_view(db)


@staff_router.post(
    "/v1/content/staff/trending/removals", status_code=status.HTTP_201_CREATED, response_model=TrendingRemovalRead
)
async def remove_term(body: TrendingRemovalCreate, staff: Remover, db: Db) -> TrendingRemovalRead:
    """Take a term off the trending list, with the recorded reason and legal basis (CM, MB-12.2); until
    a moment or until lifted."""
    return await handlers.remove(db, staff, body)


@staff_router.post(
    "/v1/content/staff/trending/removals/{removal_id}/lift",
    response_model=TrendingRemovalRead,
    responses=problems(404, 409, s409="Lifted already"),
)
async def lift_removal(removal_id: uuid.UUID, body: TrendingRemovalLift, staff: Remover, db: Db) -> TrendingRemovalRead:
    """Lift a removal (the term may trend again), with the reason; the record stays."""
    return await handlers.lift(db, staff, removal_id, body.reason)


@staff_router.get("/v1/content/staff/trending/removals", response_model=Page[TrendingRemovalRead])
async def list_removals(
    staff: RemovalReader, db: Db, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> dict:
    """The record of removals, newest first."""
    return await handlers.removals(db, cursor, limit)
