"""Notifications' rules without I/O: which event tells whom what, once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from content.notifications.domain import (
    Followed,
    MarkWhat,
    NotificationKind,
    RealNameExpired,
    StandingSeen,
    check_mark,
    on_followed,
    on_held,
    on_labelled,
    on_published,
    on_real_name_expired,
    on_restored,
    on_standing,
    on_stopped,
    seen,
)
from content.posts.domain import Decision, PostKind, Published, Refutation, Restoration, StandingChanged

NOW = datetime.now(UTC)


def published(kind: PostKind, *, parent: uuid.UUID | None, root: uuid.UUID | None, **ids: uuid.UUID) -> Published:
    return Published(
        post_id=ids.get("post_id", uuid.uuid4()),
        author_id=ids.get("author_id", uuid.uuid4()),
        kind=kind,
        parent_id=parent,
        root_id=root,
        parent_author_id=ids.get("parent_author_id", uuid.uuid4()),
        created_at=NOW,
        published_at=NOW,
    )


def decision(**fields: object) -> Decision:
    return Decision(
        decision_id=uuid.uuid4(),
        post_id=uuid.uuid4(),
        category="bj10.rumour_disturbing_order",
        legal_basis=("MB-12", "MB-12.2"),
        reason="lexicon stop entry",
        decided_at=NOW,
        **fields,
    )


@pytest.mark.requirement("MB-9")
def test_a_pushed_article_tells_every_subscriber_and_an_unpushed_one_nobody() -> None:
    account, article = uuid.uuid4(), uuid.uuid4()
    head = Published(article, account, PostKind.ARTICLE, None, None, None, NOW, NOW, pushed=True)
    notice = on_published(head)
    assert notice is not None and notice.recipient_id is None  # the store finds the subscribers
    assert (notice.kind, notice.dedup_key, notice.actor_id, notice.post_id) == (
        NotificationKind.ARTICLE_PUSHED,
        f"pushed:{article}",
        account,
        article,
    )
    assert on_published(Published(article, account, PostKind.ARTICLE, None, None, None, NOW, NOW)) is None


@pytest.mark.requirement("MB-2")
def test_a_repost_tells_the_parents_author_reposted() -> None:
    post, parent_author, reposter = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    notice = on_published(
        published(PostKind.REPOST, parent=post, root=post, author_id=reposter, parent_author_id=parent_author)
    )
    assert notice is not None
    assert (notice.recipient_id, notice.kind, notice.actor_id) == (parent_author, NotificationKind.REPOSTED, reposter)


@pytest.mark.requirement("MB-2")
def test_a_comment_tells_commented_and_a_reply_to_a_comment_tells_replied() -> None:
    thread, comment = uuid.uuid4(), uuid.uuid4()
    on_post = on_published(published(PostKind.COMMENT, parent=thread, root=thread))
    reply = on_published(published(PostKind.COMMENT, parent=comment, root=thread))
    assert on_post is not None and on_post.kind is NotificationKind.COMMENTED
    assert reply is not None and reply.kind is NotificationKind.REPLIED


@pytest.mark.requirement("MB-2")
def test_nobody_is_told_of_their_own_reaction_or_of_an_original_post() -> None:
    me = uuid.uuid4()
    post = uuid.uuid4()
    assert on_published(published(PostKind.COMMENT, parent=post, root=post, author_id=me, parent_author_id=me)) is None
    assert on_published(published(PostKind.POST, parent=None, root=None)) is None
    assert on_followed(Followed(me, me)) is None


def test_the_same_fact_gives_the_same_key_so_it_notifies_once() -> None:
    post = uuid.uuid4()
    fact = published(PostKind.REPOST, parent=post, root=post)
    assert on_published(fact).dedup_key == on_published(fact).dedup_key
    follower, followee = uuid.uuid4(), uuid.uuid4()
    assert (
        on_followed(Followed(follower, followee, NOW)).dedup_key == on_followed(Followed(follower, followee)).dedup_key
    )
    d = decision()
    assert on_stopped(d, uuid.uuid4()).dedup_key == on_stopped(d, uuid.uuid4()).dedup_key


@pytest.mark.requirement("MB-2")
def test_a_follow_tells_the_followee() -> None:
    follower, followee = uuid.uuid4(), uuid.uuid4()
    notice = on_followed(Followed(follower, followee, NOW))
    assert (notice.recipient_id, notice.kind, notice.actor_id) == (followee, NotificationKind.FOLLOWED, follower)


@pytest.mark.requirement("MB-12.2")
def test_a_stop_tells_the_author_with_the_statement_of_reasons() -> None:
    author, d = uuid.uuid4(), decision()
    notice = on_stopped(d, author)
    assert (notice.recipient_id, notice.kind, notice.post_id) == (author, NotificationKind.STOPPED, d.post_id)
    assert (notice.category, notice.legal_basis, notice.reason) == (d.category, d.legal_basis, d.reason)


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("MB-6.1")
def test_a_restore_tells_the_author_once_why_the_stop_was_lifted() -> None:
    author, stop = uuid.uuid4(), decision()
    lifted = Restoration(uuid.uuid4(), stop.post_id, stop.decision_id, "the report was mistaken", ("MB-12.2",))
    notice = on_restored(lifted, author)
    assert (notice.recipient_id, notice.kind, notice.post_id) == (author, NotificationKind.RESTORED, stop.post_id)
    assert (notice.reason, notice.legal_basis) == ("the report was mistaken", ("MB-12.2",))
    assert on_restored(lifted, author).dedup_key == notice.dedup_key != on_stopped(stop, author).dedup_key


@pytest.mark.requirement("MB-6.1")
def test_a_hold_tells_the_author_why() -> None:
    author, d = uuid.uuid4(), decision(refutation=None)
    notice = on_held(d, author)
    assert (notice.recipient_id, notice.kind, notice.reason) == (author, NotificationKind.HELD, d.reason)


@pytest.mark.requirement("MB-11")
def test_a_refutation_tells_the_author_and_everyone_who_reposted_or_commented() -> None:
    author = uuid.uuid4()
    refutation = Refutation(uuid.uuid4(), "辟谣：此消息不实", "https://example.gov.cn/piyao/1", "网信办")
    labelled, refuted = on_labelled(decision(refutation=refutation), author)
    assert (labelled.recipient_id, labelled.kind) == (author, NotificationKind.LABELLED)
    assert refuted.recipient_id is None and refuted.kind is NotificationKind.REFUTED  # the store finds them
    for notice in (labelled, refuted):
        assert notice.details["refutation"]["text"] == "辟谣：此消息不实"
    assert on_labelled(decision(), author) == []  # a label without a refutation shows nothing


def changed(version: int, **fields: object) -> StandingChanged:
    return StandingChanged(
        account_id=uuid.UUID(int=1),
        version=version,
        credit_level=str(fields.pop("credit_level", "A")),
        credit_score=int(fields.pop("credit_score", 120)),
        **fields,
    )


@pytest.mark.requirement("PA-13.1")
def test_a_suspension_or_a_restriction_is_a_sanction() -> None:
    before = seen(changed(1))
    suspended = on_standing(
        before, changed(2, suspended_until=NOW + timedelta(days=7), cause="stop_transmission", credit_score=110)
    )
    assert suspended is not None and suspended.kind is NotificationKind.SANCTIONED
    assert suspended.details["standing"]["suspended_until"] is not None
    restricted = on_standing(before, changed(2, limits=("no_comments", "no_reposts"), cause="stop_transmission"))
    assert restricted is not None and restricted.kind is NotificationKind.SANCTIONED
    closed = on_standing(before, changed(2, closed=True, cause="stop_transmission", legal_basis=("PA-13.2",)))
    assert closed.kind is NotificationKind.SANCTIONED and closed.legal_basis == ("PA-13.2",)


@pytest.mark.requirement("PA-6.2")
def test_a_penalty_an_appeal_or_a_new_level_is_a_credit_change() -> None:
    before = seen(changed(1, credit_level="B", credit_score=100, limits=("no_trending",)))
    penalty = on_standing(
        before, changed(2, credit_level="B", credit_score=98, limits=("no_trending",), cause="complaint_upheld")
    )
    assert penalty.kind is NotificationKind.CREDIT_CHANGED
    assert penalty.details["standing"]["credit_score"] == 98
    level = on_standing(before, changed(2, credit_level="A", credit_score=110, cause="good_standing"))
    assert level.kind is NotificationKind.CREDIT_CHANGED  # no_trending lifted with the level


@pytest.mark.requirement("PA-6.2")
def test_what_the_holder_would_not_care_about_tells_nothing() -> None:
    before = seen(changed(3, credit_level="A", credit_score=115))
    assert on_standing(before, changed(4, credit_level="A", credit_score=116, cause="good_standing")) is None
    assert on_standing(before, changed(4, credit_level="A", credit_score=115, cause="grading_rules")) is None
    assert on_standing(before, changed(3, closed=True, cause="stop_transmission")) is None  # a repeat, or older
    assert on_standing(None, changed(1, cause="verified")) is None  # nothing to compare with, no penalty


def test_a_first_penalty_seen_is_told_without_a_standing_to_compare_with() -> None:
    first = on_standing(None, changed(5, credit_score=110, cause="stop_transmission"))
    assert first is not None and first.kind is NotificationKind.CREDIT_CHANGED


@pytest.mark.requirement("MB-7.2")
def test_an_expired_verification_asks_the_holder_to_renew() -> None:
    account = uuid.uuid4()
    notice = on_real_name_expired(RealNameExpired(account, NOW, ("MB-7.2",)))
    assert (notice.recipient_id, notice.kind, notice.legal_basis) == (
        account,
        NotificationKind.REAL_NAME_EXPIRED,
        ("MB-7.2",),
    )
    assert "/v1/accounts/me/real-name" in notice.reason
    assert notice.dedup_key == on_real_name_expired(RealNameExpired(account, NOW)).dedup_key


def test_marking_read_needs_ids_or_up_to_not_both() -> None:
    check_mark([uuid.uuid4()], None)
    check_mark(None, uuid.uuid4())
    for ids, up_to in [(None, None), ([uuid.uuid4()], uuid.uuid4())]:
        with pytest.raises(MarkWhat) as refused:
            check_mark(ids, up_to)
        assert refused.value.status == 422


def test_seen_keeps_what_the_next_change_is_measured_against() -> None:
    after = changed(7, credit_level="C", credit_score=85, limits=("posts_reviewed",))
    assert seen(after) == StandingSeen(7, 85, "C", ("posts_reviewed",), None, False)


@pytest.mark.requirement("MB-14")
def test_a_complaints_outcome_tells_its_complainant_once_with_the_reason() -> None:
    from content.notifications.domain import ComplaintOutcome, NotificationKind, on_complaint_outcome

    complainant, complaint = uuid.uuid4(), uuid.uuid4()
    outcome = ComplaintOutcome(complaint, complainant, "case-1", "post", "p-1", True, "stop", "rumour confirmed")
    notice = on_complaint_outcome(outcome)
    assert (notice.recipient_id, notice.kind, notice.reason) == (
        complainant,
        NotificationKind.COMPLAINT_OUTCOME,
        "rumour confirmed",
    )
    assert notice.dedup_key == f"complaint_outcome:{complaint}" and notice.legal_basis == ("MB-14",)
    assert notice.details["complaint"]["outcome"] == "upheld" and notice.details["complaint"]["action"] == "stop"
