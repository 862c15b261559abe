"""The timelines' commands and event handlers (MB-2): fan-out on write, backfill on a follow, the
periodic trim, and the reads of home and account timelines (MB-12.2: through the one read rule and
the one view of posts, content.posts.handlers.views)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

from kit.pagination import decode_cursor, page
from kit.service import Runtime

from content.database import Database, Stores
from content.notifications.domain import Followed
from content.posts.domain import Published
from content.posts.handlers import shown
from content.settings import ContentSettings
from content.timelines.domain import fans_out

# --- reads ----------------------------------------------------------------------------------------


async def home(
    db: Database, settings: ContentSettings, reader_id: uuid.UUID, *, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """The reader's home timeline, newest first: their own posts and reposts, those of the accounts they
    follow (fanned out, or merged for large accounts), each shown as it is everywhere."""
    before = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with db.connection() as stores:
        rows = await stores.timelines.home(
            reader_id, before=before, limit=limit + 1, max_followers=settings.fanout_max_followers
        )
    return _page(rows, limit)


async def account(
    db: Database, account_id: uuid.UUID, viewer_id: uuid.UUID | None, *, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """An account's own timeline (its posts and reposts), newest first, as this viewer may see it (the
    author sees their own under review and held)."""
    before = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with db.connection() as stores:
        rows = await stores.timelines.account(account_id, viewer_id, before=before, limit=limit + 1)
    return _page(rows, limit)


def _page(rows: list, limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """A page of a timeline from its hydrated rows (the items, then the reposts' originals): the views'
    data (content.posts.schemas.post_view) and the next cursor."""
    found = page([r for r in rows if not r["original"]], limit, lambda r: (r["created_at"], r["id"]))
    return shown([*found["items"], *(r for r in rows if r["original"])]), found["next_cursor"]


# --- events ---------------------------------------------------------------------------------------


async def fan_out(stores: Stores, published: list[Published], *, settings: ContentSettings) -> None:
    """Published posts and reposts of ordinary accounts go into each follower's home timeline, a batch in
    one statement; a redelivered event inserts nothing more. A large account's are merged at read time
    instead (one write, whatever its followers); a comment stays under its thread."""
    followers = await stores.timelines.followers_of_each(list({p.author_id for p in published}))
    await stores.timelines.fan_out(
        [
            p.post_id
            for p in published
            if fans_out(p.kind, followers[p.author_id], settings.fanout_max_followers, pushed=p.pushed)
        ]
    )


async def backfill(stores: Stores, followed: Followed, *, settings: ContentSettings) -> None:
    """A new follow brings the followee's recent posts into the follower's home timeline (idempotent;
    nothing when the follow was already undone)."""
    await stores.timelines.backfill(followed.follower_id, followed.followee_id, settings.timeline_backfill)
    await stores.social.note_backfilled(followed.follower_id, followed.followee_id)  # else announced again


# --- background -----------------------------------------------------------------------------------


async def trim_once(db: Database, *, keep: int, batch: int) -> int:
    """One pass over every home timeline, a batch of owners per transaction: each keeps its newest
    ``keep`` entries of accounts still followed. Entries removed."""
    removed = 0
    last: uuid.UUID | None = None
    while True:
        async with db.transaction() as stores:
            owners = await stores.timelines.owners_after(last, batch)
            if not owners:
                return removed
            removed += await stores.timelines.trim(owners, keep)
        last = owners[-1]


async def trim_timelines(runtime: Runtime) -> None:
    """The home timeline reaches back ``timeline_max_entries`` fanned-out entries (like Twitter's 800);
    older entries are dropped by this periodic pass."""
    settings: ContentSettings = runtime.settings  # type: ignore[assignment]
    db = Database(runtime.pool)
    while True:
        await trim_once(db, keep=settings.timeline_max_entries, batch=settings.timeline_trim_batch)
        await asyncio.sleep(settings.timeline_trim_interval_s)  # a period, not synchronisation
