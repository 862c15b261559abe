"""Grades that bite (MB-9, PA-7.2), identity's half: each grade's privileges are data in the filed grading
rules, carried on every standing, and an account is regraded by events (followers, reads), not a job."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow, PublicAccount, Staff, assert_quota_refusal


def problem_type(answer: httpx.Response) -> str | None:
    return answer.json()["type"].rsplit("/", 1)[-1] if answer.status_code >= 400 else None


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


@pytest.mark.requirement("MB-9")
@pytest.mark.requirement("PA-7.2")
def test_a_push_the_grade_does_not_allow_is_refused_and_publishes_nothing(flow: Flow, chief: Staff) -> None:
    rules = [
        {
            "grade": 1,
            "name": "ordinary",
            "min_credit": 60,
            "privileges": {"push_to_subscribers": False, "daily_pushes": 0, "daily_articles": 5},
        },
    ]
    assert flow.gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": rules}).status_code == 201
    account = flow.public_account()
    reader = flow.register()
    poll(
        lambda: (
            flow.gw.put(f"/v1/public-accounts/{account.id}/subscription", headers=reader.auth).status_code in (200, 201)
        ),
        what="subscribed (content learned the account)",
    )
    body = {"title": "青朗早报", "format": "markdown", "body": "今天天气很好，去公园散步。"}

    def push_a_draft() -> tuple[str, httpx.Response]:
        draft = flow.gw.post("/v1/articles/drafts", headers=account.auth, json=body)
        assert draft.status_code == 201, draft.text
        path = f"/v1/articles/drafts/{draft.json()['id']}/publication"
        return draft.json()["id"], flow.gw.post(path, headers=account.auth, json={"push": True})

    # Content hears the grade by event (grade-1 defaults, one push a day, until then): push until refused.
    attempts: list[tuple[str, httpx.Response]] = []
    poll(
        lambda: attempts.append(push_a_draft()) or problem_type(attempts[-1][1]) == "push-not-permitted",
        what="the push refused by the grade",
    )
    earlier = [a.json()["id"] for _, a in attempts[:-1] if a.status_code == 201]
    assert all(a.status_code in (201, 403) for _, a in attempts), [a.status_code for _, a in attempts]
    draft_id, refused = attempts[-1]
    assert refused.status_code == 403 and refused.json()["requirement"] == "MB-9", refused.text
    # Nothing was published: the draft is still a draft, the account lists no new article, and without the
    # push the same draft publishes (so only the push was refused).
    assert flow.gw.get(f"/v1/articles/drafts/{draft_id}", headers=account.auth).status_code == 200
    listed = flow.gw.get(f"/v1/public-accounts/{account.id}/articles", headers=account.auth).json()["items"]
    assert {a["id"] for a in listed} <= set(earlier)
    unpushed = flow.gw.post(f"/v1/articles/drafts/{draft_id}/publication", headers=account.auth, json={"push": False})
    assert unpushed.status_code == 201 and unpushed.json()["pushed"] is False, unpushed.text
    poll(lambda: flow.gw.get(f"/v1/articles/{unpushed.json()['id']}").status_code == 200, what="published")
    home = flow.gw.get("/v1/timelines/home", headers=reader.auth).json()["items"]
    assert unpushed.json()["id"] not in [p["id"] for p in home]


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
    """MB-9: refused because the day's articles are used (403 `quota-reached`; journeys.assert_quota_refusal
    checks its Retry-After)."""
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
    assert_quota_refusal(refused)

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
    assert_quota_refusal(refused)
