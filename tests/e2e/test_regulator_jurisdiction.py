"""MB-16.1: each regulator office sees only its own jurisdiction, and every access is recorded."""

from __future__ import annotations

import subprocess

import httpx
import psycopg
import pytest
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from devstack.testing import poll
from journeys import Flow, regulator_reports, resident_id


def create_office(platform: StackInfo, name: str, jurisdiction: str) -> dict:
    return create_regulator_office(platform.database_urls["regulator-gateway"], name=name, jurisdiction=jurisdiction)


@pytest.mark.requirement("MB-16.1")
def test_provincial_offices_see_their_own_province_only(flow: Flow, gateway: httpx.Client, platform: StackInfo) -> None:
    beijing = create_office(platform, "Beijing office", "110000")
    shanghai = create_office(platform, "Shanghai office", "310000")
    as_beijing = {"Authorization": f"Bearer {beijing['api_key']}"}
    as_shanghai = {"Authorization": f"Bearer {shanghai['api_key']}"}

    user = flow.register()
    flow.confirm_phone(user)
    verified = flow.verify_real_name(user, resident_id(region="110108"))  # registered in Beijing
    user.token = verified.json()["access_token"]
    post = flow.post(user, "代办银行卡，私聊")

    def beijing_report() -> dict | None:
        items = regulator_reports(gateway, as_beijing)
        return next((r for r in items if r["post_id"] == post["id"]), None)

    report = poll(beijing_report, what="the report in Beijing's listing")
    assert report["province_code"] == "110000"
    shanghai_items = regulator_reports(gateway, as_shanghai)
    assert all(r["post_id"] != post["id"] for r in shanghai_items)
    assert gateway.get(f"/v1/regulator/reports/{report['id']}", headers=as_shanghai).status_code == 404
    assert (
        gateway.put(f"/v1/regulator/reports/{report['id']}/acknowledgement", headers=as_shanghai, json={}).status_code
        == 404
    )

    with psycopg.connect(platform.database_urls["regulator-gateway"]) as conn:
        accesses = conn.execute(
            "SELECT method, path FROM regulator_access WHERE office_id = %s ORDER BY id", (shanghai["office_id"],)
        ).fetchall()
    assert ("GET", f"/v1/regulator/reports/{report['id']}") in accesses
    assert ("PUT", f"/v1/regulator/reports/{report['id']}/acknowledgement") in accesses


def test_an_invalid_jurisdiction_is_refused(platform: StackInfo) -> None:
    with pytest.raises(subprocess.CalledProcessError) as refused:
        create_office(platform, "Nowhere", "123")
    assert refused.value.returncode == 2
    assert "province code" in refused.value.stderr
    assert "Traceback" not in refused.value.stderr
