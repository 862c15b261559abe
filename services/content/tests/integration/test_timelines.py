"""Home and account timelines on a real PostgreSQL (MB-2): fan-out on write is idempotent under
redelivery, a large account is merged at read time, an unfollow acts at once, nothing is shown twice, and
every read obeys moderation (MB-12.2, PA-13.1, MB-16.2): a stopped, held or deleted post and a suspended
author's posts leave every home timeline without touching its rows. Follows are inserted directly (the
social feature owns the follow API); events are applied by calling their handlers, as the broker would."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from content.notifications.domain import Followed
from content.posts import handlers as posts
from content.posts.domain import Decision, PostKind, Published, StandingChanged
from content.posts.handlers import Draft
from content.timelines import handlers
from kit.auth import Principal
from kit.pagination import InvalidCursor


def uid(principal: Principal) -> uuid.UUID:
    return uuid.UUID(principal.subject)


async def follow(db, follower: Principal | uuid.UUID, *followees: Principal, followers: int | None = None) -> None:
    """Follow rows as the social feature writes them; ``followers`` sets the followees' counts."""
    who = follower if isinstance(follower, uuid.UUID) else uid(follower)
    async with db.transaction() as stores:
        for followee in followees:
            await stores.conn.execute(
                "INSERT INTO follow (follower_id, followee_id) VALUES ($1, $2)", who, uid(followee)
            )
            if followers is not None:
                await stores.conn.execute(
                    """INSERT INTO follow_count (account_id, followers) VALUES ($1, $2)
                       ON CONFLICT (account_id) DO UPDATE SET followers = EXCLUDED.followers""",
                    uid(followee),
                    followers,
                )


async def unfollow(db, follower: Principal, followee: Principal) -> None:
    async with db.transaction() as stores:
        await stores.conn.execute(
            "DELETE FROM follow WHERE follower_id = $1 AND followee_id = $2", uid(follower), uid(followee)
        )


class Fanout:
    """The consumer's side: what was published is fanned out (the POST_PUBLISHED handler), each event
    as many times as asked (a redelivery)."""

    def __init__(self, db, settings) -> None:
        self.db = db
        self.settings = settings

    async def published(self, post_id: uuid.UUID, times: int = 1) -> None:
        async with self.db.connection() as stores:
            row = await stores.posts.post_by_id(post_id)
        event = Published(
            post_id=row["id"],
            author_id=row["author_id"],
            kind=PostKind(row["kind"]),
            parent_id=row["parent_id"],
            root_id=row["root_id"],
            parent_author_id=None,
            created_at=row["created_at"],
            published_at=row["decided_at"],
        )
        for _ in range(times):
            async with self.db.transaction() as stores:
                await handlers.fan_out(stores, [event], settings=self.settings)

    async def publish(self, posting, principal: Principal, text: str = "今天天气很好", **draft: object) -> uuid.UUID:
        post_id = await posting.publish(principal, text, **draft)
        await self.published(post_id)
        return post_id

    async def followed(self, follower: Principal, followee: Principal) -> None:
        async with self.db.transaction() as stores:
            await handlers.backfill(
                stores, Followed(uid(follower), uid(followee), datetime.now(UTC)), settings=self.settings
            )


@pytest.fixture
def fanout(db, settings) -> Fanout:
    return Fanout(db, settings)


async def home(db, settings, reader: Principal, limit: int = 50) -> list[str]:
    """Every page of the reader's home timeline."""
    ids: list[str] = []
    cursor = None
    while True:
        items, cursor = await handlers.home(db, settings, uid(reader), cursor=cursor, limit=limit)
        ids += [i["id"] for i in items]
        if cursor is None:
            return ids


async def entries(db, post_id: uuid.UUID) -> int:
    async with db.connection() as stores:
        return await stores.conn.fetchval("SELECT count(*) FROM timeline_entry WHERE post_id = $1", post_id)


@pytest.mark.requirement("MB-2")
async def test_a_post_fans_out_once_to_each_follower_however_often_it_is_delivered(
    db, settings, posting, fanout
) -> None:
    author = posting.author()
    readers = [posting.author() for _ in range(3)]
    for reader in readers:
        await follow(db, reader, author)
    post = await posting.publish(author, "大家好")
    await fanout.published(post, times=3)  # delivered three times: at least once, effects exactly once
    assert await entries(db, post) == 3
    for reader in readers:
        assert await home(db, settings, reader) == [str(post)]
    # The author's own post is in their own home timeline without an entry of their own.
    assert await home(db, settings, author) == [str(post)]


