"""Content's handlers against an in-memory store: publishing a post, applying moderation's decisions."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from content.posts import handlers
from content.posts.domain import (
    AccountCancelled,
    Cancellation,
    Decision,
    IdempotencyKeyReused,
    Refutation,
    StandingChanged,
    UnavailableForLegalReasons,
    UpdatesSuspended,
)
from contracts import content as content_contract
from contracts.userlog import USER_LOG_RECORDED
from kit.auth import Principal
from kit.problems import NotFound

SETTINGS = SimpleNamespace(post_max_chars=2000, post_quota_enforced=True)


def author() -> Principal:
    subject = str(uuid.uuid4())
    return Principal(subject, {"sub": subject, "rnv": True, "tos": True, "prov": "110000"})


async def post(db, principal: Principal, text: str = "今天天气很好", key: str | None = None):
    return await handlers.create_post(db, SETTINGS, principal, text=text, idempotency_key=key)


def decided(post_row, **fields) -> Decision:
    return Decision(decision_id=uuid.uuid4(), post_id=post_row["id"], decided_at=datetime.now(UTC), **fields)


async def test_a_post_is_stored_pending_and_announced(db, store) -> None:
    created = await post(db, author(), "  你好  ")
    assert created.created and created.post["status"] == "pending" and created.post["text"] == "你好"
    assert [row.ce_type for row in store.outbox] == ["qinglang.content.post.created.v1"]


@pytest.mark.requirement("MB-16.2")
async def test_a_post_joins_the_user_log_once_with_its_author_and_id(db, store) -> None:
    principal = author()
    created = await post(db, principal, "你好", key="k1")
    await post(db, principal, "你好", key="k1")  # a replay: no second entry
    [entry] = store.logged
    message = USER_LOG_RECORDED["content"].parse(entry.payload)
    assert (message.kind, message.account_id, message.subject_id) == (
        "post.published",
        principal.subject,
        str(created.post["id"]),
    )
    assert list(message.legal_basis) == ["MB-16.2", "PA-16.2"] and message.sealed_address == b""


async def test_a_post_without_an_idempotency_key_never_looks_one_up(db, store) -> None:
    """The old handler fell back to looking up the key "" when a post was not inserted, and answered
    None (a 500) when nothing was found; without a key each request is a new post."""
    principal = author()
    first, second = await post(db, principal), await post(db, principal)
    assert first.created and second.created and first.post["id"] != second.post["id"]
    assert store.key_lookups == []


async def test_the_same_key_and_body_replays_the_first_post(db, store) -> None:
    principal = author()
    first = await post(db, principal, "同一条", key="k1")
    again = await post(db, principal, "同一条", key="k1")
    assert not again.created and again.post["id"] == first.post["id"]
    assert len(store.outbox) == 1


async def test_the_same_key_with_another_body_is_a_422(db) -> None:
    principal = author()
    await post(db, principal, "第一条", key="k1")
    with pytest.raises(IdempotencyKeyReused) as refused:
        await post(db, principal, "第二条", key="k1")
    assert refused.value.status == 422


@pytest.mark.requirement("PA-13.1")
async def test_a_suspended_author_may_not_post(db, store) -> None:
    principal = author()
    suspension = StandingChanged(
        uuid.UUID(principal.subject), version=1, credit_level="B", suspended_until=datetime.now(UTC) + timedelta(days=1)
    )
    await handlers.note_standing(store, suspension)
    with pytest.raises(UpdatesSuspended):
        await post(db, principal)
    assert store.posts == {} and store.outbox == []


@pytest.mark.requirement("PA-13.1")
async def test_a_suspension_that_ended_bars_nothing(db, store) -> None:
    principal = author()
    ended = StandingChanged(
        uuid.UUID(principal.subject), version=1, credit_level="B", suspended_until=datetime.now(UTC) - timedelta(1)
    )
    await handlers.note_standing(store, ended)
    assert (await post(db, principal)).created


@pytest.mark.requirement("PA-9.2")
async def test_a_cancelled_authors_later_standing_does_not_lift_the_bar(db, store) -> None:
    principal = author()
    now = datetime.now(UTC)
    await handlers.withdraw_author(store, Cancellation(uuid.UUID(principal.subject), now, now + timedelta(days=200)))
    await handlers.note_standing(store, StandingChanged(uuid.UUID(principal.subject), version=2, credit_level="A"))
    with pytest.raises(AccountCancelled):
        await post(db, principal)


async def test_approval_publishes_and_a_repeat_changes_nothing(db, store) -> None:
    created = (await post(db, author())).post
    approval = decided(created)
    await handlers.publish_approved(store, [approval])
    assert created["status"] == "published"
    await handlers.publish_approved(store, [decided(created)])
    assert created["decision_id"] == approval.decision_id


@pytest.mark.requirement("MB-6.1")
async def test_a_held_post_is_the_authors_alone(db, store) -> None:
    principal = author()
    created = (await post(db, principal)).post
    await handlers.hold(store, decided(created))
    assert created["status"] == "held"
    seen = await handlers.read_post(db, created["id"], principal)
    assert seen.id == str(created["id"]) and seen.status == "held"
    with pytest.raises(NotFound):
        await handlers.read_post(db, created["id"], None)


@pytest.mark.requirement("MB-11")
async def test_a_labelled_decision_publishes_with_its_refutation(db, store) -> None:
    created = (await post(db, author())).post
    refutation = Refutation(uuid.uuid4(), "不实", "https://example.gov.cn/piyao", "市水务集团")
    await handlers.publish_labelled(store, decided(created, legal_basis=("MB-11",), refutation=refutation))
    label = (await handlers.read_post(db, created["id"], None)).label
    assert label.authority == "市水务集团" and label.legal_basis == ["MB-11"]


async def test_a_label_without_a_refutation_still_publishes(db, store) -> None:
    """A lexicon label term publishes the post; before, content ignored such a decision and the post
    waited for ever."""
    created = (await post(db, author())).post
    await handlers.publish_labelled(store, decided(created, legal_basis=("MB-6.1",)))
    assert created["status"] == "published"
    assert store.labels == {}


@pytest.mark.requirement("MB-12.2")
async def test_a_stop_keeps_the_snapshot_with_the_decisions_legal_basis(db, store) -> None:
    created = (await post(db, author())).post
    await handlers.publish_approved(store, [decided(created)])
    stop = decided(created, category="bj10.other_prohibited", legal_basis=("MB-12", "MB-12.2"), reason="r")
    await handlers.stop_transmission(store, stop)
    await handlers.stop_transmission(store, decided(created, legal_basis=("X-1",)))  # a repeat
    with pytest.raises(UnavailableForLegalReasons) as refused:
        await handlers.read_post(db, created["id"], None)
    assert refused.value.extensions["legal_basis"] == ["MB-12", "MB-12.2"]
    assert store.stops[created["id"]]["snapshot_text"] == created["text"]
    # Sealed and announced once, with the stop (the report's evidence, issue 15): the repeat adds nothing.
    [sealed] = [row for row in store.outbox if row.ce_type == content_contract.STOP_SNAPSHOT_SEALED.name]
    message = content_contract.STOP_SNAPSHOT_SEALED.parse(sealed.payload)
    assert (message.decision_id, message.text, message.was_published) == (str(stop.decision_id), "今天天气很好", True)
    assert message.snapshot_sha256 == hashlib.sha256("今天天气很好".encode()).hexdigest()


async def test_a_stop_for_an_unknown_post_is_ignored(store) -> None:
    await handlers.stop_transmission(store, Decision(decision_id=uuid.uuid4(), post_id=uuid.uuid4()))


@pytest.mark.requirement("PA-9.2")
async def test_a_cancelled_authors_posts_are_withdrawn_and_new_ones_refused(db, store) -> None:
    principal = author()
    created = (await post(db, principal)).post
    now = datetime.now(UTC)
    await handlers.withdraw_author(store, Cancellation(uuid.UUID(principal.subject), now, now + timedelta(days=200)))
    assert created["status"] == "withdrawn"
    with pytest.raises(NotFound):
        await handlers.read_post(db, created["id"], principal)
    with pytest.raises(Exception, match="cancelled"):
        await post(db, principal)
