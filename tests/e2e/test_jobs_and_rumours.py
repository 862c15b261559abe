"""Long jobs with progress, and the chief editor withdrawing a rumour or raising it to a stop (MB-11, MB-6.1,
MB-12.2), through the gateway: every re-decision is a job staff follow at /v1/moderation/jobs."""

from __future__ import annotations

import random
import uuid

import httpx
import pytest
from contracts.categories import Bj10Category
from devstack.testing import poll
from journeys import Flow, Staff, User, register_rumour, reports_for_post

# A rumour text of its own per test (random characters), so no other test's posts match it.
_HAN = "东南西北春夏秋冬山河湖海风雨雷电金木水火土日月星辰花草树林桥路街巷"


def rumour_text() -> str:
    words = "".join(random.choices(_HAN, k=28))
    return f"紧急通知：{words[:14]}，{words[14:]}！"


@pytest.fixture(scope="module")
def chief(flow: Flow) -> Staff:
    return flow.staff("chief_editor")


@pytest.fixture(scope="module")
def senior(flow: Flow) -> Staff:
    return flow.staff("senior_reviewer")


def status_of(gateway: httpx.Client, post_id: str, user: User) -> str:
    response = gateway.get(f"/v1/posts/{post_id}", headers=user.auth)
    if response.status_code == 451:
        return "stopped"
    return response.json()["status"]


def settled(gateway: httpx.Client, post_id: str, user: User) -> str:
    return poll(lambda: (s := status_of(gateway, post_id, user)) != "pending" and s, what=f"a decision on {post_id}")


def label_of(gateway: httpx.Client, post_id: str) -> dict | None:
    return gateway.get(f"/v1/posts/{post_id}").json().get("label")


def finished(gateway: httpx.Client, staff: Staff, job_id: str, *, timeout_s: float = 60) -> dict:
    """The job once it ended (done or failed), polled through the gateway."""
    return poll(
        lambda: (
            (j := gateway.get(f"/v1/moderation/jobs/{job_id}", headers=staff.auth).json())["state"]
            in ("done", "failed")
            and j
        ),
        timeout_s=timeout_s,
        what=f"job {job_id}",
    )


def decisions_of(gateway: httpx.Client, post_id: str, staff: Staff) -> list[dict]:
    answer = gateway.get(f"/v1/moderation/posts/{post_id}/decisions", headers=staff.auth, params={"limit": 100})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def labelled_rumour(gateway: httpx.Client, flow: Flow, chief: Staff) -> tuple[str, str, list[tuple[dict, User]]]:
    """A rumour registered after one post spread it (found by the retro-scan job) and before another (labelled
    at publication): (its text, its id, the posts with their authors), each post labelled."""
    text = rumour_text()
    before, after = flow.verified_user(), flow.verified_user()
    early = flow.post(before, text)
    assert settled(gateway, early["id"], before) == "published"
    registered = register_rumour(gateway, chief, text, "经核实，该消息不实，供应一切正常。", "市应急管理局", "label")
    assert registered.status_code == 201, registered.text
    rumour = registered.json()
    job = finished(gateway, chief, rumour["scan_job_id"])
    # MB-11: the retro-scan is a job with exact progress: every published text read, the match decided.
    assert job["kind"] == "rumour.retro_scan" and job["state"] == "done" and job["subject"] == rumour["id"], job
    assert job["done"] == job["total"] and job["progress"] == 1.0 and job["detail"]["decided"] >= 1, job
    late = flow.post(after, f"转发：{text}")
    assert settled(gateway, late["id"], after) == "published"
    for post in (early, late):
        label = poll(lambda post=post: label_of(gateway, post["id"]), what="the refutation on the post")
        assert label["rumour_id"] == rumour["id"]
    return text, rumour["id"], [(early, before), (late, after)]


@pytest.mark.requirement("MB-11")
@pytest.mark.requirement("MB-6.1")
def test_a_withdrawn_rumour_loses_its_labels_and_matches_no_more(
    gateway: httpx.Client, flow: Flow, chief: Staff, senior: Staff
) -> None:
    text, rumour_id, posts = labelled_rumour(gateway, flow, chief)
    withdrawal = {"reason": "the authority corrected its refutation"}

    # MB-6.1: only the chief editor withdraws a rumour.
    refused = gateway.post(f"/v1/moderation/rumours/{rumour_id}/withdrawal", headers=senior.auth, json=withdrawal)
    assert refused.status_code == 403, refused.text
    unknown = gateway.post(f"/v1/moderation/rumours/{uuid.uuid4()}/withdrawal", headers=chief.auth, json=withdrawal)
    assert unknown.status_code == 404, unknown.text

    answer = gateway.post(f"/v1/moderation/rumours/{rumour_id}/withdrawal", headers=chief.auth, json=withdrawal)
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert answer.headers["Location"] == f"/v1/moderation/jobs/{body['job_id']}"
    assert body["job"]["kind"] == "rumour.withdrawal" and body["rumour"]["withdrawn_by"].startswith("staff:")
    job = finished(gateway, chief, body["job_id"])
    assert job["state"] == "done" and job["done"] == job["total"] == 2, job
    assert job["detail"]["approved"] == 2, job

    for post, _ in posts:
        poll(lambda post=post: label_of(gateway, post["id"]) is None, what="the label taken off")
        last = decisions_of(gateway, post["id"], chief)[-1]
        assert (last["outcome"], last["stage"], last["rule"]) == ("approve", "retro_scan", "rumour.withdrawn"), last
        assert "MB-11" in last["legal_basis"]

    # It matches no new post, in every moderation process (the policy reload, as a registration).
    spreader = flow.verified_user()
    for _ in range(3):  # several posts: the stack runs two moderation processes
        post = flow.post(spreader, f"{text}（{uuid.uuid4().hex[:4]}）")
        assert settled(gateway, post["id"], spreader) == "published"
        assert label_of(gateway, post["id"]) is None

    again = gateway.post(f"/v1/moderation/rumours/{rumour_id}/withdrawal", headers=chief.auth, json=withdrawal)
    assert again.status_code == 409 and again.json()["requirement"] == "MB-11", again.text
    raised = gateway.post(
        f"/v1/moderation/rumours/{rumour_id}/escalation",
        headers=chief.auth,
        json={
            "action": "stop",
            "reason": "too late",
            "category": Bj10Category.RUMOUR_DISTURBING_ORDER,
            "legal_basis": ["MB-11"],
        },
    )
    assert raised.status_code == 409, raised.text


