"""The news licence (MB-4, PA-8), end to end through Traefik: publishing in the news category — a post, a
repost with text of its own, an article — is refused with a problem naming MB-4 (posts, reposts) or PA-8
(articles) to an account without a valid internet news information service licence in scope."""

from __future__ import annotations

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
