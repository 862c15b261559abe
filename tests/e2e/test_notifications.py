"""Notifications through the gateway: an inbox per account fed by events (MB-2, MB-6.1, MB-7.2, MB-11,
MB-12.2), each told once, every item shown only while the reader may see it."""

from __future__ import annotations

import uuid

import httpx
import pytest
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, User, expire_real_name, register_rumour

CLEAN_TEXT = "今天天气很好，去公园散步。"
PROHIBITED_TEXT = "欢迎来到在線賭場，注册就送188元"  # the lexicon stops it (MB-12.2)


def notifications(gateway: httpx.Client, user: User, **params: object) -> list[dict]:
    answer = gateway.get("/v1/notifications", headers=user.auth, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def unread(gateway: httpx.Client, user: User) -> int:
    answer = gateway.get("/v1/notifications/unread-count", headers=user.auth)
    assert answer.status_code == 200, answer.text
    return answer.json()["unread"]


def told(gateway: httpx.Client, user: User, kind: str, **match: object) -> dict:
    """The user's notification of ``kind`` (with the given fields), once it arrived."""
    return poll(
        lambda: next(
            (
                n
                for n in notifications(gateway, user)
                if n["kind"] == kind and all(n.get(k) == v for k, v in match.items())
            ),
            None,
        ),
        what=f"a {kind} notification",
    )


def published(gateway: httpx.Client, post_id: str, user: User) -> bool:
    answer = gateway.get(f"/v1/posts/{post_id}", headers=user.auth)
    return answer.status_code == 200 and answer.json()["status"] == "published"


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("PA-6.2")
def test_your_stopped_post_tells_you_with_the_legal_basis(flow: Flow, gateway: httpx.Client) -> None:
    user = flow.verified_user()
    post = flow.post(user, PROHIBITED_TEXT)
    notice = told(gateway, user, "stopped", post_id=post["id"])
    reasons = notice["reasons"]
    assert "MB-12.2" in reasons["legal_basis"] and "BJ-10" in reasons["legal_basis"]
    assert reasons["category"] == "bj10.obscenity_gambling_violence_terror_crime" and reasons["reason"]
    assert notice["post"] is None  # the statement of reasons, never the stopped content
    assert notice["read_at"] is None

    # The stop costs credit (identity's ledger): the holder is told that too, with their standing now.
    credit = poll(
        lambda: next(
            (
                n
                for n in notifications(gateway, user)
                if n["standing"] and n["standing"]["cause"] == "stop_transmission"
            ),
            None,
        ),
        what="the credit penalty told",
    )
    assert credit["kind"] in ("credit_changed", "sanctioned") and credit["standing"]["credit_score"] < 120
    assert unread(gateway, user) == 2

    marked = gateway.post("/v1/notifications/read", headers=user.auth, json={"ids": [notice["id"]]})
    assert marked.status_code == 200, marked.text
    assert marked.json() == {"marked": 1, "unread": 1}
    assert [n["id"] for n in notifications(gateway, user, unread_only=True)] == [credit["id"]]
    newest = notifications(gateway, user)[0]
    everything = gateway.post("/v1/notifications/read", headers=user.auth, json={"up_to": newest["id"]})
    assert everything.status_code == 200 and everything.json()["unread"] == 0 and unread(gateway, user) == 0
    assert all(n["read_at"] is not None for n in notifications(gateway, user))


@pytest.mark.requirement("MB-2")
@pytest.mark.requirement("MB-12.2")
def test_a_comment_on_your_post_tells_you_once_and_a_stopped_one_never(flow: Flow, gateway: httpx.Client) -> None:
    author, commenter = flow.verified_user(), flow.verified_user()
    post = flow.post(author, CLEAN_TEXT)["id"]
    poll(lambda: published(gateway, post, author), what="the post published")

    stopped = gateway.post(f"/v1/posts/{post}/comments", headers=commenter.auth, json={"text": PROHIBITED_TEXT})
    assert stopped.status_code == 201, stopped.text
    comment = gateway.post(f"/v1/posts/{post}/comments", headers=commenter.auth, json={"text": "说得好"})
    assert comment.status_code == 201, comment.text
    notice = told(gateway, author, "commented", post_id=comment.json()["id"])
    assert notice["actor_id"] == commenter.id and notice["post"]["text"] == "说得好"
    # The commenter is told their other comment was stopped; its post's author never sees it.
    told(gateway, commenter, "stopped", post_id=stopped.json()["id"])
    items = notifications(gateway, author)
    assert [n["post_id"] for n in items if n["kind"] == "commented"] == [comment.json()["id"]]
    assert unread(gateway, author) == 1


@pytest.mark.requirement("MB-2")
def test_a_follow_tells_the_followee(flow: Flow, gateway: httpx.Client) -> None:
    followee, follower = flow.verified_user(), flow.register()
    answer = gateway.put(f"/v1/accounts/{followee.id}/follow", headers=follower.auth)
    assert answer.status_code in (200, 201), answer.text
    notice = told(gateway, followee, "followed", actor_id=follower.id)
    assert notice["post"] is None
    again = gateway.put(f"/v1/accounts/{followee.id}/follow", headers=follower.auth)
    assert again.status_code in (200, 201), again.text
    assert [n["actor_id"] for n in notifications(gateway, followee) if n["kind"] == "followed"] == [follower.id]


@pytest.mark.requirement("MB-11")
def test_a_refutation_tells_the_author_and_those_who_reposted_or_commented(flow: Flow, gateway: httpx.Client) -> None:
    marker = uuid.uuid4().hex[:6]
    rumour = f"网传{marker}区明天起全城停电七十二小时，请大家提前储备蜡烛和食物"
    author, reposter, commenter = flow.verified_user(), flow.verified_user(), flow.verified_user()
    post = flow.post(author, rumour)["id"]
    poll(lambda: published(gateway, post, author), what="the post published")
    repost = gateway.post(f"/v1/posts/{post}/reposts", headers=reposter.auth, json={"text": "转发"})
    comment = gateway.post(f"/v1/posts/{post}/comments", headers=commenter.auth, json={"text": "真的吗"})
    assert (repost.status_code, comment.status_code) == (201, 201), (repost.text, comment.text)
    told(gateway, author, "reposted", actor_id=reposter.id)
    told(gateway, author, "commented", actor_id=commenter.id)

    refutation = f"经核实，{marker}区供电正常，没有停电计划，该消息不实。"
    registered = register_rumour(gateway, flow.staff("chief_editor"), rumour, refutation, "区供电公司", "label")
    assert registered.status_code == 201, registered.text
    own = told(gateway, author, "labelled", post_id=post)
    assert own["refutation"]["text"] == refutation and "MB-11" in own["reasons"]["legal_basis"]
    for user in (reposter, commenter):
        notice = told(gateway, user, "refuted", post_id=post)
        assert notice["refutation"]["authority"] == "区供电公司" and notice["refutation"]["rumour_id"]
        assert "MB-11" in notice["reasons"]["legal_basis"]
    assert [n for n in notifications(gateway, author) if n["kind"] == "refuted"] == []  # told as the author


@pytest.mark.requirement("MB-7.2")
def test_an_expired_real_name_verification_asks_you_to_renew(
    flow: Flow, gateway: httpx.Client, platform: StackInfo
) -> None:
    user = flow.verified_user()
    expire_real_name(platform, user)
    notice = told(gateway, user, "real_name_expired")
    assert notice["reasons"]["legal_basis"] == ["MB-7.2"]
    assert "/v1/accounts/me/real-name" in notice["reasons"]["reason"] and notice["expired_at"]


def test_marking_read_is_refused_without_what_to_mark_and_for_anothers_notification(
    flow: Flow, gateway: httpx.Client
) -> None:
    user, other = flow.verified_user(), flow.verified_user()
    neither = gateway.post("/v1/notifications/read", headers=user.auth, json={})
    assert neither.status_code == 422 and neither.headers["content-type"] == "application/problem+json"
    flow.post(other, PROHIBITED_TEXT)
    theirs = told(gateway, other, "stopped")
    refused = gateway.post("/v1/notifications/read", headers=user.auth, json={"up_to": theirs["id"]})
    assert refused.status_code == 404 and refused.json()["type"].endswith("/no-such-notification")
    assert gateway.get("/v1/notifications").status_code == 401


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("MB-12.2")
def test_a_pushed_article_tells_each_subscriber_and_leaves_their_inbox_when_stopped(
    flow: Flow, gateway: httpx.Client
) -> None:
    account = flow.public_account()
    readers = [flow.register() for _ in range(2)]  # subscribing needs no real name (MB-7.1)
    for reader in readers:
        poll(
            lambda r=reader: (
                gateway.put(f"/v1/public-accounts/{account.id}/subscription", headers=r.auth).status_code in (200, 201)
            ),
            what="subscribed (content learned the account)",
        )
    marker = uuid.uuid4().hex[:8]
    text = f"网传某水库大坝出现裂缝即将溃坝下游居民请立即转移{marker}"
    draft = gateway.post("/v1/articles/drafts", headers=account.auth, json={"title": "紧急通知", "body": text})
    assert draft.status_code == 201, draft.text
    pushed = gateway.post(
        f"/v1/articles/drafts/{draft.json()['id']}/publication", headers=account.auth, json={"push": True}
    )
    assert pushed.status_code == 201 and pushed.json()["pushed"] is True, pushed.text
    article = pushed.json()["id"]
    for reader in readers:
        notice = told(gateway, reader, "article_pushed", post_id=article)
        assert notice["actor_id"] == account.id and notice["post"]["id"] == article
        assert [n["id"] for n in notifications(gateway, reader) if n["post_id"] == article] == [notice["id"]]
    before = [unread(gateway, r) for r in readers]
    assert all(n >= 1 for n in before)

    # Stopped by a rumour registered later (the retro-scan, MB-11, MB-12.2): no inbox shows or counts it.
    chief = flow.staff("chief_editor")
    registered = register_rumour(gateway, chief, text, "经核实，该水库大坝运行正常。", "市水务局", "stop")
    assert registered.status_code == 201, registered.text
    poll(lambda: gateway.get(f"/v1/articles/{article}").status_code == 451, what="the article stopped")
    for reader, count in zip(readers, before, strict=True):
        assert article not in [n["post_id"] for n in notifications(gateway, reader)]
        assert unread(gateway, reader) == count - 1