@pytest.mark.requirement("MB-11")
@pytest.mark.requirement("MB-12.2")
def test_a_rumour_raised_to_a_stop_stops_its_cluster_each_post_reported_once(
    gateway: httpx.Client, flow: Flow, chief: Staff, senior: Staff, national_key: dict[str, str]
) -> None:
    text, rumour_id, posts = labelled_rumour(gateway, flow, chief)
    escalation = {
        "action": "stop",
        "reason": "the rumour is causing panic buying",
        "category": Bj10Category.RUMOUR_DISTURBING_ORDER,
        "legal_basis": ["BJ-7(5)"],
    }
    refused = gateway.post(f"/v1/moderation/rumours/{rumour_id}/escalation", headers=senior.auth, json=escalation)
    assert refused.status_code == 403, refused.text
    bad = gateway.post(
        f"/v1/moderation/rumours/{rumour_id}/escalation", headers=chief.auth, json={**escalation, "action": "label"}
    )
    assert bad.status_code == 422, bad.text

    answer = gateway.post(f"/v1/moderation/rumours/{rumour_id}/escalation", headers=chief.auth, json=escalation)
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["rumour"]["action"] == "stop" and body["job"]["kind"] == "rumour.escalation"
    job = finished(gateway, chief, body["job_id"])
    assert job["state"] == "done" and job["detail"]["stopped"] == 2, job

    for post, author in posts:
        assert poll(lambda p=post, a=author: status_of(gateway, p["id"], a) == "stopped", what="the stop")
        stops = [d for d in decisions_of(gateway, post["id"], chief) if d["outcome"] == "stop_transmission"]
        assert len(stops) == 1 and stops[0]["rule"] == "rumour.escalated", stops
        assert stops[0]["category"] == Bj10Category.RUMOUR_DISTURBING_ORDER
        assert {"MB-11", "MB-12.2", "BJ-7(5)"} <= set(stops[0]["legal_basis"])
        # MB-12.2: each stop reported to the regulator once.
        reports = poll(lambda p=post: reports_for_post(gateway, national_key, p["id"]), what="the report")
        assert len(reports) == 1, reports

    # A new post spreading it is stopped at publication, in every process.
    spreader = flow.verified_user()
    for _ in range(3):
        post = flow.post(spreader, f"{text}（{uuid.uuid4().hex[:4]}）")
        assert settled(gateway, post["id"], spreader) == "stopped"

    again = gateway.post(f"/v1/moderation/rumours/{rumour_id}/escalation", headers=chief.auth, json=escalation)
    assert again.status_code == 409, again.text


@pytest.mark.requirement("MB-6.1")
def test_jobs_are_listed_by_kind_state_and_subject_for_staff_only(
    gateway: httpx.Client, flow: Flow, chief: Staff
) -> None:
    text = rumour_text()
    registered = register_rumour(gateway, chief, text, "经核实，该消息不实。", "市应急管理局", "label")
    assert registered.status_code == 201, registered.text
    rumour = registered.json()
    finished(gateway, chief, rumour["scan_job_id"])
    auditor = flow.staff("auditor")
    listed = gateway.get(
        "/v1/moderation/jobs",
        headers=auditor.auth,
        params={"kind": "rumour.retro_scan", "state": "done", "subject": rumour["id"]},
    )
    assert listed.status_code == 200, listed.text
    assert [j["id"] for j in listed.json()["items"]] == [rumour["scan_job_id"]]
    none = gateway.get(
        "/v1/moderation/jobs", headers=auditor.auth, params={"kind": "rumour.withdrawal", "subject": rumour["id"]}
    )
    assert none.json()["items"] == []
    page = gateway.get("/v1/moderation/jobs", headers=auditor.auth, params={"limit": 1})
    assert len(page.json()["items"]) == 1 and page.json()["next_cursor"]
    assert gateway.get("/v1/moderation/jobs", params={"kind": "nonsense"}, headers=auditor.auth).status_code == 422
    assert gateway.get(f"/v1/moderation/jobs/{uuid.uuid4()}", headers=auditor.auth).status_code == 404
    user = flow.verified_user()
    assert gateway.get(f"/v1/moderation/jobs/{rumour['scan_job_id']}", headers=user.auth).status_code in (401, 403)