@pytest.mark.requirement("MB-2")
async def test_reposts_fan_out_comments_never(db, settings, posting, fanout) -> None:
    alice, bob, reader = posting.author(), posting.author(), posting.author()
    await follow(db, reader, bob)
    original = await fanout.publish(posting, alice, "原帖")
    repost = await fanout.publish(posting, bob, "转发", kind=PostKind.REPOST, parent_id=original, root_id=original)
    comment = await fanout.publish(posting, bob, "评论", kind=PostKind.COMMENT, parent_id=original, root_id=original)
    assert await entries(db, comment) == 0
    items, _ = await handlers.home(db, settings, uid(reader), cursor=None, limit=50)
    assert [i["id"] for i in items] == [str(repost)]
    assert items[0]["original"] is not None and items[0]["original"]["id"] == str(original)


@pytest.mark.requirement("MB-2")
async def test_a_large_accounts_posts_are_merged_at_read_time_in_order_without_duplicates(
    db, settings, posting, fanout
) -> None:
    celebrity, friend, reader = posting.author(), posting.author(), posting.author()
    await follow(db, reader, friend)
    await follow(db, reader, celebrity, followers=settings.fanout_max_followers - 1)
    before = await fanout.publish(posting, celebrity, "还是普通账号时")  # fanned out: an entry
    assert await entries(db, before) == 1
    await follow(db, posting.author(), celebrity, followers=settings.fanout_max_followers)  # crosses the threshold
    after = await fanout.publish(posting, celebrity, "成了大号")  # one write: no entry at all
    assert await entries(db, after) == 0
    mine = await fanout.publish(posting, reader, "我自己的")
    theirs = await fanout.publish(posting, friend, "朋友的")
    # Newest first, each once: the post from before the threshold is in both streams.
    assert await home(db, settings, reader, limit=2) == [str(theirs), str(mine), str(after), str(before)]


@pytest.mark.requirement("MB-2")
async def test_an_unfollow_takes_effect_at_once_and_a_follow_backfills(db, settings, posting, fanout) -> None:
    author, reader = posting.author(), posting.author()
    older = [await fanout.publish(posting, author, f"第{i}条") for i in range(3)]
    comment = await posting.publish(author, "评论", kind=PostKind.COMMENT, parent_id=older[0], root_id=older[0])
    assert await home(db, settings, reader) == []
    await follow(db, reader, author)
    await fanout.followed(reader, author)
    await fanout.followed(reader, author)  # redelivered
    assert await home(db, settings, reader) == [str(p) for p in reversed(older)]
    assert str(comment) not in await home(db, settings, reader)
    await unfollow(db, reader, author)
    assert await home(db, settings, reader) == []
    await fanout.followed(reader, author)  # a late delivery after the unfollow adds nothing
    async with db.connection() as stores:
        assert await stores.conn.fetchval("SELECT count(*) FROM timeline_entry WHERE owner_id = $1", uid(reader)) == 3


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("PA-13.1")
@pytest.mark.requirement("MB-16.2")
async def test_a_stopped_held_or_deleted_post_and_a_suspended_author_leave_every_home_timeline(
    db, settings, posting, fanout
) -> None:
    stopped_author, suspended, reader = posting.author(), posting.author(), posting.author()
    await follow(db, reader, stopped_author, suspended)
    stopped = await fanout.publish(posting, stopped_author, "将被停止")
    deleted = await fanout.publish(posting, stopped_author, "将被删除")
    kept = await fanout.publish(posting, stopped_author, "留下")
    hidden = await fanout.publish(posting, suspended, "作者将被停用")
    held = await posts.accept(db, stopped_author, Draft("待人工审核"), idempotency_key=None)
    async with db.transaction() as stores:
        await posts.hold(stores.posts, Decision(decision_id=uuid.uuid4(), post_id=held.post["id"]))
    assert await home(db, settings, reader) == [str(hidden), str(kept), str(deleted), str(stopped)]

    await posting.stop(stopped)
    await posts.delete_post(db, settings, stopped_author, deleted)
    async with db.transaction() as stores:
        await posts.note_standing(
            stores.posts,
            StandingChanged(
                account_id=uid(suspended),
                version=1,
                credit_level="low",
                suspended_until=datetime.now(UTC) + timedelta(days=7),
            ),
        )
    assert await home(db, settings, reader) == [str(kept)]  # at once, the entries untouched
    assert await entries(db, stopped) == 1 and await entries(db, hidden) == 1
    # The author sees their own held post on their home and account timelines; nobody else does.
    assert str(held.post["id"]) in await home(db, settings, stopped_author)
    mine, _ = await handlers.account(db, uid(stopped_author), uid(stopped_author), cursor=None, limit=50)
    assert [i["id"] for i in mine] == [str(held.post["id"]), str(kept)]
    theirs, _ = await handlers.account(db, uid(stopped_author), None, cursor=None, limit=50)
    assert [i["id"] for i in theirs] == [str(kept)]
    assert (await handlers.account(db, uid(suspended), uid(reader), cursor=None, limit=50))[0] == []


