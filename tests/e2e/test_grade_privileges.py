"""Grades that bite (MB-9, PA-7.2), identity's half: each grade's privileges are data in the filed grading
rules, carried on every standing, and an account is regraded by events (followers, reads), not a job."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow, PublicAccount, Staff


@pytest.fixture
def chief(flow: Flow) -> Iterator[Staff]:
    """The chief editor; the rules in force are restored afterwards (other tests grade by them)."""
    chief = flow.staff("chief_editor")
    before = flow.gw.get("/v1/identity/grading-rules").json()["rules"]["rules"]
    yield chief
    restored = flow.gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": before})
    assert restored.status_code == 201, restored.text


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("PA-7.2")
def test_privileges_are_data_in_the_published_rules_and_shown_with_the_standing(flow: Flow, chief: Staff) -> None:
    user = flow.verified_user()
    shown = flow.gw.get("/v1/accounts/me/credit", headers=user.auth).json()
    assert shown["grade"] >= 1 and shown["privileges"]["review"] == "publish_then_check"
    assert shown["account_kind"] == "user"
    rules = [
        {"grade": 1, "name": "ordinary", "min_credit": 60, "privileges": {"review": "hold", "daily_posts": 3}},
    ]
    refused = flow.gw.post(
        "/v1/identity/grading-rules",
        headers=chief.auth,
        json={"rules": [{**rules[0], "privileges": {"review": "never"}}]},
    )
    assert refused.status_code == 422
    published = flow.gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": rules})
    assert published.status_code == 201, published.text
    assert published.json()["rules"]["rules"][0]["privileges"]["daily_posts"] == 3
    now = flow.gw.get("/v1/accounts/me/credit", headers=user.auth).json()
    assert now["grade"] == 1 and now["privileges"]["review"] == "hold" and now["privileges"]["daily_posts"] == 3


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("PA-7.2")
def test_subscribers_regrade_a_public_account_within_seconds_and_unlock_push(flow: Flow, chief: Staff) -> None:
    no_push = {"push_to_subscribers": False, "daily_pushes": 0}
    rules = [
        {"grade": 1, "name": "ordinary", "min_credit": 60, "privileges": no_push},
        {
            "grade": 7,
            "name": "subscribed public account",
            "min_credit": 60,
            "min_followers": 2,
            "account_kinds": ["public"],
            "privileges": {"push_to_subscribers": True, "daily_pushes": 2},
        },
    ]
    assert flow.gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": rules}).status_code == 201
    account = flow.public_account()
    reader = flow.staff("reviewer")
    path = f"/v1/identity/staff/accounts/{account.id}/standing"
    first = flow.gw.get(path, headers=reader.auth).json()
    assert first["account_kind"] == "public" and first["grade"] == 1
    assert first["privileges"]["push_to_subscribers"] is False

    for _ in range(2):
        subscriber = flow.register()
        followed = flow.gw.put(f"/v1/accounts/{account.id}/follow", headers=subscriber.auth)
        assert followed.status_code in (200, 201, 204), followed.text
    # Content announces the follower count; identity regrades on it (an event, not the weekly job).
    regraded = poll(
        lambda: s if (s := flow.gw.get(path, headers=reader.auth).json())["grade"] == 7 else None,
        what="the public account regraded by its subscribers",
        timeout_s=30,
    )
    assert regraded["followers"] == 2
    assert regraded["privileges"]["push_to_subscribers"] is True and regraded["privileges"]["daily_pushes"] == 2


def draft(flow: Flow, account: PublicAccount) -> str:
    body = {
        "title": "青朗早报",
        "format": "markdown",
        "body": f"# 今日\n\n今天天气很好，去公园散步。{uuid.uuid4().hex[:6]}",
    }
    made = flow.gw.post("/v1/articles/drafts", headers=account.auth, json=body)
    assert made.status_code == 201, made.text
    return made.json()["id"]


def publication(flow: Flow, account: PublicAccount, draft_id: str) -> httpx.Response:
    return flow.gw.post(f"/v1/articles/drafts/{draft_id}/publication", headers=account.auth, json={"push": False})


def over_quota(answer: httpx.Response) -> bool:
    """MB-9: refused because the day's articles are used. A 429 through the gateway carries the gateway's
    own problem (its errors middleware renders every 429; the suite's rate limits are never reached), so
    only a 403 can say which quota by its type and requirement."""
    if answer.status_code == 429:
        return True
    problem = answer.json() if answer.status_code == 403 else {}
    return problem.get("type", "").endswith("/quota-reached") and problem.get("requirement") == "MB-9"


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("PA-7.2")
def test_new_rules_that_change_only_a_grade_s_quota_reach_content(flow: Flow, chief: Staff) -> None:
    ordinary = {"grade": 1, "name": "ordinary", "min_credit": 60}
    one = flow.gw.post(
        "/v1/identity/grading-rules",
        headers=chief.auth,
        json={"rules": [{**ordinary, "privileges": {"daily_articles": 1}}]},
    )
    assert one.status_code == 201, one.text
    account = flow.public_account()
    reader = flow.staff("reviewer")
    path = f"/v1/identity/staff/accounts/{account.id}/standing"
    assert flow.gw.get(path, headers=reader.auth).json()["privileges"]["daily_articles"] == 1
    assert publication(flow, account, draft(flow, account)).status_code == 201
    waiting = draft(flow, account)
    refused = publication(flow, account, waiting)
    assert over_quota(refused), refused.text

    # The grade stays 1; only its daily articles change: the standing is announced again all the same.
    three = flow.gw.post(
        "/v1/identity/grading-rules",
        headers=chief.auth,
        json={"rules": [{**ordinary, "privileges": {"daily_articles": 3}}]},
    )
    assert three.status_code == 201, three.text
    assert three.json()["regraded_accounts"] >= 1
    standing = flow.gw.get(path, headers=reader.auth).json()
    assert standing["grade"] == 1 and standing["privileges"]["daily_articles"] == 3
    assert standing["grading_rules_version"] == three.json()["version"]
    # Content applies the new quota once it hears the standing: the waiting draft is published, then one more.
    answers: list[httpx.Response] = []
    poll(
        lambda: answers.append(publication(flow, account, waiting)) or answers[-1].status_code == 201,
        what="the new quota applied by content",
        interval_s=0.25,
    )
    assert all(over_quota(a) for a in answers[:-1]), [a.text for a in answers]
    assert publication(flow, account, draft(flow, account)).status_code == 201  # the third of the day
    refused = publication(flow, account, draft(flow, account))
    assert over_quota(refused), refused.text
