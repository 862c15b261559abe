"""The social graph's commands and event handlers (MB-2). Each owns its transaction; every change of
follows moves the counts of both ends and announces them with it (MB-9, MB-6.1), and a new follow is
announced for the notifier. See store.py for the order locks are taken in."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

import asyncpg
from contracts.claims import TokenKind
from kit.auth import Principal
from kit.pagination import decode_cursor, page
from kit.service import Runtime

from content.database import Database, Stores
from content.posts import handlers as posts
from content.posts.domain import Cancellation
from content.settings import ContentSettings
from content.social import events
from content.social.domain import (
    Edge,
    FollowStarted,
    check_account_shown,
    check_manages,
    check_may_block,
    check_may_follow,
    check_public_account,
    count_changes,
)
from content.social.schemas import (
    RelationshipRead,
    SubscriptionRead,
    block_read,
    follow_read,
    relationship_read,
    subscribed_read,
    subscription_read,
)


async def _announce_counts(stores: Stores, *, added: Iterable[Edge] = (), removed: Iterable[Edge] = ()) -> None:
    """Move the counts of every account at either end (their rows locked) and announce each."""
    counts = await stores.social.adjust_counts(count_changes(added, removed))
    await stores.announce_all([events.follower_count_changed(count) for count in counts])


async def follow(db: Database, principal: Principal, followee_id: uuid.UUID) -> bool:
    """Follow an account; False when the caller followed it already (nothing changes)."""
    follower_id = uuid.UUID(principal.subject)
    edge = Edge(follower_id, followee_id)
    async with db.transaction() as stores:
        await stores.social.lock_counts([follower_id, followee_id])
        # Read after the locks: a block or a cancellation committed meanwhile is seen.
        check_may_follow(
            follower_id,
            followee_id,
            follower=await stores.posts.author_standing(follower_id),
            followee=await stores.posts.author_standing(followee_id),
            blocked_by_followee=await stores.social.blocked(followee_id, follower_id),
            blocking_followee=await stores.social.blocked(follower_id, followee_id),
        )
        followed_at = await stores.social.follow(edge)
        if followed_at is None:
            return False
        await _announce_counts(stores, added=[edge])
        await stores.announce(events.follow_started(FollowStarted(follower_id, followee_id, followed_at)))
    return True


async def reannounce_undelivered_follows(runtime: Runtime) -> None:
    """Reconciler: a follow whose announcement the backfill or the notifier has not handled yet is
    announced again (after a broker loss, at once), so a lost FollowStarted loses neither; both are
    idempotent. (Follower counts are not re-sent: the next change of either account carries them.)"""
    settings: ContentSettings = runtime.settings  # type: ignore[assignment]

    async def announce_again(conn: asyncpg.Connection, older_than_s: float, limit: int) -> int:
        stores = Stores(conn)
        follows = await stores.social.claim_undelivered(older_than_s=older_than_s, limit=limit)
        await stores.announce_all([events.follow_started(f) for f in follows])
        return len(follows)

    await runtime.reannounce_forever(
        period_s=settings.reconcile_interval_s,
        grace_s=settings.reannounce_after_s,
        announce=announce_again,
        what="follows not yet backfilled or notified",
    )


async def unfollow(db: Database, principal: Principal, followee_id: uuid.UUID) -> None:
    """Stop following; not following already changes nothing."""
    follower_id = uuid.UUID(principal.subject)
    async with db.transaction() as stores:
        await stores.social.lock_counts([follower_id, followee_id])
        await _announce_counts(stores, removed=await stores.social.unfollow(Edge(follower_id, followee_id)))


async def block(db: Database, principal: Principal, blocked_id: uuid.UUID) -> bool:
    """MB-2: block an account: the follows between the two go both ways, and the blocked account may not
    follow, comment on or repost the blocker. False when it was blocked already."""
    blocker_id = uuid.UUID(principal.subject)
    check_may_block(blocker_id, blocked_id)
    async with db.transaction() as stores:
        await stores.social.lock_counts([blocker_id, blocked_id])
        check_account_shown(await stores.posts.author_standing(blocked_id))
        if await stores.social.block(blocker_id, blocked_id) is None:
            return False
        await _announce_counts(stores, removed=await stores.social.unfollow_both_ways(blocker_id, blocked_id))
    return True


async def unblock(db: Database, principal: Principal, blocked_id: uuid.UUID) -> None:
    async with db.transaction() as stores:
        await stores.social.unblock(uuid.UUID(principal.subject), blocked_id)


async def relationship(db: Database, account_id: uuid.UUID, viewer: Principal | None) -> RelationshipRead:
    # Only a user stands in a relationship: a staff member's or a client's token reads as anonymous.
    viewer_id = uuid.UUID(viewer.subject) if viewer and viewer.access.kind is TokenKind.USER else None
    async with db.connection() as stores:
        check_account_shown(await stores.posts.author_standing(account_id))
        return relationship_read(account_id, await stores.social.relationship(account_id, viewer_id))


async def followers(db: Database, account_id: uuid.UUID, cursor: str | None, limit: int) -> dict:
    """The account's followers, newest first; hidden ones (suspended, closed, cancelled) left out."""
    return await _graph_page(db, account_id, cursor, limit, followers=True)


