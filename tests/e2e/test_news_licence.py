"""The news licence (MB-4, PA-8), end to end through Traefik: publishing in the news category — a post, a
repost with text of its own, an article — is refused with a problem naming MB-4 (posts, reposts) or PA-8
(articles) to an account without a valid internet news information service licence in scope."""

from __future__ import annotations

import base64
import uuid
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow


def problem_type(answer: httpx.Response) -> str:
    return answer.json()["type"].rsplit("/", 1)[-1]


def assert_refused(answer: httpx.Response, requirement: str) -> None:
    assert answer.status_code == 403, answer.text
    problem = answer.json()
    assert problem_type(answer) == "news-licence-required" and problem["requirement"] == requirement
    assert problem["legal_basis"] == ["MB-4", "PA-8"]


@pytest.mark.requirement("MB-4")
def test_a_news_post_without_a_licence_is_refused_and_other_categories_are_not(flow: Flow) -> None:
    user = flow.verified_user()
    assert_refused(flow.gw.post("/v1/posts", headers=user.auth, json={"text": "突发快讯", "category": "news"}), "MB-4")
    culture = flow.gw.post("/v1/posts", headers=user.auth, json={"text": "读书笔记", "category": "culture"})
    assert culture.status_code == 201, culture.text
    bad = flow.gw.post("/v1/posts", headers=user.auth, json={"text": "x", "category": "gossip"})
    assert bad.status_code == 422


@pytest.mark.requirement("MB-4")
def test_a_news_repost_with_text_needs_a_licence_and_a_plain_one_does_not(flow: Flow) -> None:
    original = flow.post(flow.verified_user(), "今天天气很好")
    poll(lambda: flow.gw.get(f"/v1/posts/{original['id']}").status_code == 200, what="published")
    user = flow.verified_user()
    path = f"/v1/posts/{original['id']}/reposts"
    assert_refused(flow.gw.post(path, headers=user.auth, json={"text": "据悉", "category": "news"}), "MB-4")
    plain = flow.gw.post(path, headers=user.auth, json={"category": "news"})
    assert plain.status_code == 201, plain.text


@pytest.mark.requirement("PA-8")
def test_a_news_article_without_a_licence_is_refused(flow: Flow) -> None:
    account = flow.public_account(category="news")
    draft = flow.gw.post(
        "/v1/articles/drafts", headers=account.auth, json={"title": "要闻", "body": "今日要闻。", "category": "news"}
    )
    assert draft.status_code == 201, draft.text
    refused = flow.gw.post(f"/v1/articles/drafts/{draft.json()['id']}/publication", headers=account.auth, json={})
    assert_refused(refused, "PA-8")
    assert flow.gw.get(f"/v1/articles/drafts/{draft.json()['id']}", headers=account.auth).status_code == 200  # kept


# --- with identity's registry (MB-4, PA-8): staff record a licence; every account of the subject learns it ---

BEIJING = timezone(timedelta(hours=8))
SCAN = base64.b64encode(b"%PDF-1.4 internet news information service licence (test)").decode()


def record_licence(flow: Flow, holder_id: str, **fields: object) -> dict:
    today = datetime.now(BEIJING).date()
    body = {
        "number": f"1012{uuid.uuid4().int % 10**7:07d}",
        "holder_account_id": holder_id,
        "scopes": ["original", "repost"],
        "valid_from": (today - timedelta(days=30)).isoformat(),
        "valid_until": (today + timedelta(days=365)).isoformat(),
        "evidence": [{"filename": "licence.pdf", "content_type": "application/pdf", "content_base64": SCAN}],
        **fields,
    }
    recorded = flow.gw.post("/v1/identity/staff/news-licences", headers=flow.staff("operator").auth, json=body)
    assert recorded.status_code == 201, recorded.text
    return recorded.json()


def published_post(flow: Flow) -> str:
    post = flow.post(flow.verified_user(), "今天天气很好")
    poll(lambda: flow.gw.get(f"/v1/posts/{post['id']}").status_code == 200, what="published")
    return post["id"]


@pytest.mark.requirement("MB-4")
@pytest.mark.requirement("PA-8")
def test_a_licence_in_scope_allows_news_and_one_out_of_scope_does_not(flow: Flow) -> None:
    newsroom = flow.organization("某某新闻网络有限公司")
    record_licence(flow, newsroom.id, scopes=["repost"])  # 转载 only
    original = published_post(flow)
    reposted = poll(
        lambda: (
            (
                r := flow.gw.post(
                    f"/v1/posts/{original}/reposts", headers=newsroom.auth, json={"text": "转载", "category": "news"}
                )
            ).status_code
            == 201
            and r
        ),
        what="the licence learned by content (NewsLicenceChanged)",
    )
    assert reposted.json()["kind"] == "repost"
    news = flow.gw.post("/v1/posts", headers=newsroom.auth, json={"text": "原创快讯", "category": "news"})
    assert_refused(news, "MB-4")  # 采编发布 is not in its scope

    account = flow.public_account(owner=newsroom, kind="enterprise", category="news")

    def draft(**fields: object) -> str:
        body = {"title": "要闻", "body": "今日要闻。", "category": "news", **fields}
        made = flow.gw.post("/v1/articles/drafts", headers=account.auth, json=body)
        assert made.status_code == 201, made.text
        return made.json()["id"]

    sourced = draft(original=False, source="新华社")
    poll(
        lambda: (
            flow.gw.post(f"/v1/articles/drafts/{sourced}/publication", headers=account.auth, json={}).status_code == 201
        ),
        what="a sourced news article published by the licensed subject's public account",
    )
    own = flow.gw.post(f"/v1/articles/drafts/{draft()}/publication", headers=account.auth, json={})
    assert_refused(own, "PA-8")  # an original news article needs 采编发布


@pytest.mark.requirement("MB-4")
def test_a_lapsed_licence_stops_news_from_the_day_after_and_a_revocation_at_once(flow: Flow) -> None:
    newsroom = flow.organization("某某日报社有限公司")
    yesterday = datetime.now(BEIJING).date() - timedelta(days=1)
    record_licence(
        flow, newsroom.id, valid_from=(yesterday - timedelta(days=365)).isoformat(), valid_until=yesterday.isoformat()
    )
    lapsed = poll(
        lambda: (
            (
                r := flow.gw.post("/v1/posts", headers=newsroom.auth, json={"text": "快讯", "category": "news"})
            ).status_code
            == 403
            and "lapsed" in r.json()["detail"]
            and r
        ),
        what="the lapsed licence learned by content",
    )
    assert_refused(lapsed, "MB-4")

    valid = record_licence(flow, newsroom.id)
    poll(
        lambda: (
            flow.gw.post("/v1/posts", headers=newsroom.auth, json={"text": "快讯", "category": "news"}).status_code
            == 201
        ),
        what="the valid licence learned by content",
    )
    revoked = flow.gw.post(
        f"/v1/identity/staff/news-licences/{valid['id']}/revocation",
        headers=flow.staff("operator").auth,
        json={"reason": "许可证已被吊销"},
    )
    assert revoked.status_code == 200, revoked.text
    refused = poll(
        lambda: (
            (
                r := flow.gw.post("/v1/posts", headers=newsroom.auth, json={"text": "快讯", "category": "news"})
            ).status_code
            == 403
            and r
        ),
        what="the revocation learned by content",
    )
    assert_refused(refused, "MB-4")
    assert "revoked" in refused.json()["detail"]
