"""A reviewer's decision on a held post, against in-memory stores (MB-6.1)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from contracts.categories import Bj10Category
from kit.problems import Conflict, InvalidInput, NotFound
from moderation.decisions import handlers as decisions
from moderation.decisions.domain import NewPost
from moderation.engine.decide import Outcome
from moderation.reviews import handlers


async def held_post(stores, policy, holder) -> uuid.UUID:
    post = NewPost(
        uuid.uuid4(),
        uuid.uuid4(),
        "内部消息称明天放假",
        datetime.now(UTC),
        registered_at=datetime(2020, 1, 1, tzinfo=UTC),
    )
    await decisions.decide_posts(stores, policy, holder.folder, [post])
    (decision_id,) = stores.reviews.items
    return decision_id


async def review(db, holder, decision_id, outcome: Outcome, **fields):
    defaults = {"reason": "checked", "category": None, "legal_basis": [], "rumour_id": None}
    return await handlers.review(
        db, holder, decision_id, outcome=outcome, role="reviewer", by="staff:r1", **(defaults | fields)
    )


@pytest.mark.requirement("MB-6.1")
async def test_an_approval_supersedes_the_held_decision_and_publishes(db, stores, policy, holder) -> None:
    held = await held_post(stores, policy, holder)
    decision = await review(db, holder, held, Outcome.APPROVE)
    assert (decision["outcome"], decision["stage"], decision["supersedes"]) == ("approve", "review", held)
    assert decision["rule"] == "review.reviewer" and "MB-6.1" in decision["legal_basis"]
    assert decision["content_sha256"] == stores.decisions.rows[held]["content_sha256"]
    assert stores.reviews.items[held]["resolved_by"] == "staff:r1"
    assert decision["post_id"] in stores.decisions.published_texts
    assert stores.outbox[-1].ce_type.endswith(".approved.v1")


@pytest.mark.requirement("MB-12.2")
async def test_a_stop_carries_the_stop_basis(db, stores, policy, holder) -> None:
    held = await held_post(stores, policy, holder)
    decision = await review(
        db,
        holder,
        held,
        Outcome.STOP_TRANSMISSION,
        category=Bj10Category.RUMOUR_DISTURBING_ORDER,
        legal_basis=["BJ-7(5)"],
    )
    assert decision["legal_basis"] == ["BJ-7(5)", "MB-12", "BJ-10", "MB-12.2"]
    assert decision["post_id"] not in stores.decisions.published_texts
    assert stores.outbox[-1].ce_type.endswith(".transmission_stopped.v1")


async def test_a_second_review_is_a_conflict_and_an_unknown_one_not_found(db, stores, policy, holder) -> None:
    held = await held_post(stores, policy, holder)
    await review(db, holder, held, Outcome.APPROVE)
    with pytest.raises(Conflict):
        await review(db, holder, held, Outcome.APPROVE)
    with pytest.raises(NotFound):
        await review(db, holder, uuid.uuid4(), Outcome.APPROVE)


@pytest.mark.requirement("MB-11")
async def test_a_label_needs_a_registered_rumour(db, stores, policy, holder) -> None:
    held = await held_post(stores, policy, holder)
    with pytest.raises(InvalidInput):
        await review(db, holder, held, Outcome.LABEL, rumour_id=uuid.uuid4())
    rumour_id = uuid.uuid4()
    stores.policy.rumours[rumour_id] = {
        "id": rumour_id,
        "canonical_text": "紧急通知：明天起全市自来水停止供应三天",
        "refutation_text": "不实",
        "refutation_url": "https://example.gov.cn/piyao",
        "authority": "市水务集团",
        "action": "label",
        "legal_basis": ["MB-11"],
    }
    decision = await review(db, holder, held, Outcome.LABEL, rumour_id=rumour_id)
    assert decision["outcome"] == "label" and decision["rumour_id"] == rumour_id
    assert stores.outbox[-1].ce_type.endswith(".labelled.v1")
