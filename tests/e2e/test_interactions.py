"""Reposts, comments and likes through Traefik (MB-2): each is checked by moderation like a post (MB-6.1), a
stopped comment leaves its list and count and is reported to the regulator like a post (MB-12.2), the
thread's owner manages its comments (MB-10.2, PA-12), and every refusal names its requirement (MB-7.1,
PA-13.1, PA-12.2, MB-2)."""

from __future__ import annotations

import hashlib
import uuid

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow, User, reports_for_post

CLEAN = "今天天气很好，去公园散步。"


def prohibited() -> str:
    return f"欢迎来到在线赌场，注册就送188元{uuid.uuid4().hex[:6]}"  # the lexicon's 在线赌场: stopped


def published_post(flow: Flow, gateway: httpx.Client, author: User, text: str = CLEAN) -> str:
    post = flow.post(author, text)["id"]
    poll(lambda: gateway.get(f"/v1/posts/{post}").status_code == 200, what="the post published")
    return post


def published(gateway: httpx.Client, item_id: str) -> bool:
    """Published: anyone may see it."""
    return gateway.get(f"/v1/posts/{item_id}").status_code == 200


def comment_ids(gateway: httpx.Client, post_id: str, headers: dict[str, str] | None = None, **params: str) -> list:
    answer = gateway.get(f"/v1/posts/{post_id}/comments", headers=headers or {}, params=params)
    assert answer.status_code == 200, answer.text
    return [c["id"] for c in answer.json()["items"]]


