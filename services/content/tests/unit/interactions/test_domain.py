"""The rules of reposts, comments and likes and of comment management, without I/O (MB-2, MB-10.2, PA-12,
PA-6.2, PA-13.1, PA-12.2)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from content.interactions.domain import (
    Blocked,
    CommentAction,
    CommentHidden,
    CommentNotRepostable,
    CommentPolicy,
    CommentsClosed,
    CommentSettings,
    CommentsForFollowers,
    DelegationForOrganisations,
    Feature,
    FeatureLimited,
    FeatureRestricted,
    OwnerState,
    Restriction,
    Target,
    check_limits,
    check_may_comment,
    check_may_delegate,
    check_not_blocked,
    check_restrictions,
    comment_chain,
    new_comment_state,
    next_state,
    repost_chain,
    repost_text,
    thread_policy,
)
from content.posts.domain import PostKind, PostStatus, PostTooLong, Standing, limit_basis, visible_to


def ids(n: int) -> list[uuid.UUID]:
    return [uuid.uuid4() for _ in range(n)]


@pytest.mark.requirement("MB-2")
def test_a_repost_keeps_the_chain_to_the_original() -> None:
    post, repost, author = ids(3)
    original = Target(post, author, PostKind.POST, None, None)
    assert (repost_chain(original).parent_id, repost_chain(original).root_id) == (post, post)
    of_repost = repost_chain(Target(repost, author, PostKind.REPOST, post, post))
    assert (of_repost.parent_id, of_repost.root_id) == (repost, post)


@pytest.mark.requirement("MB-2")
def test_a_comment_cannot_be_reposted() -> None:
    comment, post, author = ids(3)
    with pytest.raises(CommentNotRepostable) as refused:
        repost_chain(Target(comment, author, PostKind.COMMENT, post, post))
    assert refused.value.status == 422 and refused.value.requirement == "MB-2"


@pytest.mark.requirement("MB-2")
def test_comments_have_one_level_of_replies() -> None:
    post, top, reply, author = ids(4)
    on_post = comment_chain(Target(post, author, PostKind.POST, None, None))
    assert (on_post.parent_id, on_post.root_id) == (post, post)
    on_top = comment_chain(Target(top, author, PostKind.COMMENT, post, post))
    assert (on_top.parent_id, on_top.root_id) == (top, post)
    on_reply = comment_chain(Target(reply, author, PostKind.COMMENT, top, post))  # answers the top-level comment
    assert (on_reply.parent_id, on_reply.root_id) == (top, post)
    repost = uuid.uuid4()
    on_repost = comment_chain(Target(repost, author, PostKind.REPOST, post, post))  # a repost has its own thread
    assert (on_repost.parent_id, on_repost.root_id) == (repost, repost)


def test_a_reposts_text_is_optional_but_limited() -> None:
    assert repost_text("   ", 10) == ""
    assert repost_text(" 转发 ", 10) == "转发"
    with pytest.raises(PostTooLong):
        repost_text("长" * 11, 10)


@pytest.mark.requirement("MB-10.2")
def test_the_posts_settings_come_first_then_the_accounts_then_the_default() -> None:
    assert thread_policy(CommentSettings(), CommentSettings(), organisation=False) == CommentPolicy(False, False, False)
    # Organisation accounts hold comments for approval by default, and may turn it off.
    assert thread_policy(CommentSettings(), CommentSettings(), organisation=True).approval is True
    assert thread_policy(CommentSettings(approval=False), CommentSettings(), organisation=True).approval is False
    account = CommentSettings(closed=True, followers_only=True)
    assert thread_policy(account, CommentSettings(closed=False), organisation=False) == CommentPolicy(
        False, True, False
    )


@pytest.mark.requirement("MB-10.2")
def test_closed_and_followers_only_threads_refuse_others_but_not_their_managers() -> None:
    closed = CommentPolicy(closed=True, followers_only=False, approval=False)
    with pytest.raises(CommentsClosed) as refused:
        check_may_comment(closed, manager=False, follows_owner=True)
    assert refused.value.requirement == "MB-10.2" and refused.value.status == 403
    check_may_comment(closed, manager=True, follows_owner=False)
    followers = CommentPolicy(closed=False, followers_only=True, approval=False)
    with pytest.raises(CommentsForFollowers):
        check_may_comment(followers, manager=False, follows_owner=False)
    check_may_comment(followers, manager=False, follows_owner=True)


@pytest.mark.requirement("MB-10.2")
def test_with_approval_on_a_comment_awaits_unless_a_manager_wrote_it() -> None:
    approval = CommentPolicy(closed=False, followers_only=False, approval=True)
    assert new_comment_state(approval, manager=False) is OwnerState.AWAITING
    assert new_comment_state(approval, manager=True) is OwnerState.SHOWN
    assert new_comment_state(CommentPolicy(False, False, False), manager=False) is OwnerState.SHOWN


@pytest.mark.requirement("MB-10.2")
@pytest.mark.requirement("PA-12")
def test_awaiting_and_hidden_comments_are_seen_by_their_author_and_the_threads_managers_only() -> None:
    for state in ("awaiting", "hidden"):
        assert visible_to(PostStatus.PUBLISHED, "a", "a", owner_state=state)
        assert visible_to(PostStatus.PUBLISHED, "a", "owner", owner_state=state, manages_thread=True)
        assert not visible_to(PostStatus.PUBLISHED, "a", "someone", owner_state=state)
        assert not visible_to(PostStatus.PUBLISHED, "a", None, owner_state=state)
        assert not visible_to(PostStatus.HELD, "a", "owner", owner_state=state, manages_thread=True)
        assert not visible_to(PostStatus.STOPPED, "a", "owner", owner_state=state, manages_thread=True)


@pytest.mark.requirement("MB-10.2")
def test_management_actions_move_a_comment_between_states() -> None:
    assert next_state(OwnerState.SHOWN, CommentAction.HIDE) is OwnerState.HIDDEN
    assert next_state(OwnerState.AWAITING, CommentAction.HIDE) is OwnerState.HIDDEN
    assert next_state(OwnerState.HIDDEN, CommentAction.UNHIDE) is OwnerState.SHOWN
    assert next_state(OwnerState.AWAITING, CommentAction.UNHIDE) is OwnerState.AWAITING
    assert next_state(OwnerState.AWAITING, CommentAction.APPROVE) is OwnerState.SHOWN
    assert next_state(OwnerState.SHOWN, CommentAction.APPROVE) is OwnerState.SHOWN
    with pytest.raises(CommentHidden):
        next_state(OwnerState.HIDDEN, CommentAction.APPROVE)


@pytest.mark.requirement("MB-10.2")
def test_delegation_is_for_organisation_accounts() -> None:
    for kind in ("enterprise", "public_institution", "government", "media"):
        check_may_delegate(kind)
    for kind in (None, "individual", "foreign_organization"):
        with pytest.raises(DelegationForOrganisations) as refused:
            check_may_delegate(kind)
        assert refused.value.requirement == "MB-10.2"


@pytest.mark.requirement("MB-2")
def test_a_block_refuses_with_its_own_type() -> None:
    check_not_blocked(False)
    with pytest.raises(Blocked) as refused:
        check_not_blocked(True)
    assert (refused.value.status, refused.value.type, refused.value.requirement) == (403, "blocked", "MB-2")


@pytest.mark.requirement("PA-6.2")
@pytest.mark.requirement("PA-13.1")
def test_a_limit_names_where_it_came_from() -> None:
    # Identity says which limits its sanctions impose (PA-13.1, "7 days without reposts and comments");
    # the others are the credit level's (PA-6.2).
    level = limit_basis(("no_reposts",), ())
    assert level == {"no_reposts": "PA-6.2"}
    sanctioned = limit_basis(("no_comments", "no_reposts"), ("no_comments",))
    assert sanctioned == {"no_reposts": "PA-6.2", "no_comments": "PA-13.1"}

    credit = Standing(credit_level="D", limits=("no_reposts",), limit_basis=level)
    with pytest.raises(FeatureLimited) as refused:
        check_limits(Feature.REPOSTS, credit)
    assert refused.value.requirement == "PA-6.2" and refused.value.extensions["limit"] == "no_reposts"
    check_limits(Feature.COMMENTS, credit)
    check_limits(Feature.LIKES, credit)
    sanction = Standing(credit_level="B", limits=("no_comments",), limit_basis={"no_comments": "PA-13.1"})
    with pytest.raises(FeatureLimited) as refused:
        check_limits(Feature.COMMENTS, sanction)
    assert refused.value.requirement == "PA-13.1"
    check_limits(Feature.COMMENTS, None)


@pytest.mark.requirement("PA-12.2")
def test_a_staff_restriction_bites_on_the_caller_and_on_the_content_of_the_restricted() -> None:
    until = datetime.now(UTC) + timedelta(days=7)
    restriction = Restriction(uuid.uuid4(), uuid.uuid4(), ("comments",), "评论管理不力", ("PA-12.2",), until)
    check_restrictions(Feature.REPOSTS, [restriction], [])
    for own, owners in (([restriction], []), ([], [restriction])):
        with pytest.raises(FeatureRestricted) as refused:
            check_restrictions(Feature.COMMENTS, own, owners)
        assert refused.value.requirement == "PA-12.2"
        assert refused.value.extensions["until"] == until.isoformat()
        assert refused.value.extensions["legal_basis"] == ["PA-12.2"]
