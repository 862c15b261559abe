"""Sanctions and referrals reported to the regulator (issue 15; PA-13.1, PA-13.2, BJ-7(8), MB-16.1): a senior
reviewer suspends an account registered in Beijing; Beijing's office finds one report of kind `sanction` with its
terms (no other province's office does), and once the suspension is lifted the report is amended (status lifted,
version 2); identity learns the gateway holds each version and stops announcing them. The chief editor refers a
stopped post's author to public security: the office gets a `referral` naming the stop's report and its evidence."""

from __future__ import annotations

import httpx
import psycopg
import pytest
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, every_page, resident_id


@pytest.mark.requirement("PA-13.1")
@pytest.mark.requirement("MB-16.1")
def test_a_suspension_is_reported_to_the_accounts_province_and_its_lift_amends_the_report(
    flow: Flow, gateway: httpx.Client, platform: StackInfo
) -> None:
    url = platform.database_urls["regulator-gateway"]
    beijing = {"Authorization": f"Bearer {create_regulator_office(url, name='京', jurisdiction='110000')['api_key']}"}
    shanghai = {"Authorization": f"Bearer {create_regulator_office(url, name='沪', jurisdiction='310000')['api_key']}"}
    user = flow.register()
    flow.confirm_phone(user)
    user.token = flow.verify_real_name(user, resident_id(region="110108")).json()["access_token"]
    senior = flow.staff("senior_reviewer")
    suspended = gateway.post(
        f"/v1/identity/staff/accounts/{user.id}/sanctions",
        headers=senior.auth,
        json={"kind": "suspension", "reason": "反复发布广告", "legal_basis": ["PA-13.1"], "duration_days": 3},
    )
    assert suspended.status_code == 201, suspended.text
    sanction_id = suspended.json()["id"]

    def report_in(key: dict[str, str]) -> dict | None:
        found = every_page(gateway, "/v1/regulator/reports", key, limit=1000, kind="sanction")
        return next((r for r in found if r["decision_id"] == sanction_id), None)

    report = poll(lambda: report_in(beijing), what="the suspension's report in Beijing's listing")
    assert (report["kind"], report["post_id"], report["status"], report["version"]) == ("sanction", None, "filed", 1)
    assert report["account_id"] == user.id and report["province_code"] == "110000"
    assert report["details"]["sanction"] == "suspend_updates" and report["details"]["ends_at"]
    assert report["details"]["imposed_by"].startswith("staff:") and "PA-13.1" in report["legal_basis"]
    assert report_in(shanghai) is None  # MB-16.1: another province's office does not see it
    evidence = gateway.get(f"/v1/regulator/reports/{report['id']}/evidence", headers=beijing)
    assert evidence.status_code == 404  # a sanction's report carries its terms, not a stop's sealed evidence

    lifted = gateway.post(
        f"/v1/identity/staff/sanctions/{sanction_id}/lift", headers=senior.auth, json={"reason": "申诉成立"}
    )
    assert lifted.status_code == 200, lifted.text
    amended = poll(lambda: (r := report_in(beijing)) and r["version"] == 2 and r, what="the report amended by the lift")
    assert amended["status"] == "lifted" and amended["amendments"][0]["kind"] == "lift"
    assert amended["amendments"][0]["reason"] == "申诉成立"

    def reported_version() -> int:
        with psycopg.connect(platform.database_urls["identity"]) as conn:
            return conn.execute("SELECT reported_version FROM sanction WHERE id = %s", (sanction_id,)).fetchone()[0]

    poll(lambda: reported_version() == 2, what="identity told the gateway holds the amended report")


@pytest.mark.requirement("BJ-7(8)")
@pytest.mark.requirement("MB-6.1")
def test_the_chief_editor_refers_a_stopped_posts_author_and_the_office_gets_it_with_the_stops_evidence(
    flow: Flow, gateway: httpx.Client, platform: StackInfo
) -> None:
    url = platform.database_urls["regulator-gateway"]
    beijing = {"Authorization": f"Bearer {create_regulator_office(url, name='京2', jurisdiction='110000')['api_key']}"}
    user = flow.register()
    flow.confirm_phone(user)
    user.token = flow.verify_real_name(user, resident_id(region="110108")).json()["access_token"]
    post = flow.post(user, "出售枪支，价格私聊")
    stop = poll(
        lambda: next(
            (
                r
                for r in every_page(gateway, "/v1/regulator/reports", beijing, limit=1000)
                if r["post_id"] == post["id"]
            ),
            None,
        ),
        what="the stop's report",
    )
    body = {
        "account_id": user.id,
        "post_id": post["id"],
        "category": stop["category"],
        "offence": "涉嫌非法买卖枪支",
        "statement": "该账号发布出售枪支信息，现移送公安机关。",
        "legal_basis": ["MB-12"],
    }
    assert (
        gateway.post("/v1/regulator/staff/referrals", headers=flow.staff("senior_reviewer").auth, json=body).status_code
        == 403
    )
    refused = gateway.post(
        "/v1/regulator/staff/referrals", headers=flow.staff("chief_editor").auth, json={**body, "legal_basis": ["x"]}
    )
    assert refused.status_code == 422
    referred = gateway.post("/v1/regulator/staff/referrals", headers=flow.staff("chief_editor").auth, json=body)
    assert referred.status_code == 201, referred.text
    listed = poll(
        lambda: [r for r in every_page(gateway, "/v1/regulator/reports", beijing, limit=1000, kind="referral")
                 if r["id"] == referred.json()["id"]] or None,
        what="the referral in Beijing's listing",
    )  # fmt: skip
    [report] = listed
    assert report["legal_basis"][0] == "BJ-7(8)" and "MB-12" in report["legal_basis"]
    assert (report["post_id"], report["account_id"], report["province_code"]) == (post["id"], user.id, "110000")
    assert report["details"]["stop_report_id"] == stop["id"] and report["content_sha256"] == stop["content_sha256"]
    assert report["details"]["referred_by"].startswith("staff:") and report["reason"] == "涉嫌非法买卖枪支"
