"""The read model on a real PostgreSQL: every view of posts (content.posts.store._VIEWS) obeys moderation
(MB-12.2): a stopped original shows as a 451 placeholder in its reposts, counts count only what anyone
may see, a hidden author's content is served to nobody but the author (PA-13.1), a deleted post leaves
at once (MB-16.2)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from content.posts import handlers
from content.posts.domain import PostKind, StandingChanged
from content.posts.handlers import Draft
from kit.problems import NotFound


@pytest.mark.requirement("MB-12.2")
async def test_a_repost_of_a_stopped_post_shows_a_451_placeholder_and_counts_leave(db, posting) -> None:
    alice, bob, carol = posting.author(), posting.author(), posting.author()
    original = await posting.publish(alice, "原帖")
    repost = await posting.publish(bob, "转发", kind=PostKind.REPOST, parent_id=original, root_id=original)
    await posting.publish(carol, "评论", kind=PostKind.COMMENT, parent_id=original, root_id=original)
    pending = await handlers.accept(
        db, carol, Draft("待审评论", PostKind.COMMENT, original, original), idempotency_key=None
    )

    seen = await handlers.read_post(db, original, None)
    assert (seen.counts.reposts, seen.counts.comments) == (1, 1)  # the pending comment is not counted
    shown = await handlers.read_post(db, repost, None)
    assert shown.original is not None and shown.original.id == str(original) and shown.original.text == "原帖"

    await posting.stop(original, "MB-12", "MB-12.2")
    shown = await handlers.read_post(db, repost, None)
    assert shown.original.status == 451 and shown.original.legal_basis == ["MB-12", "MB-12.2"]
    assert not hasattr(shown.original, "text")
    await posting.approve(pending.post["id"])
    async with db.connection() as stores:  # a stop does not hide the reactions' own rows from their authors
        assert [v.id for v in await handlers.views(stores, [pending.post["id"]], uuid.UUID(carol.subject))]


@pytest.mark.requirement("PA-13.1")
async def test_a_suspended_authors_content_is_served_to_nobody_but_the_author(db, posting) -> None:
    alice, bob = posting.author(), posting.author()
    original = await posting.publish(alice, "原帖")
    comment = await posting.publish(bob, "评论", kind=PostKind.COMMENT, parent_id=original, root_id=original)
    assert (await handlers.read_post(db, original, None)).counts.comments == 1
    async with db.transaction() as stores:
        await handlers.note_standing(
            stores.posts,
            StandingChanged(
                account_id=uuid.UUID(bob.subject),
                version=1,
                credit_level="low",
                suspended_until=datetime.now(UTC) + timedelta(days=7),
            ),
        )
    assert (await handlers.read_post(db, original, None)).counts.comments == 0
    with pytest.raises(NotFound):
        await handlers.read_post(db, comment, alice)
    assert (await handlers.read_post(db, comment, bob)).id == str(comment)


@pytest.mark.requirement("MB-16.2")
async def test_a_deleted_post_leaves_every_view_and_stays_as_the_record(db, settings, posting) -> None:
    alice = posting.author()
    post = await posting.publish(alice, "要删除的")
    await handlers.delete_post(db, settings, alice, post)
    async with db.connection() as stores:
        assert await handlers.views(stores, [post], uuid.UUID(alice.subject)) == []
        row = await stores.posts.post_by_id(post)
    assert row["status"] == "deleted" and row["text"] == "要删除的" and row["purge_after"] > datetime.now(UTC)
    with pytest.raises(NotFound):
        await handlers.delete_post(db, settings, posting.author(), post)  # not theirs
