"""Deciding posts against in-memory stores: one decision per post, announced once, queued for review."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from moderation.decisions import handlers
from moderation.decisions.domain import NewPost
from moderation.engine.decide import Outcome

TRUSTED = datetime.now(UTC) - timedelta(days=30)


def new_post(text: str, **fields) -> NewPost:
    return NewPost(post_id=uuid.uuid4(), author_id=uuid.uuid4(), text=text, created_at=datetime.now(UTC), **fields)


def outcome_of(stores, post: NewPost) -> str:
    return stores.decisions._publication(post.post_id)["outcome"]


@pytest.mark.requirement("MB-6.1")
async def test_a_burst_is_decided_announced_and_routed(stores, policy, holder) -> None:
    clean = new_post("今天天气很好", registered_at=TRUSTED)
    banned = new_post("网络赌博来了", registered_at=TRUSTED)
    doubtful = new_post("内部消息称明天放假", registered_at=TRUSTED)
    await handlers.decide_posts(stores, policy, holder.folder, [clean, banned, doubtful])
    assert [outcome_of(stores, p) for p in (clean, banned, doubtful)] == [
        "approve",
        "stop_transmission",
        "hold_for_review",
    ]
    assert [row.ce_type.rsplit(".", 2)[-2] for row in stores.outbox] == ["approved", "transmission_stopped", "held"]
    assert set(stores.decisions.published_texts) == {clean.post_id}  # what later retro-scans search
    assert [i["post_id"] for i in stores.reviews.items.values()] == [doubtful.post_id]


@pytest.mark.requirement("MB-9")
async def test_a_new_account_is_held_by_the_registration_time_its_post_carries(stores, policy, holder) -> None:
    post = new_post("今天天气很好", registered_at=datetime.now(UTC) - timedelta(minutes=5))
    await handlers.decide_posts(stores, policy, holder.folder, [post])
    assert stores.decisions._publication(post.post_id)["rule"] == "standing.new_account"


@pytest.mark.requirement("MB-9")
async def test_low_credit_from_identity_holds_the_post(stores, policy, holder) -> None:
    post = new_post("今天天气很好", registered_at=TRUSTED)
    stores.authors.facts[post.author_id] = {"credit": 60}
    await handlers.decide_posts(stores, policy, holder.folder, [post])
    assert stores.decisions._publication(post.post_id)["rule"] == "standing.low_credit"


async def test_a_repeated_announcement_gets_the_first_decision_again(stores, policy, holder) -> None:
    post = new_post("今天天气很好", registered_at=TRUSTED)
    await handlers.decide_posts(stores, policy, holder.folder, [post])
    first = stores.decisions._publication(post.post_id)
    await handlers.decide_posts(stores, policy, holder.folder, [post])
    assert len(stores.decisions.rows) == 1 and len(stores.outbox) == 2  # announced again, decided once
    assert stores.decisions._publication(post.post_id)["id"] == first["id"]


async def test_a_filed_report_confirms_the_stop(stores) -> None:
    decision_id = uuid.uuid4()
    await handlers.confirm_reported(stores, decision_id)
    assert stores.decisions.reported == {decision_id}


@pytest.mark.requirement("MB-12.2")
async def test_a_posts_decisions_are_its_authors_and_staffs_page_by_page(db, stores, policy, holder) -> None:
    from kit.auth import Principal
    from kit.problems import NotFound
    from moderation.reviews import handlers as reviews

    post = new_post("内部消息称明天放假", registered_at=TRUSTED)
    await handlers.decide_posts(stores, policy, holder.folder, [post])
    (held,) = stores.reviews.items
    await reviews.review(
        db,
        holder,
        held,
        outcome=Outcome.APPROVE,
        reason="ok",
        category=None,
        legal_basis=[],
        rumour_id=None,
        role="reviewer",
        by="staff:r1",
    )
    author = Principal(str(post.author_id), {"sub": str(post.author_id)})
    first, cursor = await handlers.decisions_page(db, post.post_id, author, cursor=None, limit=1)
    second, end = await handlers.decisions_page(db, post.post_id, author, cursor=cursor, limit=1)
    assert [d["stage"] for d in (*first, *second)] == ["publication", "review"] and end is None
    staff = Principal("s1", {"sub": "s1", "kind": "staff"})
    assert len((await handlers.decisions_page(db, post.post_id, staff, cursor=None, limit=50))[0]) == 2
    with pytest.raises(NotFound):
        await handlers.decisions_page(db, post.post_id, Principal("x", {"sub": "x"}), cursor=None, limit=50)
