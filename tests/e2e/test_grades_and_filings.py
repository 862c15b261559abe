"""Graded management (MB-9) and operators of many public accounts (PA-7.3): rules as data, published
by the chief editor, filed with the regulator; grades announced; declarations filed by province."""

from __future__ import annotations

import pytest
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, User, confirmed_user, credit_code, regulator_filings


def national(platform: StackInfo) -> dict[str, str]:
    office = create_regulator_office(platform.database_urls["regulator-gateway"], name="CAC", jurisdiction="national")
    return {"Authorization": f"Bearer {office['api_key']}"}


def filings(flow: Flow, key: dict[str, str], kind: str) -> list[dict]:
    return regulator_filings(flow.gw, key, kind)


@pytest.mark.requirement("MB-9")
def test_grading_rules_are_data_published_by_the_chief_editor_filed_and_applied(
    flow: Flow, platform: StackInfo
) -> None:
    user = flow.verified_user()
    before = flow.gw.get("/v1/identity/grading-rules").json()
    rules = before["rules"]["rules"] + [{"grade": 9, "name": "test grade", "min_credit": 120, "min_followers": 0}]
    reviewer, chief = flow.staff("reviewer"), flow.staff("chief_editor")
    assert flow.gw.post("/v1/identity/grading-rules", headers=reviewer.auth, json={"rules": rules}).status_code == 403
    assert flow.gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": []}).status_code == 422
    published = flow.gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": rules})
    assert published.status_code == 201, published.text
    version = published.json()["version"]
    assert version == before["version"] + 1 and published.json()["regraded_accounts"] >= 1
    assert flow.gw.get("/v1/accounts/me/credit", headers=user.auth).json()["grade"] == 9
    key = national(platform)
    filed = poll(
        lambda: [f for f in filings(flow, key, "grading_rules") if f["details"]["version"] == version],
        what="the grading rules filed",
    )
    assert "MB-9" in filed[0]["legal_basis"]
    restored = flow.gw.post("/v1/identity/grading-rules", headers=chief.auth, json={"rules": before["rules"]["rules"]})
    assert restored.status_code == 201
    assert flow.gw.get("/v1/accounts/me/credit", headers=user.auth).json()["grade"] != 9


def organization(flow: Flow, number: str) -> User:
    user = confirmed_user(flow)
    verified = flow.gw.post(
        "/v1/accounts/me/real-name",
        headers=user.auth,
        json={"subject_type": "organization", "legal_name": "某传媒集团", "id_number": number},
    )
    assert verified.status_code == 201, verified.text
    user.token = verified.json()["access_token"]
    return user


@pytest.mark.requirement("PA-7.3")
def test_an_operator_of_many_accounts_declares_them_and_is_filed_by_province(flow: Flow, platform: StackInfo) -> None:
    number = credit_code("330106")  # Hangzhou, Zhejiang
    group = [organization(flow, number) for _ in range(3)]
    outsider = flow.verified_user()
    body = {"registrant": "某传媒集团", "business_scope": "新闻资讯、文化传播", "accounts": [u.id for u in group]}
    refused = flow.gw.post(
        "/v1/accounts/me/operator-declaration",
        headers=group[0].auth,
        json={**body, "accounts": [*body["accounts"], outsider.id]},
    )
    assert refused.status_code == 422 and refused.json()["requirement"] == "PA-7.3"
    individual = flow.gw.post("/v1/accounts/me/operator-declaration", headers=outsider.auth, json=body)
    assert individual.status_code == 403
    declared = flow.gw.post("/v1/accounts/me/operator-declaration", headers=group[0].auth, json=body)
    assert declared.status_code == 201, declared.text
    assert declared.json()["province_code"] == "330000"
    zhejiang = create_regulator_office(platform.database_urls["regulator-gateway"], name="ZJ", jurisdiction="330000")
    key = {"Authorization": f"Bearer {zhejiang['api_key']}"}
    filed = poll(
        lambda: [f for f in filings(flow, key, "multi_account_operator") if f["account_id"] == group[0].id],
        what="the declaration filed in Zhejiang",
    )
    assert sorted(filed[0]["details"]["accounts"]) == sorted(u.id for u in group)
