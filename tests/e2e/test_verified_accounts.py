"""Verified ("V") accounts (MB-8, MB-10) and impersonation (CM), through the gateway."""

from __future__ import annotations

import base64
import hashlib

import pytest
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, User, confirmed_user, credit_code, regulator_filings

PROOF = b"%PDF-1.4 business licence scan (test)"


def proof(content: bytes = PROOF) -> dict:
    return {
        "filename": "licence.pdf",
        "content_type": "application/pdf",
        "content_base64": base64.b64encode(content).decode(),
    }


def enterprise(flow: Flow, name: str, number: str) -> User:
    user = confirmed_user(flow)
    verified = flow.gw.post(
        "/v1/accounts/me/real-name",
        headers=user.auth,
        json={"subject_type": "organization", "legal_name": name, "id_number": number},
    )
    assert verified.status_code == 201, verified.text
    user.token = verified.json()["access_token"]
    return user


@pytest.mark.requirement("MB-8")
@pytest.mark.requirement("MB-10.1")
def test_a_v_application_is_reviewed_shown_and_filed_by_province(flow: Flow, platform: StackInfo) -> None:
    number = credit_code("440305")  # registered in Shenzhen, Guangdong
    company = enterprise(flow, "深圳市青朗科技有限公司", number)
    applied = flow.gw.post(
        "/v1/accounts/me/verified-applications",
        headers=company.auth,
        json={
            "v_type": "enterprise",
            "proof_name": "深圳市青朗科技有限公司",
            "proof_number": number,
            "files": [proof()],
        },
    )
    assert applied.status_code == 201, applied.text
    application = applied.json()
    assert application["status"] == "submitted"
    assert application["files"][0]["sha256"] == hashlib.sha256(PROOF).hexdigest()

    senior = flow.staff("senior_reviewer")
    queue = flow.gw.get("/v1/identity/staff/verified-applications", headers=senior.auth).json()["items"]
    assert application["id"] in [a["id"] for a in queue]
    reviewer = flow.staff("reviewer")
    path = f"/v1/identity/staff/verified-applications/{application['id']}/decision"
    assert flow.gw.post(path, headers=reviewer.auth, json={"approve": True, "reason": "ok"}).status_code == 403
    approved = flow.gw.post(path, headers=senior.auth, json={"approve": True, "reason": "licence checked"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert flow.gw.post(path, headers=senior.auth, json={"approve": True, "reason": "again"}).status_code == 409

    profile = flow.gw.get(f"/v1/accounts/{company.id}/profile").json()
    assert profile["verified"] == {"type": "enterprise", "name": "深圳市青朗科技有限公司"}

    guangdong = create_regulator_office(platform.database_urls["regulator-gateway"], name="GD", jurisdiction="440000")
    filings = poll(
        lambda: [
            f
            for f in regulator_filings(flow.gw, {"Authorization": f"Bearer {guangdong['api_key']}"}, "verified_account")
            if f["account_id"] == company.id
        ],
        what="the verified account filed in Guangdong",
    )
    assert filings[0]["details"]["proof_sha256"] == [hashlib.sha256(PROOF).hexdigest()]
    # MB-7.3: the name the account shows is filed, the name on the proof is not (an organization shows it).
    assert filings[0]["details"]["display_name"] == "深圳市青朗科技有限公司"
    assert "verified_name" not in filings[0]["details"]
    assert "MB-10.1" in filings[0]["legal_basis"] and number not in str(filings)


@pytest.mark.requirement("MB-8")
def test_a_proof_that_does_not_match_the_verified_identity_is_refused_with_the_reason(flow: Flow) -> None:
    number = credit_code("110108")
    company = enterprise(flow, "北京某某传媒有限公司", number)
    cases = [
        ({"v_type": "individual", "display_name": "某某传媒"}, "needs a verified individual"),
        ({"proof_name": "北京另一家公司"}, "name on the proof"),
        ({"proof_number": credit_code("110108")}, "number on the proof"),
    ]
    for change, why in cases:
        body = {
            "v_type": "media",
            "proof_name": "北京某某传媒有限公司",
            "proof_number": number,
            "files": [proof()],
            **change,
        }
        refused = flow.gw.post("/v1/accounts/me/verified-applications", headers=company.auth, json=body)
        assert refused.status_code == 201, refused.text
        assert refused.json()["status"] == "refused" and why in refused.json()["reason"]
    # Traditional characters and full-width forms of the same name are the same name.
    same = flow.gw.post(
        "/v1/accounts/me/verified-applications",
        headers=company.auth,
        json={"v_type": "media", "proof_name": "北京某某傳媒有限公司", "proof_number": number, "files": [proof()]},
    )
    assert same.json()["status"] == "submitted"


@pytest.mark.requirement("CM")
def test_names_imitating_government_bodies_or_verified_accounts_are_refused(flow: Flow) -> None:
    user = flow.verified_user()
    for name in ("国务院", "國務院辦公", "人民 日报", "新華社-官方"):
        refused = flow.gw.put("/v1/accounts/me/profile", headers=user.auth, json={"display_name": name})
        assert refused.status_code == 422, (name, refused.text)
        assert refused.json()["type"].endswith("/impersonation") and refused.json()["requirement"] == "CM"
    assert (
        flow.gw.put("/v1/accounts/me/profile", headers=user.auth, json={"display_name": "小张爱摄影"}).status_code
        == 200
    )

    # A verified account's name becomes protected: others may not imitate it, the account itself may use it.
    number = credit_code("310115")
    company = enterprise(flow, "上海青朗文化传播有限公司", number)
    applied = flow.gw.post(
        "/v1/accounts/me/verified-applications",
        headers=company.auth,
        json={
            "v_type": "enterprise",
            "proof_name": "上海青朗文化传播有限公司",
            "proof_number": number,
            "files": [proof()],
        },
    ).json()
    senior = flow.staff("chief_editor")
    flow.gw.post(
        f"/v1/identity/staff/verified-applications/{applied['id']}/decision",
        headers=senior.auth,
        json={"approve": True, "reason": "checked"},
    )
    own = flow.gw.put(
        "/v1/accounts/me/profile", headers=company.auth, json={"display_name": "上海青朗文化传播有限公司"}
    )
    assert own.status_code == 200
    copycat = flow.gw.put(
        "/v1/accounts/me/profile", headers=user.auth, json={"display_name": "上海青朗文化傳播有限公司粉丝团"}
    )
    assert copycat.status_code == 422 and copycat.json()["requirement"] == "CM"


@pytest.mark.requirement("MB-7.3")
@pytest.mark.requirement("CM")
def test_an_individual_v_account_shows_a_chosen_name_checked_for_impersonation(flow: Flow) -> None:
    user = flow.verified_user()  # legal name 张三
    body = {"v_type": "individual", "proof_name": "张三", "proof_number": "unused", "files": [proof()]}
    path = "/v1/accounts/me/verified-applications"
    missing = flow.gw.post(path, headers=user.auth, json=body)
    assert missing.status_code == 422 and missing.json()["requirement"] == "MB-7.3"
    copycat = flow.gw.post(path, headers=user.auth, json={**body, "display_name": "国务院办公"})
    assert copycat.status_code == 422 and copycat.json()["requirement"] == "CM"
