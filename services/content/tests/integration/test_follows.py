"""The social graph on a real PostgreSQL (MB-2): follows and blocks, counts exact under concurrency and
announced with every change (MB-9), lists without hidden accounts (PA-13.1), cancellation (PA-9.2)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from content.posts.domain import AccountClosed, Cancellation, StandingChanged
from content.posts.handlers import note_standing
from content.social import handlers
from content.social.domain import BlockedByAccount, BlockingAccount, CannotFollowYourself
from contracts import content
from kit.problems import NotFound
from qinglang.content.v1 import social_pb2


def _id(principal) -> uuid.UUID:
    return uuid.UUID(principal.subject)


async def announced_counts(pool, account) -> list[tuple[int, int, int]]:
    """(followers, following, version) of every FollowerCountChanged announced for the account, in order."""
    rows = await pool.fetch(
        "SELECT payload FROM outbox_event WHERE ce_type = $1 AND partition_key = $2 ORDER BY id",
        content.FOLLOWER_COUNT_CHANGED.name,
        str(account),
    )
    counts = [social_pb2.FollowerCountChanged.FromString(r["payload"]) for r in rows]
    return [(c.followers, c.following, c.version) for c in counts]


async def follows_started(pool, followee) -> list[str]:
    rows = await pool.fetch(
        "SELECT payload FROM outbox_event WHERE ce_type = $1 AND partition_key = $2 ORDER BY id",
        content.FOLLOW_STARTED.name,
        str(followee),
    )
    return [social_pb2.FollowStarted.FromString(r["payload"]).follower_id for r in rows]


@pytest.mark.requirement("MB-2")
async def test_a_follow_moves_both_counts_once_and_is_announced(db, pool, posting) -> None:
    alice, bob = posting.author(), posting.author()
    assert await handlers.follow(db, alice, _id(bob)) is True
    assert await handlers.follow(db, alice, _id(bob)) is False  # idempotent: nothing changes
    seen = await handlers.relationship(db, _id(bob), alice)
    assert (seen.followers, seen.following, seen.followed_by_me, seen.follows_me) == (1, 0, True, False)
    anonymous = await handlers.relationship(db, _id(bob), None)
    assert (anonymous.followers, anonymous.followed_by_me, anonymous.blocked_by_me) == (1, False, False)
    assert await announced_counts(pool, _id(bob)) == [(1, 0, 1)]
    assert await announced_counts(pool, _id(alice)) == [(0, 1, 1)]
    assert await follows_started(pool, _id(bob)) == [alice.subject]

    await handlers.unfollow(db, alice, _id(bob))
    await handlers.unfollow(db, alice, _id(bob))  # idempotent
    assert (await handlers.relationship(db, _id(bob), alice)).followers == 0
    assert await announced_counts(pool, _id(bob)) == [(1, 0, 1), (0, 0, 2)]
    assert await announced_counts(pool, _id(alice)) == [(0, 1, 1), (0, 0, 2)]


@pytest.mark.requirement("MB-2")
async def test_following_oneself_is_refused(db, posting) -> None:
    alice = posting.author()
    with pytest.raises(CannotFollowYourself):
        await handlers.follow(db, alice, _id(alice))


@pytest.mark.requirement("MB-9")
async def test_counts_stay_exact_under_concurrent_follows_of_one_account(db, pool, posting) -> None:
    star = posting.author()
    fans = [posting.author() for _ in range(24)]
    assert all(await asyncio.gather(*(handlers.follow(db, fan, _id(star)) for fan in fans)))
    await asyncio.gather(*(handlers.unfollow(db, fan, _id(star)) for fan in fans[:8]))
    assert (await handlers.relationship(db, _id(star), None)).followers == 16
    announced = await announced_counts(pool, _id(star))
    # Every change announced once, with a new version, and the last one has the count.
    assert [v for _, _, v in announced] == list(range(1, 33)) and announced[-1] == (16, 0, 32)


@pytest.mark.requirement("MB-2")
async def test_two_accounts_following_each_other_at_once_do_not_deadlock(db, posting) -> None:
    for _ in range(10):
        a, b = posting.author(), posting.author()
        await asyncio.wait_for(asyncio.gather(handlers.follow(db, a, _id(b)), handlers.follow(db, b, _id(a))), 5)
        seen = await handlers.relationship(db, _id(a), b)
        assert (seen.followers, seen.following, seen.followed_by_me, seen.follows_me) == (1, 1, True, True)


@pytest.mark.requirement("MB-2")
async def test_a_block_removes_follows_both_ways_and_refuses_a_follow(db, pool, posting) -> None:
    alice, bob = posting.author(), posting.author()
    await handlers.follow(db, alice, _id(bob))
    await handlers.follow(db, bob, _id(alice))
    assert await handlers.block(db, alice, _id(bob)) is True
    assert await handlers.block(db, alice, _id(bob)) is False
    mine = await handlers.relationship(db, _id(bob), alice)
    assert (mine.followers, mine.following, mine.followed_by_me, mine.follows_me, mine.blocked_by_me) == (
        0,
        0,
        False,
        False,
        True,
    )
    assert (await announced_counts(pool, _id(alice)))[-1] == (0, 0, 3)  # one announcement for both follows
    with pytest.raises(BlockedByAccount) as refused:
        await handlers.follow(db, bob, _id(alice))
    assert refused.value.requirement == "MB-2" and refused.value.status == 403
    with pytest.raises(BlockingAccount):
        await handlers.follow(db, alice, _id(bob))
    assert [b.account_id for b in (await handlers.blocks(db, alice, None, 10))["items"]] == [bob.subject]
    await handlers.unblock(db, alice, _id(bob))
    assert await handlers.follow(db, bob, _id(alice)) is True


@pytest.mark.requirement("PA-13.1")
async def test_lists_page_newest_first_without_hidden_accounts(db, posting) -> None:
    star = posting.author()
    fans = [posting.author() for _ in range(5)]
    for fan in fans:
        await handlers.follow(db, fan, _id(star))
    async with db.transaction() as stores:  # PA-13.1: a suspended follower is left out of lists
        await note_standing(
            stores.posts,
            StandingChanged(_id(fans[1]), 1, "low", suspended_until=datetime.now(UTC) + timedelta(days=7)),
        )
    first = await handlers.followers(db, _id(star), None, 3)
    second = await handlers.followers(db, _id(star), first["next_cursor"], 3)
    listed = [f.account_id for f in first["items"] + second["items"]]
    assert listed == [fans[4].subject, fans[3].subject, fans[2].subject, fans[0].subject]
    assert second["next_cursor"] is None
    following = await handlers.following(db, _id(fans[0]), None, 10)
    assert [f.account_id for f in following["items"]] == [star.subject]


@pytest.mark.requirement("PA-13.1")
async def test_a_closed_account_cannot_follow_nor_be_followed(db, posting) -> None:
    alice, closed = posting.author(), posting.author()
    async with db.transaction() as stores:
        await note_standing(stores.posts, StandingChanged(_id(closed), 1, "banned", closed=True))
    with pytest.raises(AccountClosed):
        await handlers.follow(db, closed, _id(alice))
    with pytest.raises(NotFound):
        await handlers.follow(db, alice, _id(closed))
    with pytest.raises(NotFound):
        await handlers.followers(db, _id(closed), None, 10)


@pytest.mark.requirement("PA-9.2")
async def test_a_cancellation_removes_the_accounts_follows_and_announces_the_counts(db, pool, posting) -> None:
    gone, fan, idol, friend = (posting.author() for _ in range(4))
    await handlers.follow(db, fan, _id(gone))
    await handlers.follow(db, gone, _id(idol))
    await handlers.follow(db, gone, _id(friend))
    await handlers.follow(db, friend, _id(gone))
    await handlers.block(db, gone, _id(idol))  # removes gone -> idol
    cancellation = Cancellation(_id(gone), datetime.now(UTC), datetime.now(UTC) + timedelta(days=184))
    for _ in range(2):  # idempotent on the business key too
        await _cancel(db, cancellation)
    assert (await handlers.relationship(db, _id(fan), None)).following == 0
    assert (await handlers.relationship(db, _id(friend), None)).followers == 0
    assert (await handlers.relationship(db, _id(friend), None)).following == 0
    assert (await announced_counts(pool, _id(gone)))[-1] == (0, 0, 6)
    assert (await announced_counts(pool, _id(friend)))[-1][:2] == (0, 0)
    assert await pool.fetchval("SELECT count(*) FROM block WHERE blocker_id = $1", _id(gone)) == 0
    with pytest.raises(NotFound):
        await handlers.follow(db, fan, _id(gone))


async def _cancel(db, cancellation: Cancellation) -> None:
    async with db.transaction() as stores:
        await handlers.account_cancelled(stores, cancellation)


async def _follow_unless_gone(db, fan, account: uuid.UUID) -> None:
    try:
        await handlers.follow(db, fan, account)
    except NotFound:
        pass  # the cancellation committed first


@pytest.mark.requirement("PA-9.2")
async def test_a_follow_racing_a_cancellation_leaves_no_follow_of_the_cancelled_account(db, pool, posting) -> None:
    for _ in range(5):
        gone, fans = posting.author(), [posting.author() for _ in range(6)]
        await handlers.follow(db, fans[0], _id(gone))
        cancellation = Cancellation(_id(gone), datetime.now(UTC), datetime.now(UTC) + timedelta(days=184))
        racing = (_follow_unless_gone(db, fan, _id(gone)) for fan in fans[1:])
        await asyncio.wait_for(asyncio.gather(_cancel(db, cancellation), *racing), 10)
        assert await pool.fetchval("SELECT count(*) FROM follow WHERE followee_id = $1", _id(gone)) == 0
        for fan in fans:
            assert (await handlers.relationship(db, _id(fan), None)).following == 0


@pytest.mark.requirement("MB-2")
async def test_a_follow_is_announced_again_until_the_backfill_and_the_notifier_handled_it(
    db, settings, posting
) -> None:
    """A broker that loses FollowStarted in flight loses neither the backfill nor the followee's notice."""
    from content.notifications import handlers as notify
    from content.notifications.domain import Followed
    from content.timelines import handlers as timelines

    alice, bob = posting.author(), posting.author()
    assert await handlers.follow(db, bob, uuid.UUID(alice.subject))

    async def claim() -> list[tuple[uuid.UUID, uuid.UUID]]:
        async with db.transaction() as stores:
            return [
                (f.follower_id, f.followee_id) for f in await stores.social.claim_undelivered(older_than_s=0, limit=100)
            ]

    edge = (uuid.UUID(bob.subject), uuid.UUID(alice.subject))
    assert await claim() == [edge]  # nothing handled it yet: announced again
    followed = Followed(*edge, datetime.now(UTC))
    async with db.transaction() as stores:
        await timelines.backfill(stores, followed, settings=settings)
    assert await claim() == [edge]  # the notifier has not
    async with db.transaction() as stores:
        await notify.on_followed(stores, followed)
    assert await claim() == []
    await handlers.unfollow(db, bob, uuid.UUID(alice.subject))
    assert await claim() == []
