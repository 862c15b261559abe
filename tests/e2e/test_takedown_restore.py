"""Issue 14 through the gateway (MB-12.2, MB-6.1, PA-5.1): staff take down a published post (readers get
451, the regulator a report), a senior reviewer restores it (served again, in the author's timeline and in
search, the report amended and withdrawn, the version as filed kept); refusals on the way."""

from __future__ import annotations

import uuid

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow, Staff, User, every_page, reports_for_post

CATEGORY = "bj10.rumour_disturbing_order"


@pytest.fixture(scope="module")
def reviewer(flow: Flow) -> Staff:
    return flow.staff("reviewer")


@pytest.fixture(scope="module")
def senior(flow: Flow) -> Staff:
    return flow.staff("senior_reviewer")


@pytest.fixture(scope="module")
def author(flow: Flow) -> User:
    return flow.verified_user()


def published_post(gateway: httpx.Client, flow: Flow, author: User) -> dict:
    word = f"晴天{uuid.uuid4().hex[:8]}"
    post = flow.post(author, f"今天{word}出门散步")
    poll(lambda: gateway.get(f"/v1/posts/{post['id']}").status_code == 200, what="published")
    return post | {"word": word}


def in_author_posts(gateway: httpx.Client, author: User, post_id: str) -> bool:
    answer = gateway.get(f"/v1/accounts/{author.id}/posts")
    return answer.status_code == 200 and post_id in [p["id"] for p in answer.json()["items"]]


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("MB-6.1")
def test_a_takedown_stops_a_published_post_and_a_restore_serves_it_again(
    gateway: httpx.Client, flow: Flow, author: User, reviewer: Staff, senior: Staff, national_key: dict[str, str]
) -> None:
    post = published_post(gateway, flow, author)
    assert in_author_posts(gateway, author, post["id"])
    down = gateway.post(
        f"/v1/moderation/posts/{post['id']}/takedown",
        headers=reviewer.auth,
        json={"category": CATEGORY, "reason": "spreads a rumour", "legal_basis": ["BJ-7(5)"]},
    )
    assert down.status_code == 201, down.text
    stop = down.json()
    assert (stop["stage"], stop["outcome"], stop["decided_by"]) == ("takedown", "stop_transmission", stop["decided_by"])
    assert "MB-12.2" in stop["legal_basis"]
    poll(lambda: gateway.get(f"/v1/posts/{post['id']}").status_code == 451, what="451 for readers")
    assert not in_author_posts(gateway, author, post["id"])
    [report] = poll(lambda: reports_for_post(gateway, national_key, post["id"]), what="the stop's report")
    assert (report["decision_id"], report["status"], report["version"]) == (stop["id"], "filed", 1)
    again = gateway.post(
        f"/v1/moderation/posts/{post['id']}/takedown",
        headers=reviewer.auth,
        json={"category": CATEGORY, "reason": "twice"},
    )
    assert again.status_code == 409 and again.json()["requirement"] == "MB-12.2"
    # Restore: not a reviewer's; a senior reviewer's.
    refused = gateway.post(
        f"/v1/moderation/posts/{post['id']}/restoration", headers=reviewer.auth, json={"reason": "mistaken"}
    )
    assert refused.status_code == 403
    restored = gateway.post(
        f"/v1/moderation/posts/{post['id']}/restoration",
        headers=senior.auth,
        json={"reason": "the report was mistaken", "legal_basis": ["MB-12.2"]},
    )
    assert restored.status_code == 201, restored.text
    assert (restored.json()["stage"], restored.json()["supersedes"]) == ("restore", stop["id"])
    poll(lambda: gateway.get(f"/v1/posts/{post['id']}").status_code == 200, what="served again")
    assert in_author_posts(gateway, author, post["id"])
    # The author, told of the stop, is told of its lifting too, and why (MB-12.2, MB-6.1).
    told = poll(
        lambda: [
            n
            for n in every_page(gateway, "/v1/notifications", author.auth)
            if n["kind"] == "restored" and n["post_id"] == post["id"]
        ],
        what="the author told of the restore",
    )
    assert len(told) == 1 and told[0]["reasons"]["reason"] == "the report was mistaken"
    poll(
        lambda: (
            post["id"] in [p["id"] for p in gateway.get("/v1/search/posts", params={"q": post["word"]}).json()["items"]]
        ),
        what="found by search again",
    )
    amended = poll(
        lambda: (
            (r := gateway.get(f"/v1/regulator/reports/{report['id']}", headers=national_key).json())["amendments"] and r
        ),
        what="the report amended",
    )
    assert (amended["status"], amended["version"], amended["reason"]) == ("withdrawn", 2, report["reason"])
    [amendment] = amended["amendments"]
    assert (amendment["kind"], amendment["reason"], amendment["version"]) == ("restore", "the report was mistaken", 2)
    [listed] = reports_for_post(gateway, national_key, post["id"])
    assert listed["status"] == "withdrawn"
    twice = gateway.post(
        f"/v1/moderation/posts/{post['id']}/restoration", headers=senior.auth, json={"reason": "again please"}
    )
    assert twice.status_code == 409


@pytest.mark.requirement("MB-12.2")
def test_a_takedown_of_an_unknown_post_is_not_found_and_a_user_is_refused(
    gateway: httpx.Client, author: User, reviewer: Staff
) -> None:
    unknown = gateway.post(
        f"/v1/moderation/posts/{uuid.uuid4()}/takedown",
        headers=reviewer.auth,
        json={"category": CATEGORY, "reason": "nothing there"},
    )
    assert unknown.status_code == 404
    user = gateway.post(
        f"/v1/moderation/posts/{uuid.uuid4()}/takedown",
        headers=author.auth,
        json={"category": CATEGORY, "reason": "me"},
    )
    assert user.status_code in (401, 403)
    missing = gateway.post(
        f"/v1/moderation/posts/{uuid.uuid4()}/takedown", headers=reviewer.auth, json={"reason": "no category"}
    )
    assert missing.status_code == 422
