"""Complaint deadlines on a stack of their own with windows of seconds (the shared platform's hours are out
of a test's reach): an unhandled case is escalated at COMPLAINT_ESCALATE_AT of its window (announced again,
urgent; the complainant's history shows it) and its breach recorded when the deadline passes (MB-14,
PA-15.2); an account past its filing limit is refused 403 `quota-reached` with Retry-After (abuse limits)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
from devstack.testing import make_stack, poll
from journeys import Flow

WINDOW_S = 12.0


@pytest.fixture(scope="module")
def deadline_flow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flow]:
    stack = make_stack(tmp_path_factory.mktemp("deadlines"), external_ok=False)
    stack.config.service_env["reporting"] = {
        **stack.config.service_env.get("reporting", {}),
        "COMPLAINT_DEADLINE_HOURS": json.dumps({"default": WINDOW_S / 3600}),
        "COMPLAINT_ESCALATE_AT": "0.25",
        "COMPLAINT_DEADLINE_SCAN_S": "0.5",
        "COMPLAINT_FILING_LIMIT": "3",
    }
    try:
        info = stack.up()
        with httpx.Client(base_url=info.gateway_url, timeout=15) as gw:
            yield Flow(gw, info)
    finally:
        stack.down()


@pytest.mark.requirement("MB-14")
@pytest.mark.requirement("PA-15.2")
def test_an_unhandled_case_is_escalated_then_its_breach_recorded(deadline_flow: Flow) -> None:
    flow = deadline_flow
    author, reader = flow.verified_user(), flow.register()
    post = flow.post(author, f"今天天气很好 {uuid.uuid4().hex[:6]}")
    complaint = flow.complain(reader, post["id"], reason="spam")
    reviewer = flow.staff("reviewer")

    def case() -> dict:
        return flow.gw.get(f"/v1/reporting/staff/cases/{complaint['case_id']}", headers=reviewer.auth).json()

    escalated = poll(lambda: (c := case())["escalated_at"] and c, timeout_s=WINDOW_S, what="the case escalated")
    assert escalated["priority"] == 3 and escalated["version"] >= 2 and not escalated["breached_at"]
    history = flow.gw.get(f"/v1/complaints/{complaint['id']}", headers=reader.auth).json()["history"]
    assert [s["step"] for s in history] == ["received", "grouped", "escalated"]
    breached = poll(lambda: (c := case())["breached_at"] and c, timeout_s=WINDOW_S * 2, what="the breach recorded")
    assert breached["overdue"] is True
    overdue = flow.gw.get(
        "/v1/reporting/staff/cases", headers=reviewer.auth, params={"overdue": "true", "state": "open"}
    ).json()["items"]
    assert complaint["case_id"] in {c["id"] for c in overdue}
    stats = flow.gw.get("/v1/reporting/staff/statistics", headers=reviewer.auth).json()["categories"]
    assert {s["category"]: s for s in stats}["spam"]["breaches"] >= 1


@pytest.mark.requirement("MB-14")
def test_an_account_past_its_filing_limit_is_refused_until_the_window_passes(deadline_flow: Flow) -> None:
    flow = deadline_flow
    author, reader = flow.verified_user(), flow.register()
    post = flow.post(author, f"今天天气很好 {uuid.uuid4().hex[:6]}")
    for _ in range(3):
        flow.complain(reader, post["id"], reason="spam")
    refused = flow.gw.post("/v1/complaints", headers=reader.auth, json={"target_id": post["id"], "reason": "spam"})
    assert refused.status_code == 403, refused.text
    assert refused.json()["type"].endswith("/quota-reached") and refused.json()["requirement"] == "MB-14"
    assert int(refused.headers["Retry-After"]) > 0
