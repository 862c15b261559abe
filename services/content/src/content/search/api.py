"""HTTP route of search (MB-2, MB-12.2): posts and reposts by text, Chinese included."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from kit.auth import OptionalPrincipal
from kit.inputs import Text
from kit.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery

from content.database import Database
from content.search import handlers
from content.search.domain import SEARCH_MAX_CHARS
from content.search.schemas import SearchPage
from content.trending import handlers as trending

router = APIRouter(tags=["search"])


async def _database(request: Request) -> Database:
    return Database(request.app.state.runtime.pool)


Db = Annotated[Database, Depends(_database)]


@router.get("/v1/search/posts", response_model=SearchPage)
async def search_posts(
    q: Annotated[
        Text,
        Query(
            max_length=SEARCH_MAX_CHARS,
            description="Words to find (2 to 100 characters); a post must contain every term (split at spaces). "
            "Chinese is matched as written, no spaces needed; other words whole.",
        ),
    ],
    viewer: OptionalPrincipal,
    db: Db,
    cursor: CursorQuery = None,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> SearchPage:
    """Posts and reposts whose text contains the query, newest first: only what the caller may see
    (published, or the caller's own under review), shown as on every read path (label, counts, media,
    a repost's original or its 451 placeholder)."""
    found = await handlers.search_posts(db, q, viewer, cursor=cursor, limit=limit)
    if cursor is None:  # S4 (issue 13): a signed-in search is a weak trending signal (first pages only)
        await trending.note_search(db, viewer, q)
    return found  # type: ignore[return-value]
