"""Every report carries its evidence (issue 15; MB-12.2, PA-11.2, MB-16.1): through the gateway, a stopped post's
report offers the office of its jurisdiction one document — the sealed snapshot of what was stopped, the
decision with its rule, matches and versions, whether detection and decision were automated, the requirement IDs
and the timestamps — in RFC 8785 canonical JSON, whose SHA-256 the office recomputes, and whose text hashes to the
content_sha256 the decision was made on. Another office gets a 404."""

from __future__ import annotations

import hashlib
import json

import httpx
import pytest
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, regulator_reports, resident_id

PROHIBITED = "出售枪支，价格私聊"


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("PA-11.2")
@pytest.mark.requirement("MB-16.1")
def test_a_stopped_posts_report_carries_evidence_the_office_can_verify(
    flow: Flow, gateway: httpx.Client, platform: StackInfo
) -> None:
    url = platform.database_urls["regulator-gateway"]
    beijing = create_regulator_office(url, name="Beijing evidence office", jurisdiction="110000")
    shanghai = create_regulator_office(url, name="Shanghai evidence office", jurisdiction="310000")
    as_beijing = {"Authorization": f"Bearer {beijing['api_key']}"}
    as_shanghai = {"Authorization": f"Bearer {shanghai['api_key']}"}
    user = flow.register()
    flow.confirm_phone(user)
    user.token = flow.verify_real_name(user, resident_id(region="110108")).json()["access_token"]
    post = flow.post(user, PROHIBITED)

    report = poll(
        lambda: next((r for r in regulator_reports(gateway, as_beijing) if r["post_id"] == post["id"]), None),
        what="the stop's report in Beijing's listing",
    )
    answer = poll(
        lambda: (
            (a := gateway.get(f"/v1/regulator/reports/{report['id']}/evidence", headers=as_beijing)).status_code == 200
            and a
        ),
        what="the report's evidence held",
    )
    evidence = answer.json()
    # The office verifies without trusting the platform: the hash over the canonical bytes, and the text's hash.
    assert hashlib.sha256(evidence["canonical"].encode()).hexdigest() == evidence["sha256"]
    document = json.loads(evidence["canonical"])
    assert document == evidence["document"] and evidence["verified"]
    assert document["report_id"] == report["id"] and document["post_id"] == post["id"]
    assert document["content"]["text"] == PROHIBITED
    assert hashlib.sha256(PROHIBITED.encode()).hexdigest() == document["decision"]["content_sha256"]
    assert report["content_sha256"] == document["decision"]["content_sha256"]
    assert document["author"] == {"account_id": user.id, "province_code": "110000"}
    decision = document["decision"]
    assert decision["outcome"] == "stop_transmission" and decision["stage"] == "publication"
    assert decision["rule"] and decision["versions"]["engine"] and decision["versions"]["lexicon"]
    assert any(m["term"] and m["end"] > m["start"] for m in decision["matches"])
    assert document["automated"] == {"detection": True, "decision": True}
    assert "MB-12.2" in document["requirements"] and "PA-11.2" in document["requirements"]
    assert set(document["timestamps"]) == {"created_at", "decided_at", "stopped_at", "filed_at"}

    # MB-16.1: outside its jurisdiction an office finds no report, and so no evidence.
    refused = gateway.get(f"/v1/regulator/reports/{report['id']}/evidence", headers=as_shanghai)
    assert refused.status_code == 404 and refused.headers["content-type"].startswith("application/problem+json")
