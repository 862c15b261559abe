"""Notifications' commands and event handlers. The event handlers run in the consumer's transaction
(with its inbox record) on content's unit; the rules of who is told what are domain.py's, and each
notice is written once per recipient (its dedup key), so a redelivery or a re-announcement tells
nobody twice."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from kit.pagination import decode_cursor, page

from content.database import Database, Stores
from content.notifications import domain
from content.notifications.domain import ComplaintOutcome, Followed, NoSuchNotification, RealNameExpired
from content.notifications.schemas import NotificationRead, notification_read
from content.posts.domain import Decision, Published, Restoration, StandingChanged
from content.posts.handlers import views

log = logging.getLogger(__name__)


# --- the facts that notify ------------------------------------------------------------------------


async def on_published(stores: Stores, published: list[Published]) -> None:
    """Reposts, comments and replies tell the parent's author (MB-2), a batch at once; a pushed article
    tells each subscriber of its account (MB-9), one statement per article."""
    notices = [n for p in published if (n := domain.on_published(p)) is not None]
    await stores.notifications.notify([n for n in notices if n.recipient_id is not None])
    for notice in notices:
        if notice.recipient_id is None:
            await stores.notifications.notify_subscribers(notice)


async def on_followed(stores: Stores, followed: Followed) -> None:
    """MB-2: the followee is told who followed them."""
    notice = domain.on_followed(followed)
    if notice is not None:
        await stores.notifications.notify([notice])
    await stores.social.note_follow_notified(followed.follower_id, followed.followee_id)  # else announced again


async def _author_of(stores: Stores, decision: Decision) -> uuid.UUID | None:
    post = await stores.posts.post_by_id(decision.post_id)
    if post is None:
        log.warning("a decision on a post content does not know", extra={"post_id": str(decision.post_id)})
        return None
    return post["author_id"]


async def on_held(stores: Stores, decision: Decision) -> None:
    """MB-6.1: the author is told their item waits for a reviewer, and why."""
    author = await _author_of(stores, decision)
    if author is not None:
        await stores.notifications.notify([domain.on_held(decision, author)])


async def on_stopped(stores: Stores, decision: Decision) -> None:
    """MB-12.2: the author is told, with the statement of reasons."""
    author = await _author_of(stores, decision)
    if author is not None:
        await stores.notifications.notify([domain.on_stopped(decision, author)])


async def on_restored(stores: Stores, restoration: Restoration) -> None:
    """MB-12.2, MB-6.1: the author is told the wrong stop was lifted (once per restore: its dedup key)."""
    post = await stores.posts.post_by_id(restoration.post_id)
    if post is not None:
        await stores.notifications.notify([domain.on_restored(restoration, post["author_id"])])


async def on_labelled(stores: Stores, decision: Decision) -> None:
    """MB-11: the author of a post labelled with a refutation is told, and so is everyone who reposted
    or commented on it."""
    author = await _author_of(stores, decision)
    if author is None:
        return
    for notice in domain.on_labelled(decision, author):
        if notice.recipient_id is None:
            await stores.notifications.notify_reposters_and_commenters(notice, except_id=author)
        else:
            await stores.notifications.notify([notice])


async def on_standing(stores: Stores, standing: StandingChanged) -> None:
    """PA-13.1, PA-6.2: a sanction or a credit change the holder would care about is told; the standing
    is kept to measure the next change against."""
    before = await stores.notifications.standing_seen(standing.account_id)
    notice = domain.on_standing(before, standing)
    if notice is not None:
        await stores.notifications.notify([notice])
    await stores.notifications.note_standing_seen(standing.account_id, domain.seen(standing))


async def on_real_name_expired(stores: Stores, expired: RealNameExpired) -> None:
    """MB-7.2: the holder is asked to renew their verification."""
    await stores.notifications.notify([domain.on_real_name_expired(expired)])


async def on_complaint_outcome(stores: Stores, outcome: ComplaintOutcome | None) -> None:
    """MB-14: the complainant is told their complaint's outcome and the short reason (once per complaint)."""
    if outcome is not None:
        await stores.notifications.notify([domain.on_complaint_outcome(outcome)])


# --- the inbox ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Listed:
    items: list[NotificationRead]
    next_cursor: str | None


async def _read(stores: Stores, rows: list[asyncpg.Record], recipient_id: uuid.UUID) -> list[NotificationRead]:
    """Rows as shown: the item each is about through the one view of posts (MB-12.2: what the recipient
    may not see is left out; a notice about their own stopped post shows the statement of reasons)."""
    shown = {
        v.id: v
        for v in await views(stores, list({r["post_id"] for r in rows if r["post_id"] is not None}), recipient_id)
    }
    return [notification_read(r, shown.get(str(r["post_id"]))) for r in rows]


async def list_notifications(
    db: Database, recipient_id: uuid.UUID, *, cursor: str | None, limit: int, unread_only: bool
) -> Listed:
    """The recipient's notifications they may be shown, newest first (keyset on created_at, id)."""
    after = decode_cursor(cursor, datetime, uuid.UUID) if cursor else None
    async with db.snapshot() as stores:
        rows = await stores.notifications.page(recipient_id, after=after, limit=limit + 1, unread_only=unread_only)
        found = page(rows, limit, lambda r: (r["created_at"], r["id"]))
        return Listed(await _read(stores, found["items"], recipient_id), found["next_cursor"])


async def unread_count(db: Database, recipient_id: uuid.UUID) -> int:
    return await db.reader().notifications.unread_count(recipient_id)


async def mark_read(
    db: Database, recipient_id: uuid.UUID, *, ids: list[uuid.UUID] | None, up_to: uuid.UUID | None
) -> tuple[int, int]:
    """Mark read the given notifications (others' ids are ignored), or one of the recipient's and every
    older one. How many were marked, and how many unread are left to show."""
    domain.check_mark(ids, up_to)
    async with db.transaction() as stores:
        if up_to is not None:
            marked = await stores.notifications.mark_read_up_to(recipient_id, up_to)
            if marked is None:
                raise NoSuchNotification("No such notification of yours.")
        else:
            marked = await stores.notifications.mark_read(recipient_id, ids or [])
        return marked, await stores.notifications.unread_count(recipient_id)