async def following(db: Database, account_id: uuid.UUID, cursor: str | None, limit: int) -> dict:
    """The accounts it follows, newest first; hidden ones left out."""
    return await _graph_page(db, account_id, cursor, limit, followers=False)


async def _graph_page(db: Database, account_id: uuid.UUID, cursor: str | None, limit: int, *, followers: bool) -> dict:
    after = _after(cursor)
    async with db.connection() as stores:
        check_account_shown(await stores.posts.author_standing(account_id))
        listed = stores.social.followers if followers else stores.social.following
        rows = await listed(account_id, after, limit + 1)
    return page([follow_read(r) for r in rows], limit, lambda f: (f.followed_at, uuid.UUID(f.account_id)))


async def blocks(db: Database, principal: Principal, cursor: str | None, limit: int) -> dict:
    rows = await db.reader().social.blocks(uuid.UUID(principal.subject), _after(cursor), limit + 1)
    return page([block_read(r) for r in rows], limit, lambda b: (b.blocked_at, uuid.UUID(b.account_id)))


def _after(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    """The keyset of the last item seen (every list here is newest first, ties by account id)."""
    return decode_cursor(cursor, datetime, uuid.UUID) if cursor else None  # type: ignore[return-value]


# --- subscriptions: following a public account (S4, issue 13; MB-2, PA-7.1, MB-9) -----------------
# The same follow table, blocks and counts: a subscriber is a follower, so FollowerCountChanged already
# feeds grades with subscribers (PA-7.2, MB-9).


async def _public_account(db: Database, account_id: uuid.UUID) -> None:
    check_public_account(await db.reader().social.is_public_account(account_id))


async def subscribe(db: Database, principal: Principal, public_account_id: uuid.UUID) -> bool:
    """Subscribe to a public account (no real name needed, MB-7.1); False when subscribed already."""
    await _public_account(db, public_account_id)
    return await follow(db, principal, public_account_id)


async def unsubscribe(db: Database, principal: Principal, public_account_id: uuid.UUID) -> None:
    await _public_account(db, public_account_id)
    await unfollow(db, principal, public_account_id)


async def subscription(db: Database, public_account_id: uuid.UUID, viewer: Principal | None) -> SubscriptionRead:
    await _public_account(db, public_account_id)
    viewer_id = uuid.UUID(viewer.subject) if viewer and viewer.access.kind is TokenKind.USER else None
    async with db.connection() as stores:
        check_account_shown(await stores.posts.author_standing(public_account_id))
        return subscription_read(public_account_id, await stores.social.relationship(public_account_id, viewer_id))


async def subscribers(
    db: Database, principal: Principal, public_account_id: uuid.UUID, cursor: str | None, limit: int
) -> dict:
    """The account's subscribers, newest first, for its operators only; hidden accounts left out."""
    await _public_account(db, public_account_id)
    check_manages(public_account_id, uuid.UUID(principal.subject), principal.access.actor)
    return await followers(db, public_account_id, cursor, limit)


async def subscriptions(db: Database, principal: Principal, cursor: str | None, limit: int) -> dict:
    rows = await db.reader().social.subscriptions(uuid.UUID(principal.subject), _after(cursor), limit + 1)
    return page([subscribed_read(r) for r in rows], limit, lambda s: (s.subscribed_at, uuid.UUID(s.public_account_id)))


# --- identity's facts ---------------------------------------------------------------------------


async def remove_account(stores: Stores, account_id: uuid.UUID) -> None:
    """PA-9.2: a cancelled account's follows go both ways (and its blocks); the counts of every account
    at the other end move and are announced. Idempotent: a second time finds nothing to remove."""
    locked = [account_id, *await stores.social.counterparts(account_id)]
    await stores.social.lock_counts(locked)
    # Holding the account's own row, no new follow of or by it can commit; one that committed while
    # this waited for the lock is seen now, and its other end is locked too.
    late = sorted(set(await stores.social.counterparts(account_id)) - set(locked))
    if late:
        await stores.social.lock_counts(late)
    await _announce_counts(stores, removed=await stores.social.remove_account(account_id))


async def account_cancelled(stores: Stores, cancellation: Cancellation) -> None:
    """PA-9.2: identity cancelled an account: its posts are withdrawn and its follows go, in one
    transaction (the consumer's, with its inbox record)."""
    await posts.withdraw_author(stores.posts, cancellation)
    await remove_account(stores, cancellation.account_id)
