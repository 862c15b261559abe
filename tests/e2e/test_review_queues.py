"""Issue 14's review queue through the gateway (MB-6.1, PA-5.1, MB-14): a held post is a queue item,
claimed (another's claim refused), noted, escalated to the chief editor, decided by the chief editor only
(finally); every action is in the item's history; statistics count it. Complaint cases come from reporting's
announcements (slice R): their consumer is tested against PostgreSQL in services/moderation/tests/integration;
here the queue's filters for them answer."""

from __future__ import annotations

import uuid

import httpx
import pytest
from devstack.testing import poll
from journeys import Flow, Staff, User, every_page

HELD = "内部消息称"  # the sample lexicon holds it for review (MB-6.1)


@pytest.fixture(scope="module")
def author(flow: Flow) -> User:
    return flow.verified_user()


def held_item(gateway: httpx.Client, flow: Flow, author: User, reviewer: Staff) -> tuple[dict, dict]:
    post = flow.post(author, f"{HELD}明天{uuid.uuid4().hex[:6]}放假")

    def find() -> dict | None:
        items = every_page(gateway, "/v1/moderation/review-items", reviewer.auth, kind="held_post")
        return next((i for i in items if i["target_id"] == post["id"]), None)

    return post, poll(find, what="the held post in the queue")


@pytest.mark.requirement("MB-6.1")
@pytest.mark.requirement("PA-5.1")
def test_a_held_post_is_claimed_noted_escalated_and_decided_finally_by_the_chief_editor(
    gateway: httpx.Client, flow: Flow, author: User
) -> None:
    reviewer, other, chief = flow.staff("reviewer"), flow.staff("reviewer"), flow.staff("chief_editor")
    auditor = flow.staff("auditor")
    post, item = held_item(gateway, flow, author, reviewer)
    assert (item["kind"], item["state"], item["target_type"]) == ("held_post", "open", "post")
    url = f"/v1/moderation/review-items/{item['id']}"
    approve = {"outcome": "approve", "reason": "an ordinary notice"}
    unclaimed = gateway.post(f"{url}/decision", headers=reviewer.auth, json=approve)
    assert unclaimed.status_code == 409 and unclaimed.json()["requirement"] == "MB-6.1"
    claimed = gateway.post(f"{url}/claim", headers=reviewer.auth)
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["state"] == "assigned" and claimed.json()["assignee"].startswith("staff:")
    assert gateway.post(f"{url}/claim", headers=other.auth).status_code == 409
    mine = every_page(gateway, "/v1/moderation/review-items", reviewer.auth, assignee="me")
    assert item["id"] in [i["id"] for i in mine]
    noted = gateway.post(f"{url}/notes", headers=reviewer.auth, json={"text": "needs the chief editor"})
    assert noted.status_code == 201, noted.text
    escalated = gateway.post(f"{url}/escalation", headers=reviewer.auth, json={"reason": "a sensitive notice"})
    assert escalated.status_code == 200, escalated.text
    assert (escalated.json()["state"], escalated.json()["escalation_reason"]) == ("escalated", "a sensitive notice")
    for staff in (reviewer, other):
        refused = gateway.post(f"{url}/decision", headers=staff.auth, json=approve)
        assert refused.status_code == 403 and refused.json()["requirement"] == "MB-6.1", refused.text
    decided = gateway.post(
        f"{url}/decision",
        headers=chief.auth,
        json={"outcome": "stop_transmission", "reason": "a rumour", "category": "bj10.rumour_disturbing_order"},
    )
    assert decided.status_code == 200, decided.text
    assert (decided.json()["state"], decided.json()["final"]) == ("closed", True)
    poll(lambda: gateway.get(f"/v1/posts/{post['id']}").status_code == 451, what="stopped")
    assert gateway.post(f"{url}/decision", headers=chief.auth, json=approve).status_code == 409
    view = gateway.get(url, headers=auditor.auth)  # auditors may read
    assert view.status_code == 200, view.text
    body = view.json()
    assert body["text"].startswith(HELD) and any(m["term"] == HELD for m in body["matches"])
    assert [h["action"] for h in body["history"]] == ["claimed", "noted", "escalated", "decided"]
    assert [n["text"] for n in body["notes"]] == ["needs the chief editor"]
    assert [d["stage"] for d in body["decisions"]] == ["publication", "review"] and body["decisions"][-1]["final"]
    # The chief editor's final stop: a senior reviewer may not restore it (MB-6.1, PA-5.1).
    senior = flow.staff("senior_reviewer")
    restore = gateway.post(
        f"/v1/moderation/posts/{post['id']}/restoration", headers=senior.auth, json={"reason": "mistaken"}
    )
    assert restore.status_code == 403 and restore.json()["requirement"] == "MB-6.1"
    stats = gateway.get("/v1/moderation/review-statistics", headers=auditor.auth)
    assert stats.status_code == 200, stats.text
    assert stats.json()["decided"] >= 1 and stats.json()["action_rate"] is not None


@pytest.mark.requirement("MB-6.1")
def test_assignment_is_a_senior_reviewers_and_release_the_holders(
    gateway: httpx.Client, flow: Flow, author: User
) -> None:
    reviewer, other, senior = flow.staff("reviewer"), flow.staff("reviewer"), flow.staff("senior_reviewer")
    _, item = held_item(gateway, flow, author, reviewer)
    url = f"/v1/moderation/review-items/{item['id']}"
    assert gateway.post(f"{url}/assignment", headers=reviewer.auth, json={"assignee": "x"}).status_code == 403
    other_id = gateway.post(f"{url}/claim", headers=other.auth).json()["assignee"]
    assert gateway.post(f"{url}/release", headers=reviewer.auth).status_code == 409
    assert gateway.post(f"{url}/release", headers=other.auth).json()["state"] == "open"
    assigned = gateway.post(f"{url}/assignment", headers=senior.auth, json={"assignee": other_id})
    assert assigned.status_code == 200 and assigned.json()["assignee"] == other_id
    decided = gateway.post(f"{url}/decision", headers=other.auth, json={"outcome": "approve", "reason": "fine"})
    assert decided.status_code == 200 and decided.json()["final"] is False
    # The old route keeps working for the list of held posts (decided items leave it).
    old = every_page(gateway, "/v1/moderation/reviews", reviewer.auth)
    assert item["decision_id"] not in [i["decision_id"] for i in old]


@pytest.mark.requirement("MB-14")
def test_the_queue_filters_complaint_cases(gateway: httpx.Client, flow: Flow) -> None:
    """Complaint cases arrive from reporting (slice R); the integrator extends this to a filed complaint."""
    reviewer = flow.staff("reviewer")
    answer = gateway.get("/v1/moderation/review-items", headers=reviewer.auth, params={"kind": "complaint_case"})
    assert answer.status_code == 200, answer.text
    assert all(i["kind"] == "complaint_case" for i in answer.json()["items"])
    bad = gateway.get("/v1/moderation/review-items", headers=reviewer.auth, params={"state": "lost"})
    assert bad.status_code == 422
