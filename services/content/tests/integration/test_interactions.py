"""Reposts, comments, likes and comment management on a real PostgreSQL (MB-2, MB-10.2, PA-12): chains, one
level of replies, counts of only what anyone may see, comments awaiting approval or hidden seen by their
author and the thread's managers only, closed and followers-only threads, and every refusal naming its
requirement (MB-2 blocks, PA-6.2 / PA-13.1 limits, PA-12.2 restrictions, MB-12.2 stops)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from content.interactions import handlers
from content.interactions.domain import CommentAction, CommentSettings, OwnerState, VerifiedAccount
from content.interactions.schemas import FeatureRestrictionCreate
from content.posts import handlers as posts
from content.posts.domain import StandingChanged, UnavailableForLegalReasons
from kit.auth import Principal
from kit.problems import DomainError, Forbidden, InvalidInput

STAFF = Principal("staff-1", {"sub": "staff-1", "kind": "staff", "roles": ["operator"]})


def me(principal: Principal) -> uuid.UUID:
    return uuid.UUID(principal.subject)


async def repost(db, settings, principal, post_id, text: str = "") -> uuid.UUID:
    return (await handlers.repost(db, settings, principal, post_id, text=text, idempotency_key=None)).post["id"]


async def comment(db, settings, principal, post_id, text: str = "说得好") -> uuid.UUID:
    return (await handlers.comment(db, settings, principal, post_id, text=text, idempotency_key=None)).post["id"]


async def comment_ids(db, post_id, viewer, state: OwnerState = OwnerState.SHOWN) -> list[str]:
    listed = await handlers.comments(db, post_id, viewer, state=state, cursor=None, limit=50)
    return [c.id for c in listed.items]


async def counts(db, post_id) -> tuple[int, int, int]:
    shown = await posts.read_post(db, post_id, None)
    return shown.counts.reposts, shown.counts.comments, shown.counts.likes


async def follow(db, follower: Principal, followee: Principal) -> None:
    async with db.connection() as stores:
        await stores.conn.execute(
            "INSERT INTO follow (follower_id, followee_id) VALUES ($1, $2)", me(follower), me(followee)
        )


async def block(db, blocker: Principal, blocked: Principal) -> None:
    async with db.connection() as stores:
        await stores.conn.execute(
            "INSERT INTO block (blocker_id, blocked_id) VALUES ($1, $2)", me(blocker), me(blocked)
        )


@pytest.mark.requirement("MB-2")
async def test_reposts_keep_the_chain_and_comments_one_level_of_replies(db, settings, posting) -> None:
    alice, bob, carol = posting.author(), posting.author(), posting.author()
    original = await posting.publish(alice, "原帖")
    first = await repost(db, settings, bob, original, "转发")
    await posting.approve(first)
    second = await repost(db, settings, carol, first)  # a repost of a repost: no text of its own
    await posting.approve(second)
    async with db.connection() as stores:
        row = await stores.posts.post_by_id(second)
    assert (row["kind"], row["parent_id"], row["root_id"], row["text"]) == ("repost", first, original, "")

    chain = await handlers.reposts(db, original, None, cursor=None, limit=50)
    assert [r.id for r in chain.items] == [str(second), str(first)]  # newest first, the whole chain
    assert chain.items[0].original is not None and chain.items[0].original.id == str(original)
    assert [r.id for r in (await handlers.reposts(db, first, None, cursor=None, limit=50)).items] == [str(second)]
    assert await counts(db, original) == (2, 0, 0)

    top = await comment(db, settings, bob, original, "顶")
    await posting.approve(top)
    reply = await comment(db, settings, carol, top, "回复")
    await posting.approve(reply)
    reply_to_reply = await comment(db, settings, alice, reply, "再回复")  # answers the top-level comment
    await posting.approve(reply_to_reply)
    async with db.connection() as stores:
        rows = {r: await stores.posts.post_by_id(r) for r in (reply, reply_to_reply)}
    assert (rows[reply]["parent_id"], rows[reply]["root_id"]) == (top, original)
    assert (rows[reply_to_reply]["parent_id"], rows[reply_to_reply]["root_id"]) == (top, original)
    assert await comment_ids(db, original, None) == [str(top)]
    assert await comment_ids(db, top, None) == [str(reply_to_reply), str(reply)]
    assert (await posts.read_post(db, top, None)).counts.comments == 2

    with pytest.raises(InvalidInput) as refused:
        await repost(db, settings, carol, top)
    assert refused.value.requirement == "MB-2"


@pytest.mark.requirement("MB-12.2")
async def test_a_stopped_post_refuses_comments_reposts_and_likes_with_451_and_its_lists_too(
    db, settings, posting
) -> None:
    alice, bob = posting.author(), posting.author()
    original = await posting.publish(alice, "原帖")
    shared = await repost(db, settings, bob, original)
    await posting.approve(shared)
    pending_comment = await comment(db, settings, bob, original)  # not yet published: counted nowhere
    assert await counts(db, original) == (1, 0, 0)
    assert await comment_ids(db, original, None) == []
    assert await comment_ids(db, original, bob) == [str(pending_comment)]  # its author sees it

    await posting.stop(original, "MB-12", "MB-12.2")
    for attempt in (
        repost(db, settings, bob, original),
        repost(db, settings, bob, shared),  # its original is stopped
        comment(db, settings, bob, original),
        handlers.like(db, bob, original),
        handlers.comments(db, original, None, state=OwnerState.SHOWN, cursor=None, limit=10),
        handlers.reposts(db, original, None, cursor=None, limit=10),
    ):
        with pytest.raises(UnavailableForLegalReasons) as refused:
            await attempt
        assert refused.value.requirement == "MB-12.2" and "MB-12.2" in refused.value.extensions["legal_basis"]


@pytest.mark.requirement("MB-10.2")
@pytest.mark.requirement("PA-12")
async def test_approval_hides_new_comments_from_everyone_but_their_author_and_the_managers(
    db, settings, posting
) -> None:
    owner, bob, stranger = posting.author(), posting.author(), posting.author()
    post = await posting.publish(owner, "精选评论")
    await handlers.set_post_settings(db, owner, post, CommentSettings(approval=True))
    awaiting = await comment(db, settings, bob, post)
    await posting.approve(awaiting)  # moderation published it; the owner has not approved it yet
    own = await comment(db, settings, owner, post, "作者自己的")  # the owner's own are shown at once
    await posting.approve(own)

    assert await comment_ids(db, post, None) == [str(own)]
    assert await comment_ids(db, post, stranger) == [str(own)]
    assert await comment_ids(db, post, bob) == [str(own), str(awaiting)]
    assert await comment_ids(db, post, owner, OwnerState.AWAITING) == [str(awaiting)]
    assert (await posts.read_post(db, awaiting, bob)).owner_state == "awaiting"
    assert (await posts.read_post(db, awaiting, owner)).owner_state == "awaiting"
    with pytest.raises(DomainError) as refused:
        await posts.read_post(db, awaiting, stranger)
    assert refused.value.status == 404
    assert await counts(db, post) == (0, 1, 0)
    with pytest.raises(Forbidden) as refused:
        await comment_ids(db, post, stranger, OwnerState.AWAITING)
    assert refused.value.requirement == "MB-10.2"
    with pytest.raises(Forbidden):
        await handlers.manage_comment(db, settings, stranger, post, awaiting, CommentAction.APPROVE)

    await handlers.manage_comment(db, settings, owner, post, awaiting, CommentAction.APPROVE)
    assert await comment_ids(db, post, stranger) == [str(own), str(awaiting)]
    assert await counts(db, post) == (0, 2, 0)


@pytest.mark.requirement("MB-10.2")
@pytest.mark.requirement("PA-12")
async def test_the_owner_hides_unhides_and_deletes_comments_and_each_action_is_recorded(db, settings, posting) -> None:
    owner, bob = posting.author(), posting.author()
    post = await posting.publish(owner, "原帖")
    rude = await comment(db, settings, bob, post, "难听的话")
    await posting.approve(rude)
    assert await counts(db, post) == (0, 1, 0)

    await handlers.manage_comment(db, settings, owner, post, rude, CommentAction.HIDE)
    assert await comment_ids(db, post, None) == []
    assert await counts(db, post) == (0, 0, 0)
    assert await comment_ids(db, post, bob) == [str(rude)]  # its author still sees it
    assert await comment_ids(db, post, owner, OwnerState.HIDDEN) == [str(rude)]
    await handlers.manage_comment(db, settings, owner, post, rude, CommentAction.UNHIDE)
    assert await comment_ids(db, post, None) == [str(rude)]

    with pytest.raises(DomainError) as refused:  # not under this post
        await handlers.manage_comment(db, settings, owner, uuid.uuid4(), rude, CommentAction.HIDE)
    assert refused.value.status == 404
    await handlers.manage_comment(db, settings, owner, post, rude, CommentAction.DELETE)
    assert await comment_ids(db, post, None) == [] and await comment_ids(db, post, bob) == []
    async with db.connection() as stores:
        row = await stores.posts.post_by_id(rude)
        actions = await stores.conn.fetch(
            "SELECT action, actor_id FROM comment_action WHERE comment_id = $1 ORDER BY id", rude
        )
    assert row["status"] == "deleted" and row["text"] == "难听的话"  # MB-16.2: kept as the record
    assert [(a["action"], a["actor_id"]) for a in actions] == [(a, me(owner)) for a in ("hide", "unhide", "delete")]


@pytest.mark.requirement("MB-10.2")
async def test_closed_and_followers_only_threads(db, settings, posting) -> None:
    owner, follower, stranger = posting.author(), posting.author(), posting.author()
    post = await posting.publish(owner, "原帖")
    await follow(db, follower, owner)

    await handlers.set_post_settings(db, owner, post, CommentSettings(followers_only=True))
    with pytest.raises(Forbidden) as refused:
        await comment(db, settings, stranger, post)
    assert (refused.value.type, refused.value.requirement) == ("comments-followers-only", "MB-10.2")
    await comment(db, settings, follower, post)

    await handlers.set_account_settings(db, owner, CommentSettings(closed=True))  # the whole account
    other = await posting.publish(owner, "另一帖")
    with pytest.raises(Forbidden) as refused:
        await comment(db, settings, follower, other)
    assert refused.value.type == "comments-closed"
    await comment(db, settings, owner, other)  # the owner may
    read = await handlers.post_settings(db, owner, other)
    assert read.closed is None and read.in_force.closed is True
    with pytest.raises(Forbidden) as refused:
        await handlers.set_post_settings(db, stranger, post, CommentSettings(closed=True))
    assert refused.value.requirement == "MB-10.2"


@pytest.mark.requirement("MB-10.2")
async def test_an_organisation_holds_comments_by_default_and_its_delegate_manages_them(db, settings, posting) -> None:
    media, operator, reader, person = posting.author(), posting.author(), posting.author(), posting.author()
    with pytest.raises(Forbidden) as refused:
        await handlers.name_delegate(db, person, me(operator))
    assert refused.value.requirement == "MB-10.2"
    async with db.transaction() as stores:
        await handlers.note_verified_account(stores, VerifiedAccount(me(media), "media", datetime.now(UTC)))
    assert (await handlers.account_settings(db, media)).in_force.approval is True
    assert await handlers.name_delegate(db, media, me(operator)) is True
    assert await handlers.name_delegate(db, media, me(operator)) is False

    post = await posting.publish(media, "新闻")
    waiting = await comment(db, settings, reader, post)
    await posting.approve(waiting)
    assert await comment_ids(db, post, None) == []
    assert await comment_ids(db, post, operator, OwnerState.AWAITING) == [str(waiting)]
    await handlers.manage_comment(db, settings, operator, post, waiting, CommentAction.APPROVE)
    assert await comment_ids(db, post, None) == [str(waiting)]

    await handlers.remove_delegate(db, media, me(operator))
    with pytest.raises(Forbidden):
        await handlers.manage_comment(db, settings, operator, post, waiting, CommentAction.HIDE)


@pytest.mark.requirement("MB-2")
async def test_a_blocked_account_may_not_comment_repost_or_like(db, settings, posting) -> None:
    alice, bob = posting.author(), posting.author()
    post = await posting.publish(alice, "原帖")
    await block(db, alice, bob)
    for attempt in (comment(db, settings, bob, post), repost(db, settings, bob, post), handlers.like(db, bob, post)):
        with pytest.raises(Forbidden) as refused:
            await attempt
        assert (refused.value.type, refused.value.requirement) == ("blocked", "MB-2")


@pytest.mark.requirement("PA-6.2")
@pytest.mark.requirement("PA-13.1")
async def test_credit_levels_and_sanctions_limit_reposts_and_comments(db, settings, posting) -> None:
    alice, bob = posting.author(), posting.author()
    post = await posting.publish(alice, "原帖")

    async def standing(version: int, limits: tuple[str, ...], sanctions: tuple[str, ...]) -> None:
        async with db.transaction() as stores:
            await posts.note_standing(
                stores.posts, StandingChanged(me(bob), version, "D", limits=limits, sanction_limits=sanctions)
            )

    await standing(1, ("no_reposts",), ())  # a credit level without reposts
    with pytest.raises(Forbidden) as refused:
        await repost(db, settings, bob, post)
    assert (refused.value.type, refused.value.requirement) == ("feature-limited", "PA-6.2")
    await comment(db, settings, bob, post)

    await standing(2, ("no_comments", "no_reposts"), ("no_comments",))  # a sanction: no comments for 7 days
    with pytest.raises(Forbidden) as refused:
        await comment(db, settings, bob, post)
    assert refused.value.requirement == "PA-13.1"
    shown = await handlers.my_restrictions(db, bob)
    assert {(lim.limit, lim.requirement) for lim in shown.limits} == {
        ("no_reposts", "PA-6.2"),
        ("no_comments", "PA-13.1"),
    }
    await handlers.like(db, bob, post)  # likes are not limited by these
    await handlers.like(db, bob, post)
    assert await counts(db, post) == (0, 0, 1)
    await handlers.unlike(db, bob, post)
    await handlers.unlike(db, bob, post)
    assert await counts(db, post) == (0, 0, 0)


@pytest.mark.requirement("PA-13.1")
async def test_a_suspended_account_may_not_like(db, settings, posting) -> None:
    alice, bob = posting.author(), posting.author()
    post = await posting.publish(alice, "原帖")
    async with db.transaction() as stores:
        await posts.note_standing(
            stores.posts,
            StandingChanged(me(bob), 1, "B", suspended_until=datetime.now(UTC) + timedelta(days=30)),
        )
    with pytest.raises(Forbidden) as refused:
        await handlers.like(db, bob, post)
    assert (refused.value.type, refused.value.requirement) == ("updates-suspended", "PA-13.1")


@pytest.mark.requirement("PA-12.2")
async def test_a_staff_restriction_bites_until_lifted_and_is_shown_to_the_account(db, settings, posting) -> None:
    alice, bob, carol = posting.author(), posting.author(), posting.author()
    post = await posting.publish(alice, "原帖")
    restricted = await handlers.restrict(
        db,
        STAFF,
        FeatureRestrictionCreate(
            account_id=me(bob), features=["comments", "likes"], reason="评论区管理不力", legal_basis=["PA-12.2"]
        ),
    )
    bobs_post = await posting.publish(bob, "鲍勃的帖子")
    for attempt in (
        comment(db, settings, bob, post),
        handlers.like(db, bob, post),
        comment(db, settings, carol, bobs_post),  # the restricted account's content takes no comments
    ):
        with pytest.raises(Forbidden) as refused:
            await attempt
        assert (refused.value.type, refused.value.requirement) == ("feature-restricted", "PA-12.2")
    await repost(db, settings, bob, post)  # reposts were not restricted
    shown = await handlers.my_restrictions(db, bob)
    assert [r.id for r in shown.feature_restrictions] == [restricted.id]
    assert shown.feature_restrictions[0].reason == "评论区管理不力"

    lifted = await handlers.lift(db, STAFF, uuid.UUID(restricted.id), "已整改")
    assert lifted.lifted_by == "staff:staff-1" and lifted.lift_reason == "已整改"
    await comment(db, settings, bob, post)
    assert (await handlers.my_restrictions(db, bob)).feature_restrictions == []
    record = await handlers.restrictions(db, me(bob), in_force=False, cursor=None, limit=10)
    assert [r.id for r in record.items] == [restricted.id]  # the record stays
    assert (await handlers.restrictions(db, me(bob), in_force=True, cursor=None, limit=10)).items == []


async def test_comment_pages_follow_the_cursor_without_gaps_or_repeats(db, settings, posting) -> None:
    alice = posting.author()
    post = await posting.publish(alice, "原帖")
    written = []
    for i in range(5):
        c = await comment(db, settings, posting.author(), post, f"评论{i}")
        await posting.approve(c)
        written.append(str(c))
    seen, cursor = [], None
    while True:
        listed = await handlers.comments(db, post, None, state=OwnerState.SHOWN, cursor=cursor, limit=2)
        seen += [c.id for c in listed.items]
        cursor = listed.next_cursor
        if cursor is None:
            break
    assert seen == list(reversed(written))
