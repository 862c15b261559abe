"""Complaints from the public through the gateway (MB-14 / PA-15.2 / BJ-13, issue 14): a receipt at once;
one case per target; the complainant's list and history; refusals (unknown target, an infringement without
the victim's proof, someone else's complaint); a case decided tells every complainant (`complaint_outcome`)
and costs the author credit once (PA-6.2); staff read cases and statistics; the regulator reads its
jurisdiction's handling statistics (PA-15.2). Short deadlines, escalation, breaches and the abuse limit:
test_complaint_deadlines.py (a stack of its own)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from contracts.categories import Bj10Category
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, User, resident_id

CLEAN = "今天去公园散步，天气很好"


def file(flow: Flow, user: User, target_id: str, **fields: object) -> httpx.Response:
    """File, waiting until reporting knows the target (it learns posts and accounts from events)."""

    def filed() -> httpx.Response | None:
        answer = flow.gw.post("/v1/complaints", headers=user.auth, json={"target_id": target_id, **fields})
        unknown = answer.status_code == 422 and answer.json().get("type", "").endswith(
            ("/unknown-post", "/unknown-target")
        )
        return None if unknown else answer

    return poll(filed, what=f"a complaint about {target_id}")


def notifications(gw: httpx.Client, user: User) -> list[dict]:
    answer = gw.get("/v1/notifications", headers=user.auth)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


@pytest.mark.requirement("MB-14")
@pytest.mark.requirement("BJ-13")
def test_a_complaint_is_answered_with_a_receipt_and_followed_through_its_history(flow: Flow) -> None:
    author, reader, other = flow.verified_user(), flow.register(), flow.register()
    post = flow.post(author, f"{CLEAN} {uuid.uuid4().hex[:6]}")
    answer = file(
        flow,
        reader,
        post["id"],
        reason=Bj10Category.RUMOUR_DISTURBING_ORDER,
        detail="编造的消息",
        evidence={"media_ids": [str(uuid.uuid4())], "urls": ["https://example.org/a"]},
    )
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert receipt["receipt_number"].startswith("QL") and receipt["case_id"] and receipt["deadline"]
    assert receipt["status"] == "received" and "MB-14" in receipt["legal_basis"]
    second = file(flow, other, post["id"], reason="spam")
    assert second.json()["case_id"] == receipt["case_id"]  # one case per target
    assert second.json()["receipt_number"] != receipt["receipt_number"]

    mine = flow.gw.get("/v1/complaints", headers=reader.auth, params={"limit": 1})
    assert mine.status_code == 200 and [c["id"] for c in mine.json()["items"]] == [receipt["id"]]
    shown = flow.gw.get(f"/v1/complaints/{receipt['id']}", headers=reader.auth).json()
    assert [s["step"] for s in shown["history"]] == ["received", "grouped"]
    assert shown["evidence"]["urls"] == ["https://example.org/a"]
    # Someone else's complaint is not found (MB-14).
    assert flow.gw.get(f"/v1/complaints/{receipt['id']}", headers=other.auth).status_code == 404


@pytest.mark.requirement("MB-14")
def test_unknown_targets_and_an_infringement_without_the_victims_proof_are_refused(flow: Flow) -> None:
    author, reader = flow.verified_user(), flow.register()
    unknown_post = flow.gw.post(
        "/v1/complaints", headers=reader.auth, json={"target_id": str(uuid.uuid4()), "reason": "spam"}
    )
    assert unknown_post.status_code == 422 and unknown_post.json()["requirement"] == "MB-14"
    unknown_account = flow.gw.post(
        "/v1/complaints",
        headers=reader.auth,
        json={"target_type": "account", "target_id": str(uuid.uuid4()), "reason": "impersonation"},
    )
    assert unknown_account.status_code == 422 and unknown_account.json()["type"].endswith("/unknown-target")
    post = flow.post(author, f"{CLEAN} {uuid.uuid4().hex[:6]}")
    flow.complain(reader, post["id"])  # the post is known now
    without = flow.gw.post(
        "/v1/complaints",
        headers=reader.auth,
        json={"target_id": post["id"], "reason": "infringement.privacy"},
    )
    assert without.status_code == 422, without.text
    assert without.json()["type"].endswith("/victim-proof-missing") and without.json()["requirement"] == "MB-14"
    proof = {"relationship": "self", "statement": "照片是我本人", "media_ids": [str(uuid.uuid4())]}
    with_proof = flow.gw.post(
        "/v1/complaints",
        headers=reader.auth,
        json={"target_id": post["id"], "reason": "infringement.privacy", "victim_proof": proof},
    )
    assert with_proof.status_code == 201, with_proof.text
    # A complaint about an account: known to reporting from identity's announcement.
    account = file(flow, reader, author.id, target_type="account", reason="impersonation")
    assert account.status_code == 201, account.text and account.json()["target_type"] == "account"


@pytest.mark.requirement("MB-14")
@pytest.mark.requirement("PA-6.2")
@pytest.mark.requirement("PA-15.2")
def test_a_decided_case_tells_every_complainant_and_is_seen_by_staff_and_the_regulator(
    flow: Flow, platform: StackInfo
) -> None:
    author = flow.register()
    flow.confirm_phone(author)
    verified = flow.verify_real_name(author, resident_id(region="650102"))  # Xinjiang: 650000
    assert verified.status_code == 201, verified.text
    author.token = verified.json()["access_token"]
    post = flow.post(author, f"{CLEAN} {uuid.uuid4().hex[:6]}")
    reporters = [flow.register() for _ in range(2)]
    filed = [flow.complain(r, post["id"]) for r in reporters]
    case_id = filed[0]["case_id"]

    reviewer, auditor = flow.staff("reviewer"), flow.staff("auditor")
    listed = flow.gw.get(
        "/v1/reporting/staff/cases", headers=auditor.auth, params={"state": "open", "limit": 500}
    ).json()["items"]
    assert case_id in {c["id"] for c in listed}
    case = flow.gw.get(f"/v1/reporting/staff/cases/{case_id}", headers=reviewer.auth).json()
    assert case["complaint_count"] == 2 and case["author_id"] == author.id and case["state"] == "open"
    assert {c["complainant_id"] for c in case["complaints"]} == {r.id for r in reporters}
    assert all(c["weight"] == 1.0 for c in case["complaints"])
    assert reporters[0].mobile not in str(case)  # account ids only, never personal data

    decided = flow.gw.post(
        f"/v1/reporting/staff/complaints/{filed[1]['id']}/outcome",
        headers=reviewer.auth,
        json={"upheld": True, "note": "谣言，已核实"},
    )
    assert decided.status_code == 200, decided.text
    for reporter, complaint in zip(reporters, filed, strict=True):
        notice = poll(
            lambda r=reporter, c=complaint: next(
                (
                    n
                    for n in notifications(flow.gw, r)
                    if n["kind"] == "complaint_outcome" and n["complaint"]["complaint_id"] == c["id"]
                ),
                None,
            ),
            what="the complaint's outcome told to its complainant",
        )
        assert notice["complaint"]["outcome"] == "upheld" and notice["reasons"]["reason"] == "谣言，已核实"
        shown = flow.gw.get(f"/v1/complaints/{complaint['id']}", headers=reporter.auth).json()
        assert shown["status"] == "upheld" and shown["history"][-1]["step"] == "decided"
        assert shown["history"][-1]["detail"]["reason"] == "谣言，已核实"
    # PA-6.2: one penalty for the case, however many complaints it grouped.
    standing = poll(
        lambda: (c := flow.gw.get("/v1/accounts/me/credit", headers=author.auth).json())["credit_score"] == 118 and c,
        what="the upheld case in the author's ledger",
    )
    assert [e["cause"] for e in standing["ledger"]].count("complaint_upheld") == 1

    stats = flow.gw.get("/v1/reporting/staff/statistics", headers=auditor.auth)
    assert stats.status_code == 200, stats.text
    rumours = {s["category"]: s for s in stats.json()["categories"]}[Bj10Category.RUMOUR_DISTURBING_ORDER]
    assert rumours["handled"] >= 1 and rumours["upheld_rate"] is not None

    # PA-15.2 / MB-16.1: the office of the author's province sees the case in its statistics; another doesn't.
    xinjiang = create_regulator_office(
        platform.database_urls["regulator-gateway"], name="Xinjiang", jurisdiction="650000"
    )
    tibet = create_regulator_office(platform.database_urls["regulator-gateway"], name="Tibet", jurisdiction="540000")

    def office_stats(office: dict) -> dict:
        answer = flow.gw.get(
            "/v1/regulator/complaint-statistics", headers={"Authorization": f"Bearer {office['api_key']}"}
        )
        assert answer.status_code == 200, answer.text
        return {s["category"]: s for s in answer.json()["categories"]}

    seen = poll(
        lambda: (s := office_stats(xinjiang).get(Bj10Category.RUMOUR_DISTURBING_ORDER)) and s["handled"] >= 1 and s,
        what="the handled case in the province's complaint statistics",
    )
    assert seen["upheld_rate"] is not None and seen["median_handling_s"] is not None
    assert Bj10Category.RUMOUR_DISTURBING_ORDER not in office_stats(tibet)


@pytest.mark.requirement("PA-15.2")
def test_statistics_refuse_a_period_that_ends_before_it_starts(flow: Flow) -> None:
    reviewer = flow.staff("reviewer")
    refused = flow.gw.get(
        "/v1/reporting/staff/statistics",
        headers=reviewer.auth,
        params={"from": "2025-02-01T00:00:00Z", "to": "2025-01-01T00:00:00Z"},
    )
    assert refused.status_code == 422 and refused.json()["requirement"] == "PA-15.2"
