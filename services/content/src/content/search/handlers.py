"""Search of posts and reposts by text (Chinese too): only what the viewer may see (MB-12.2), newest
first, shown through the one view of posts (content.posts.handlers.views)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from kit.auth import Principal
from kit.pagination import decode_cursor, page

from content.database import Database
from content.posts.handlers import views
from content.search.domain import search_query, unsearchable


async def search_posts(
    db: Database, q: str, viewer: Principal | None, *, cursor: str | None, limit: int
) -> dict[str, Any]:
    query = search_query(q)
    viewer_id = uuid.UUID(viewer.subject) if viewer else None
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with db.connection() as stores:
        rows = await stores.search.search(query, viewer_id, after=after, limit=limit + 1)
        if not rows and not await stores.search.searchable(query):
            raise unsearchable(query)
        fetched = page(rows, limit, lambda r: (r["created_at"], r["id"]))
        # views() applies the read rule again: a post stopped between the two statements is left out.
        items = await views(stores, [r["id"] for r in fetched["items"]], viewer_id)
    return {"items": items, "next_cursor": fetched["next_cursor"]}
