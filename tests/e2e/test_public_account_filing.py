"""PA-7.1: an approved public account is filed with the office of its province (and that office alone),
without personal data; its province is learned, so a stop of what it publishes is reported to that office
too (MB-12.2, MB-16.1), though a public account verifies no real name itself."""

from __future__ import annotations

import httpx
import pytest
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, regulator_filings, reports_for_post


def _office(platform: StackInfo, jurisdiction: str) -> dict[str, str]:
    office = create_regulator_office(
        platform.database_urls["regulator-gateway"], name=f"Office {jurisdiction}", jurisdiction=jurisdiction
    )
    return {"Authorization": f"Bearer {office['api_key']}"}


@pytest.mark.requirement("PA-7.1")
@pytest.mark.requirement("MB-16.1")
def test_an_approved_public_account_is_filed_with_its_provinces_office(
    flow: Flow, gateway: httpx.Client, platform: StackInfo
) -> None:
    account = flow.public_account(category="culture", business_scope="读书笔记")  # an individual of Beijing
    beijing, shanghai = _office(platform, "110000"), _office(platform, "310000")

    def filed() -> list[dict]:
        return [f for f in regulator_filings(gateway, beijing, "public_account") if f["account_id"] == account.id]

    [filing] = poll(filed, what="the public account's filing in Beijing")
    assert filing["province_code"] == "110000" and "PA-7.1" in filing["legal_basis"]
    details = filing["details"]
    assert (details["name"], details["kind"], details["label"]) == (account.name, "individual", "个人")
    assert (details["category"], details["business_scope"]) == ("culture", "读书笔记")
    assert account.owner.id not in str(details)  # no personal data: not even who owns it
    assert all(f["account_id"] != account.id for f in regulator_filings(gateway, shanghai, "public_account"))

    # What it publishes and is stopped is reported to its province's office.
    created = gateway.post("/v1/posts", headers=account.auth, json={"text": "代办银行卡，私聊"})
    assert created.status_code == 201, created.text
    [report] = poll(lambda: reports_for_post(gateway, beijing, created.json()["id"]), what="the report in Beijing")
    assert report["account_id"] == account.id and report["province_code"] == "110000"
    assert reports_for_post(gateway, shanghai, created.json()["id"]) == []