@pytest.mark.requirement("MB-2")
@pytest.mark.requirement("MB-6.1")
def test_a_repost_and_a_comment_are_published_by_moderation_with_their_chain_and_counts(
    flow: Flow, gateway: httpx.Client
) -> None:
    author, reposter, commenter = flow.verified_user(), flow.verified_user(), flow.verified_user()
    post = published_post(flow, gateway, author)

    headers = {**reposter.auth, "Idempotency-Key": str(uuid.uuid4())}
    repost = gateway.post(f"/v1/posts/{post}/reposts", headers=headers, json={})  # no text of its own
    again = gateway.post(f"/v1/posts/{post}/reposts", headers=headers, json={})
    assert (repost.status_code, again.status_code) == (201, 200), again.text
    assert repost.json()["id"] == again.json()["id"] and repost.json()["status"] == "pending"
    repost_id = repost.json()["id"]
    assert (repost.json()["kind"], repost.json()["root_id"]) == ("repost", post)
    poll(lambda: published(gateway, repost_id), what="the repost published")
    comment = gateway.post(f"/v1/posts/{repost_id}/comments", headers=commenter.auth, json={"text": "转得好"})
    assert comment.status_code == 201, comment.text
    comment_id = comment.json()["id"]
    poll(lambda: published(gateway, comment_id), what="the comment published")

    reposts = gateway.get(f"/v1/posts/{post}/reposts").json()["items"]
    assert [r["id"] for r in reposts] == [repost_id] and reposts[0]["original"]["id"] == post
    assert comment_ids(gateway, repost_id) == [comment_id]
    reply = gateway.post(f"/v1/posts/{comment_id}/comments", headers=author.auth, json={"text": "谢谢"})
    assert reply.status_code == 201 and reply.json()["parent_id"] == comment_id
    assert reply.json()["root_id"] == repost_id
    assert gateway.put(f"/v1/posts/{post}/like", headers=commenter.auth).status_code == 204
    assert gateway.put(f"/v1/posts/{post}/like", headers=commenter.auth).status_code == 204
    shown = gateway.get(f"/v1/posts/{post}", headers=commenter.auth).json()
    assert shown["counts"] == {"reposts": 1, "comments": 0, "likes": 1} and shown["liked"] is True
    poll(lambda: published(gateway, reply.json()["id"]), what="the reply published")
    assert gateway.get(f"/v1/posts/{repost_id}").json()["counts"]["comments"] == 2  # the thread, replies too
    assert gateway.get(f"/v1/posts/{comment_id}").json()["counts"]["comments"] == 1
    assert comment_ids(gateway, repost_id) == [comment_id]  # top level only

    refused = gateway.post(f"/v1/posts/{comment_id}/reposts", headers=author.auth, json={"text": "转评论"})
    assert refused.status_code == 422 and refused.json()["requirement"] == "MB-2"


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("MB-6.1")
def test_a_stopped_comment_leaves_the_list_and_the_count_and_is_reported_like_a_post(
    flow: Flow, gateway: httpx.Client, national_key: dict[str, str]
) -> None:
    author, commenter = flow.verified_user(), flow.verified_user()
    post = published_post(flow, gateway, author)
    clean = gateway.post(f"/v1/posts/{post}/comments", headers=commenter.auth, json={"text": "说得对"}).json()["id"]
    text = prohibited()
    bad = gateway.post(f"/v1/posts/{post}/comments", headers=commenter.auth, json={"text": text})
    assert bad.status_code == 201, bad.text
    bad_id = bad.json()["id"]

    stopped = poll(lambda: (a := gateway.get(f"/v1/posts/{bad_id}")).status_code == 451 and a.json(), what="stop")
    assert stopped["requirement"] == "MB-12.2" and "MB-12.2" in stopped["legal_basis"]
    poll(lambda: published(gateway, clean), what="the clean comment published")
    assert comment_ids(gateway, post) == [clean]
    assert comment_ids(gateway, post, commenter.auth) == [clean]  # its author no longer sees it either
    assert gateway.get(f"/v1/posts/{post}").json()["counts"]["comments"] == 1
    reports = poll(lambda: reports_for_post(gateway, national_key, bad_id), what="the regulator's report")
    assert len(reports) == 1 and reports[0]["account_id"] == commenter.id
    assert reports[0]["content_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    refused = gateway.post(f"/v1/posts/{bad_id}/comments", headers=author.auth, json={"text": "回复"})
    assert refused.status_code == 451 and refused.json()["requirement"] == "MB-12.2"


@pytest.mark.requirement("MB-10.2")
@pytest.mark.requirement("PA-12")
def test_the_owner_holds_comments_for_approval_and_hides_them(flow: Flow, gateway: httpx.Client) -> None:
    owner, commenter = flow.verified_user(), flow.verified_user()
    post = published_post(flow, gateway, owner)
    settings = gateway.put(f"/v1/posts/{post}/comment-settings", headers=owner.auth, json={"approval": True})
    assert settings.status_code == 200 and settings.json()["in_force"]["approval"] is True
    waiting = gateway.post(f"/v1/posts/{post}/comments", headers=commenter.auth, json={"text": "请精选"}).json()
    assert waiting["owner_state"] == "awaiting"
    awaiting = poll(lambda: comment_ids(gateway, post, owner.auth, state="awaiting"), what="awaiting the owner")
    assert awaiting == [waiting["id"]] and comment_ids(gateway, post) == []
    assert gateway.get(f"/v1/posts/{post}/comments", headers=commenter.auth, params={"state": "awaiting"}).json()[
        "requirement"
    ] == ("MB-10.2")

    approve = f"/v1/posts/{post}/comments/{waiting['id']}/approval"
    assert gateway.put(approve, headers=commenter.auth).status_code == 403
    assert gateway.put(approve, headers=owner.auth).status_code == 204
    assert comment_ids(gateway, post) == [waiting["id"]]
    hidden = f"/v1/posts/{post}/comments/{waiting['id']}/hidden"
    assert gateway.put(hidden, headers=owner.auth).status_code == 204
    assert comment_ids(gateway, post) == [] and gateway.get(f"/v1/posts/{post}").json()["counts"]["comments"] == 0

    closed = gateway.put("/v1/accounts/me/comment-settings", headers=owner.auth, json={"closed": True})
    assert closed.status_code == 200 and closed.json()["in_force"]["closed"] is True
    refused = gateway.post(f"/v1/posts/{post}/comments", headers=commenter.auth, json={"text": "还能评论吗"})
    assert refused.status_code == 403 and refused.json()["requirement"] == "MB-10.2"


@pytest.mark.requirement("MB-7.1")
def test_comments_reposts_and_likes_need_a_real_name(flow: Flow, gateway: httpx.Client) -> None:
    post = published_post(flow, gateway, flow.verified_user())
    anonymous = flow.register()
    for method, path, body in (
        ("POST", f"/v1/posts/{post}/comments", {"text": "路过"}),
        ("POST", f"/v1/posts/{post}/reposts", {"text": ""}),
        ("PUT", f"/v1/posts/{post}/like", None),
    ):
        refused = gateway.request(method, path, headers=anonymous.auth, json=body)
        assert refused.status_code == 403 and refused.json()["requirement"] == "MB-7.1", refused.text


@pytest.mark.requirement("PA-13.1")
def test_a_sanction_takes_reposts_and_comments_for_seven_days(flow: Flow, gateway: httpx.Client) -> None:
    post = published_post(flow, gateway, flow.verified_user())
    offender = flow.verified_user()
    for _ in range(2):  # the second stop in the window: 7 days without reposts and comments (the ladder)
        stopped = flow.post(offender, prohibited())["id"]
        poll(lambda s=stopped: gateway.get(f"/v1/posts/{s}").status_code == 451, what="the stop")

    def refused() -> httpx.Response | None:
        answer = gateway.post(f"/v1/posts/{post}/reposts", headers=offender.auth, json={"text": "转发"})
        return answer if answer.status_code == 403 else None

    answer = poll(refused, what="the sanction enforced")
    assert answer.json()["requirement"] == "PA-13.1" and answer.json()["type"].endswith("/feature-limited")
    comment = gateway.post(f"/v1/posts/{post}/comments", headers=offender.auth, json={"text": "评论"})
    assert comment.status_code == 403 and comment.json()["requirement"] == "PA-13.1"
    limits = gateway.get("/v1/accounts/me/restrictions", headers=offender.auth).json()["limits"]
    assert {"limit": "no_comments", "requirement": "PA-13.1"} in limits


@pytest.mark.requirement("PA-12.2")
def test_staff_restrict_an_accounts_comments_shown_to_it_until_lifted(flow: Flow, gateway: httpx.Client) -> None:
    post = published_post(flow, gateway, flow.verified_user())
    user = flow.verified_user()
    operator = flow.staff("operator")
    created = gateway.post(
        "/v1/content/staff/feature-restrictions",
        headers=operator.auth,
        json={"account_id": user.id, "features": ["comments"], "reason": "评论区管理不力", "legal_basis": ["PA-12.2"]},
    )
    assert created.status_code == 201, created.text
    restriction = created.json()
    assert restriction["created_by"].startswith("staff:")

    refused = gateway.post(f"/v1/posts/{post}/comments", headers=user.auth, json={"text": "评论"})
    assert refused.status_code == 403 and refused.json()["requirement"] == "PA-12.2"
    assert refused.json()["legal_basis"] == ["PA-12.2"]
    shown = gateway.get("/v1/accounts/me/restrictions", headers=user.auth).json()["feature_restrictions"]
    assert [(r["id"], r["reason"]) for r in shown] == [(restriction["id"], "评论区管理不力")]
    listed = gateway.get(
        "/v1/content/staff/feature-restrictions", headers=operator.auth, params={"account_id": user.id}
    ).json()["items"]
    assert [r["id"] for r in listed] == [restriction["id"]]

    lifted = gateway.post(
        f"/v1/content/staff/feature-restrictions/{restriction['id']}/lift",
        headers=operator.auth,
        json={"reason": "已整改"},
    )
    assert lifted.status_code == 200 and lifted.json()["lifted_at"] is not None
    assert gateway.post(f"/v1/posts/{post}/comments", headers=user.auth, json={"text": "评论"}).status_code == 201


@pytest.mark.requirement("MB-2")
def test_a_blocked_account_may_not_comment_on_or_repost_the_blocker(flow: Flow, gateway: httpx.Client) -> None:
    author, blocked = flow.verified_user(), flow.verified_user()
    post = published_post(flow, gateway, author)
    assert gateway.put(f"/v1/accounts/{blocked.id}/block", headers=author.auth).status_code in (200, 201, 204)
    for path, body in ((f"/v1/posts/{post}/comments", {"text": "评论"}), (f"/v1/posts/{post}/reposts", {})):
        refused = gateway.post(path, headers=blocked.auth, json=body)
        assert refused.status_code == 403, refused.text
        assert refused.json()["type"].endswith("/blocked") and refused.json()["requirement"] == "MB-2"
