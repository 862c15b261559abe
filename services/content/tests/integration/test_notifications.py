"""Notifications on a real PostgreSQL: each event notifies once per recipient however often it comes, and
the inbox obeys moderation (MB-12.2): a notice about someone else's item shows, and counts, only while
the recipient may see that item. Events are applied by calling the notifier's handlers, as the broker
would."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from content.notifications import handlers as notify
from content.notifications.domain import Followed, NoSuchNotification, NotificationKind, RealNameExpired
from content.posts import handlers
from content.posts.domain import Decision, PostKind, Published, Refutation, StandingChanged


def uid(principal) -> uuid.UUID:
    return uuid.UUID(principal.subject)


async def published(db, post_id: uuid.UUID) -> Published:
    """The PostPublished fact content announced for a post (its parent's author included)."""
    async with db.connection() as stores:
        row = await stores.posts.post_by_id(post_id)
        parent = await stores.posts.post_by_id(row["parent_id"]) if row["parent_id"] else None
    return Published(
        post_id=row["id"],
        author_id=row["author_id"],
        kind=PostKind(row["kind"]),
        parent_id=row["parent_id"],
        root_id=row["root_id"],
        parent_author_id=parent["author_id"] if parent else None,
        created_at=row["created_at"],
        published_at=row["decided_at"],
    )


async def deliver(db, handler, fact, times: int = 1) -> None:
    """The event ``times`` times, each in its own transaction (a redelivery, a re-announcement)."""
    for _ in range(times):
        async with db.transaction() as stores:
            await handler(stores, fact)


async def inbox(db, principal, **options) -> list:
    options = {"cursor": None, "limit": 50, "unread_only": False, **options}
    return (await notify.list_notifications(db, uid(principal), **options)).items


def decision(post_id: uuid.UUID, **fields) -> Decision:
    fields = {
        "category": "bj10.rumour_disturbing_order",
        "legal_basis": ("MB-11", "MB-12.2"),
        "reason": "matches a refuted rumour",
        **fields,
    }
    return Decision(decision_id=uuid.uuid4(), post_id=post_id, decided_at=datetime.now(UTC), **fields)


@pytest.mark.requirement("MB-2")
async def test_an_event_delivered_again_notifies_once(db, posting) -> None:
    alice, bob = posting.author(), posting.author()
    post = await posting.publish(alice, "原帖")
    comment = await posting.publish(bob, "评论", kind=PostKind.COMMENT, parent_id=post, root_id=post)
    await deliver(db, notify.on_published, [await published(db, comment)], times=3)
    await deliver(db, notify.on_followed, Followed(uid(bob), uid(alice), datetime.now(UTC)), times=2)

    items = await inbox(db, alice)
    assert sorted(i.kind for i in items) == [NotificationKind.COMMENTED, NotificationKind.FOLLOWED]
    commented = next(i for i in items if i.kind is NotificationKind.COMMENTED)
    assert commented.actor_id == bob.subject and commented.post is not None and commented.post.text == "评论"
    assert await notify.unread_count(db, uid(alice)) == 2
    assert await inbox(db, bob) == []  # nobody is told of their own comment


@pytest.mark.requirement("MB-12.2")
async def test_a_stopped_comments_notification_leaves_the_list_and_the_count(db, posting) -> None:
    alice, bob, carol = posting.author(), posting.author(), posting.author()
    post = await posting.publish(alice, "原帖")
    comment = await posting.publish(bob, "评论", kind=PostKind.COMMENT, parent_id=post, root_id=post)
    reply = await posting.publish(carol, "回复", kind=PostKind.COMMENT, parent_id=comment, root_id=post)
    repost = await posting.publish(carol, "转发", kind=PostKind.REPOST, parent_id=post, root_id=post)
    for item in (comment, reply, repost):
        await deliver(db, notify.on_published, [await published(db, item)])
    assert [i.kind for i in await inbox(db, bob)] == [NotificationKind.REPLIED]
    assert {i.kind for i in await inbox(db, alice)} == {NotificationKind.COMMENTED, NotificationKind.REPOSTED}

    await posting.stop(comment)
    await posting.stop(repost)
    assert await inbox(db, alice) == [] and await inbox(db, alice, unread_only=True) == []
    assert await notify.unread_count(db, uid(alice)) == 0


@pytest.mark.requirement("MB-12.2")
async def test_the_author_of_a_stopped_post_reads_the_statement_of_reasons_not_the_post(db, posting) -> None:
    alice = posting.author()
    post = await posting.publish(alice, "违规内容")
    stop = decision(post, legal_basis=("MB-12", "MB-12.2", "BJ-10"))
    async with db.transaction() as stores:
        await handlers.stop_transmission(stores.posts, stop)
    await deliver(db, notify.on_stopped, stop, times=2)

    (item,) = await inbox(db, alice)
    assert (item.kind, item.post_id, item.post) == (NotificationKind.STOPPED, str(post), None)
    assert item.reasons.legal_basis == ["MB-12", "MB-12.2", "BJ-10"]
    assert (item.reasons.category, item.reasons.reason) == (stop.category, stop.reason)


@pytest.mark.requirement("MB-6.1")
async def test_the_author_of_a_held_comment_sees_it_and_why(db, posting) -> None:
    alice, bob = posting.author(), posting.author()
    post = await posting.publish(alice, "原帖")
    held = await handlers.accept(db, bob, handlers.Draft("待审", PostKind.COMMENT, post, post), idempotency_key=None)
    hold = decision(held.post["id"], legal_basis=("MB-6.1",), reason="held for review")
    async with db.transaction() as stores:
        await handlers.hold(stores.posts, hold)
    await deliver(db, notify.on_held, hold)
    (item,) = await inbox(db, bob)
    assert item.kind is NotificationKind.HELD and item.reasons.reason == "held for review"
    assert item.post is not None and item.post.status == "held"  # their own, under review
    assert await inbox(db, alice) == []


@pytest.mark.requirement("MB-11")
async def test_a_refutation_tells_the_author_and_those_who_reposted_or_commented_once(db, posting) -> None:
    alice, bob, carol, dave = (posting.author() for _ in range(4))
    post = await posting.publish(alice, "谣言")
    repost = await posting.publish(bob, "转", kind=PostKind.REPOST, parent_id=post, root_id=post)
    await posting.publish(carol, "评", kind=PostKind.COMMENT, parent_id=post, root_id=post)
    await posting.publish(carol, "再转", kind=PostKind.REPOST, parent_id=repost, root_id=post)
    await posting.publish(alice, "自评", kind=PostKind.COMMENT, parent_id=post, root_id=post)
    await posting.publish(dave, "别的", kind=PostKind.POST)
    label = decision(
        post, refutation=Refutation(uuid.uuid4(), "经核实，此消息不实", "https://example.gov.cn/piyao/1", "网信办")
    )
    async with db.transaction() as stores:
        await handlers.publish_labelled(stores.posts, label)
    await deliver(db, notify.on_labelled, label, times=2)

    (own,) = await inbox(db, alice)
    assert own.kind is NotificationKind.LABELLED and own.refutation.text == "经核实，此消息不实"
    assert own.post is not None and own.post.label is not None
    for reader in (bob, carol):
        (told,) = await inbox(db, reader)
        assert (told.kind, told.post_id, told.refutation.authority) == (NotificationKind.REFUTED, str(post), "网信办")
        assert told.reasons.legal_basis == ["MB-11", "MB-12.2"]
    assert await inbox(db, dave) == []


async def test_pages_newest_first_and_marking_read(db, posting) -> None:
    alice = posting.author()
    post = await posting.publish(alice, "原帖")
    followers = [posting.author() for _ in range(5)]
    for follower in followers:
        await deliver(db, notify.on_followed, Followed(uid(follower), uid(alice)))
    comment = await posting.publish(followers[0], "评论", kind=PostKind.COMMENT, parent_id=post, root_id=post)
    await deliver(db, notify.on_published, [await published(db, comment)])

    first = await notify.list_notifications(db, uid(alice), cursor=None, limit=4, unread_only=False)
    rest = await notify.list_notifications(db, uid(alice), cursor=first.next_cursor, limit=4, unread_only=False)
    assert len(first.items) == 4 and len(rest.items) == 2 and rest.next_cursor is None
    everything = first.items + rest.items
    assert everything[0].kind is NotificationKind.COMMENTED  # the newest
    assert [(i.created_at, i.id) for i in everything] == sorted(
        ((i.created_at, i.id) for i in everything), key=lambda k: (k[0], uuid.UUID(k[1])), reverse=True
    )

    marked, unread = await notify.mark_read(db, uid(alice), ids=[uuid.UUID(everything[0].id)], up_to=None)
    assert (marked, unread) == (1, 5)
    assert await notify.mark_read(db, uid(alice), ids=[uuid.UUID(everything[0].id)], up_to=None) == (0, 5)
    assert len(await inbox(db, alice, unread_only=True)) == 5
    marked, unread = await notify.mark_read(db, uid(alice), ids=None, up_to=uuid.UUID(everything[3].id))
    assert (marked, unread) == (3, 2)  # the fourth and every older one
    left = await inbox(db, alice, unread_only=True)
    assert [i.id for i in left] == [i.id for i in everything[1:3]]  # newer than up_to, not marked
    # Someone else's notification is not theirs to mark.
    assert await notify.mark_read(db, uid(followers[1]), ids=[uuid.UUID(everything[1].id)], up_to=None) == (0, 0)
    with pytest.raises(NoSuchNotification):
        await notify.mark_read(db, uid(followers[1]), ids=None, up_to=uuid.UUID(everything[1].id))


@pytest.mark.requirement("PA-13.1")
async def test_a_follow_from_a_suspended_account_is_not_shown(db, posting) -> None:
    alice, bob = posting.author(), posting.author()
    await deliver(db, notify.on_followed, Followed(uid(bob), uid(alice)))
    assert await notify.unread_count(db, uid(alice)) == 1
    async with db.transaction() as stores:
        await handlers.note_standing(
            stores.posts,
            StandingChanged(
                uid(bob), version=1, credit_level="D", suspended_until=datetime.now(UTC) + timedelta(days=7)
            ),
        )
    assert await inbox(db, alice) == [] and await notify.unread_count(db, uid(alice)) == 0


@pytest.mark.requirement("PA-13.1")
@pytest.mark.requirement("PA-6.2")
async def test_a_sanction_is_told_once_and_an_older_standing_changes_nothing(db, posting) -> None:
    alice = posting.author()
    account = uid(alice)
    base = StandingChanged(account, version=1, credit_level="A", credit_score=120, cause="verified")
    suspended = StandingChanged(
        account,
        version=2,
        credit_level="A",
        credit_score=110,
        limits=("no_comments", "no_reposts"),
        suspended_until=datetime.now(UTC) + timedelta(days=7),
        cause="stop_transmission",
        legal_basis=("MB-12.2", "PA-13.1"),
    )
    await deliver(db, notify.on_standing, base)
    await deliver(db, notify.on_standing, suspended, times=2)
    await deliver(db, notify.on_standing, base)  # late and older: nothing
    (item,) = await inbox(db, alice)
    assert item.kind is NotificationKind.SANCTIONED and item.reasons.legal_basis == ["MB-12.2", "PA-13.1"]
    assert item.standing.limits == ["no_comments", "no_reposts"] and item.standing.credit_score == 110


@pytest.mark.requirement("MB-7.2")
async def test_an_expired_verification_is_told_once(db, posting) -> None:
    alice = posting.author()
    expired = RealNameExpired(uid(alice), datetime.now(UTC), ("MB-7.2",))
    await deliver(db, notify.on_real_name_expired, expired, times=2)
    (item,) = await inbox(db, alice)
    assert item.kind is NotificationKind.REAL_NAME_EXPIRED and item.reasons.legal_basis == ["MB-7.2"]
    assert item.expired_at == expired.expired_at
