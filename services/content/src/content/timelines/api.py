"""HTTP routes of the timelines (MB-2): the caller's home timeline and an account's own timeline,
newest first, in cursor pages; every item shown as on its post page (MB-12.2, MB-11)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from kit.auth import CurrentPrincipal, OptionalPrincipal
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.problems import problems

from content.posts.api import Db
from content.posts.schemas import PostRead, page_json
from content.timelines import handlers

router = APIRouter(tags=["timelines"])


@router.get(
    "/v1/timelines/home",
    response_model=Page[PostRead],
    responses=problems(422, s422="A cursor this API did not give out"),
)
async def home_timeline(
    principal: CurrentPrincipal, request: Request, db: Db, cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT
) -> Response:
    """Your home timeline, newest first: your own posts and reposts and those of the accounts you follow
    (an unfollow takes effect at once). Only what a post page would show you appears; a repost of a
    stopped post shows a 451 placeholder (MB-12.2). It reaches back the newest 800 posts of followed
    accounts (the setting `TIMELINE_MAX_ENTRIES`)."""
    items, next_cursor = await handlers.home(
        db, request.app.state.settings, uuid.UUID(principal.subject), cursor=cursor, limit=limit
    )
    return Response(page_json(items, next_cursor), media_type="application/json")


@router.get(
    "/v1/accounts/{account_id}/posts",
    response_model=Page[PostRead],
    responses=problems(422, s422="A cursor this API did not give out"),
)
async def account_timeline(
    account_id: uuid.UUID,
    viewer: OptionalPrincipal,
    db: Db,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> Response:
    """An account's posts and reposts, newest first, as you may see them: published ones, and your own
    under review or held when it is yours (MB-12.2, PA-13.1: nothing of a hidden author)."""
    items, next_cursor = await handlers.account(
        db, account_id, uuid.UUID(viewer.subject) if viewer else None, cursor=cursor, limit=limit
    )
    return Response(page_json(items, next_cursor), media_type="application/json")
