"""HTTP routes of the notifications inbox: parse, authorise, call the handler, map the result."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from kit.auth import CurrentPrincipal
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from kit.problems import problems

from content.notifications import handlers
from content.notifications.schemas import MarkedRead, NotificationRead, NotificationsMark, UnreadCount
from content.posts.api import Db

router = APIRouter(tags=["notifications"])


@router.get("/v1/notifications", response_model=Page[NotificationRead])
async def list_notifications(
    principal: CurrentPrincipal,
    db: Db,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
    unread_only: Annotated[bool, Query(description="Only the unread ones")] = False,
) -> Page[NotificationRead]:
    """Your notifications, newest first: follows, reposts, comments and replies (shown only while you
    may see the item, MB-12.2), your items held, stopped or labelled with the statement of reasons,
    refutations of posts you reposted or commented on (MB-11), sanctions and credit changes (PA-13.1,
    PA-6.2), an expired real-name verification (MB-7.2)."""
    listed = await handlers.list_notifications(
        db, uuid.UUID(principal.subject), cursor=cursor, limit=limit, unread_only=unread_only
    )
    return Page(items=listed.items, next_cursor=listed.next_cursor)


@router.post(
    "/v1/notifications/read",
    response_model=MarkedRead,
    responses=problems(404, s404="`up_to` is not one of your notifications"),
)
async def mark_read(body: NotificationsMark, principal: CurrentPrincipal, db: Db) -> MarkedRead:
    """Mark read the notifications in `ids`, or `up_to` one of yours and every older one. Marking again
    changes nothing."""
    marked, unread = await handlers.mark_read(db, uuid.UUID(principal.subject), ids=body.ids, up_to=body.up_to)
    return MarkedRead(marked=marked, unread=unread)


@router.get("/v1/notifications/unread-count", response_model=UnreadCount)
async def unread_count(principal: CurrentPrincipal, db: Db) -> UnreadCount:
    """How many unread notifications your list shows."""
    return UnreadCount(unread=await handlers.unread_count(db, uuid.UUID(principal.subject)))
