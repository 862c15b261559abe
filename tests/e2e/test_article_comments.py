"""Comments on articles (留言, issue 13 §4: PA-12.2, MB-13), end to end through Traefik: switched off until
the security assessment of comments on public accounts is acknowledged; then held for the operator's
approval by default, approved, hidden, deleted, closed and pinned by the operator; taken away by staff."""

from __future__ import annotations

import httpx
import pytest
from contracts.features import GatedFeature
from devstack.testing import poll
from journeys import Flow, PublicAccount, User

FEATURE = GatedFeature.PUBLIC_ACCOUNT_COMMENTS


def problem_type(answer: httpx.Response) -> str:
    return answer.json()["type"].rsplit("/", 1)[-1]


def live_article(flow: Flow, account: PublicAccount) -> str:
    draft = flow.gw.post(
        "/v1/articles/drafts", headers=account.auth, json={"title": "读书笔记", "body": "今天读完了一本好书。"}
    )
    assert draft.status_code == 201, draft.text
    published = flow.gw.post(f"/v1/articles/drafts/{draft.json()['id']}/publication", headers=account.auth, json={})
    assert published.status_code == 201, published.text
    article_id = published.json()["id"]
    poll(lambda: flow.gw.get(f"/v1/articles/{article_id}").status_code == 200, what="the article published")
    return article_id


def comment(flow: Flow, user: User, article_id: str, text: str = "写得真好") -> str:
    """A comment moderation published (it still awaits the operator's approval)."""
    created = flow.gw.post(f"/v1/posts/{article_id}/comments", headers=user.auth, json={"text": text})
    assert created.status_code == 201, created.text
    assert created.json()["owner_state"] == "awaiting"
    comment_id = created.json()["id"]
    poll(
        lambda: flow.gw.get(f"/v1/posts/{comment_id}", headers=user.auth).json()["status"] == "published",
        what="the comment published by moderation",
    )
    return comment_id


def shown_ids(flow: Flow, article_id: str, headers: dict[str, str] | None = None) -> list[str]:
    return [c["id"] for c in flow.gw.get(f"/v1/posts/{article_id}/comments", headers=headers or {}).json()["items"]]


@pytest.fixture(scope="module")
def gate_open(flow: Flow) -> None:
    flow.open_gate(FEATURE.key)


@pytest.mark.requirement("MB-13")
def test_comments_on_a_public_account_are_off_until_their_assessment_is_acknowledged(flow: Flow) -> None:
    account = flow.public_account()
    article_id = live_article(flow, account)
    reader = flow.verified_user()
    flow.close_gate(FEATURE.key)  # whatever an earlier test of the session's stack opened
    poll(
        lambda: (
            flow.gw.post(f"/v1/posts/{article_id}/comments", headers=reader.auth, json={"text": "留言"}).status_code
            == 403
        ),
        what="content closed the comments gate",
    )
    refused = flow.gw.post(f"/v1/posts/{article_id}/comments", headers=reader.auth, json={"text": "留言"})
    assert refused.status_code == 403 and problem_type(refused) == "feature-not-assessed"
    assert refused.json()["requirement"] == "MB-13" and refused.json()["legal_basis"] == ["MB-13", "PA-12.1"]
    # An ordinary user's post takes comments all the same: the gate is for public accounts' threads.
    post = flow.post(flow.verified_user(), "今天天气很好")
    poll(lambda: flow.gw.get(f"/v1/posts/{post['id']}").status_code == 200, what="post published")
    assert (
        flow.gw.post(f"/v1/posts/{post['id']}/comments", headers=reader.auth, json={"text": "是的"}).status_code == 201
    )

    flow.open_gate(FEATURE.key)
    poll(
        lambda: (
            flow.gw.post(f"/v1/posts/{article_id}/comments", headers=reader.auth, json={"text": "留言"}).status_code
            == 201
        ),
        what="the gate open in content",
    )


@pytest.mark.requirement("PA-12.2")
def test_the_operator_approves_hides_deletes_pins_and_closes(flow: Flow, gate_open: None) -> None:
    account = flow.public_account()
    article_id = live_article(flow, account)
    readers = [flow.verified_user() for _ in range(4)]
    first, second, third, fourth = (comment(flow, r, article_id, f"留言{i}") for i, r in enumerate(readers))
    assert shown_ids(flow, article_id) == []  # awaiting: invisible to others
    assert shown_ids(flow, article_id, readers[0].auth) == [first]  # its author sees it
    awaiting = flow.gw.get(f"/v1/posts/{article_id}/comments", headers=account.auth, params={"state": "awaiting"})
    assert set(c["id"] for c in awaiting.json()["items"]) == {first, second, third, fourth}
    base = f"/v1/posts/{article_id}/comments"
    not_shown = flow.gw.put(f"{base}/{first}/pin", headers=account.auth)
    assert not_shown.status_code == 409 and problem_type(not_shown) == "not-shown"
    for c in (first, second, third, fourth):
        assert flow.gw.put(f"{base}/{c}/approval", headers=account.auth).status_code == 204
    assert flow.gw.put(f"{base}/{first}/pin", headers=readers[1].auth).status_code == 403  # not a manager
    assert flow.gw.put(f"{base}/{first}/pin", headers=account.auth).status_code == 204
    assert shown_ids(flow, article_id)[0] == first  # pinned first, though the oldest
    assert flow.gw.put(f"{base}/{second}/hidden", headers=account.auth).status_code == 204
    assert flow.gw.delete(f"{base}/{third}", headers=account.auth).status_code == 204
    assert shown_ids(flow, article_id) == [first, fourth]
    closed = flow.gw.put(f"/v1/posts/{article_id}/comment-settings", headers=account.auth, json={"closed": True})
    assert closed.status_code == 200, closed.text
    refused = flow.gw.post(base, headers=flow.verified_user().auth, json={"text": "还能留言吗"})
    assert refused.status_code == 403


@pytest.mark.requirement("PA-12.2")
def test_staff_take_comments_away_from_a_public_account(flow: Flow, gate_open: None) -> None:
    account = flow.public_account()
    article_id = live_article(flow, account)
    operator = flow.staff("operator")
    restricted = flow.gw.post(
        "/v1/content/staff/feature-restrictions",
        headers=operator.auth,
        json={
            "account_id": account.id,
            "features": ["comments"],
            "reason": "留言区管理不力",
            "legal_basis": ["PA-12.2"],
        },
    )
    assert restricted.status_code == 201, restricted.text
    refused = flow.gw.post(f"/v1/posts/{article_id}/comments", headers=flow.verified_user().auth, json={"text": "留言"})
    assert refused.status_code == 403 and refused.json()["requirement"] == "PA-12.2"