@pytest.mark.requirement("MB-2")
async def test_pages_are_full_and_follow_one_another_without_gaps_or_repeats(db, settings, posting, fanout) -> None:
    author, reader = posting.author(), posting.author()
    await follow(db, reader, author)
    published = [await fanout.publish(posting, author, f"第{i}条") for i in range(7)]
    await posting.stop(published[5])  # filtered before the limit: the pages stay full
    expected = [str(p) for p in reversed(published) if p != published[5]]
    first, cursor = await handlers.home(db, settings, uid(reader), cursor=None, limit=3)
    assert [i["id"] for i in first] == expected[:3] and cursor is not None
    assert await home(db, settings, reader, limit=3) == expected
    shown: list[str] = []
    cursor = None
    while True:
        items, cursor = await handlers.account(db, uid(author), None, cursor=cursor, limit=2)
        shown += [i["id"] for i in items]
        if cursor is None:
            break
    assert shown == expected
    with pytest.raises(InvalidCursor):
        await handlers.home(db, settings, uid(reader), cursor="bm90IG91cnM", limit=3)


@pytest.mark.requirement("MB-2")
async def test_the_trim_keeps_the_newest_entries_of_accounts_still_followed(db, settings, posting, fanout) -> None:
    author, other, reader, second = posting.author(), posting.author(), posting.author(), posting.author()
    await follow(db, reader, author, other)
    await follow(db, second, author)
    published = [await fanout.publish(posting, author, f"第{i}条") for i in range(5)]
    gone = await fanout.publish(posting, other, "取消关注的")
    await unfollow(db, reader, other)
    removed = await handlers.trim_once(db, keep=3, batch=1)  # one owner per transaction: the pass walks on
    assert removed == 1 + 2 + 2  # the unfollowed account's entry, and two past the cut for each reader
    assert await entries(db, gone) == 0
    newest = [str(p) for p in reversed(published)][:3]
    assert await home(db, settings, reader) == newest
    assert await home(db, settings, second) == newest
    assert await handlers.trim_once(db, keep=3, batch=1) == 0


@pytest.mark.requirement("MB-2")
async def test_a_published_post_is_announced_again_until_it_was_fanned_out_and_told(
    db, settings, posting, fanout
) -> None:
    """A broker that loses PostPublished in flight loses no timeline entry and no notice: the reconciler
    claims what the delivery (fan-out and notifier, one transaction) has not noted, and stops once it has."""
    from content.main import deliver_published

    author, reader = posting.author(), posting.author()
    await follow(db, reader, author)
    post = await posting.publish(author, "断线重连")

    async def claim() -> list[uuid.UUID]:
        async with db.transaction() as stores:
            return [p.post_id for p in await stores.posts.claim_undelivered(older_than_s=0, limit=100)]

    assert await entries(db, post) == 0  # the announcement was lost
    assert await claim() == [post]
    async with db.transaction() as stores:  # claimed again only after the grace period
        assert await stores.posts.claim_undelivered(older_than_s=3600, limit=100) == []
    async with db.connection() as stores:
        row = await stores.posts.post_by_id(post)
    again = Published(
        row["id"], row["author_id"], PostKind.POST, None, None, None, row["created_at"], row["decided_at"]
    )
    for _ in range(2):  # the re-announcement, and a late duplicate of the first: effects once
        async with db.transaction() as stores:
            await deliver_published(stores, [again], settings)
    assert await entries(db, post) == 1 and await claim() == []
