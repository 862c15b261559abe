"""Regulator offices through the gateway (issue 15, MB-16.1, MB-3, MB-12.2): an office's key rotated (the old and
the new one both work within the overlap) and revoked (401); an office over its rate per minute refused (429) while
another office is not; the office reads its own access record; reports batch-acknowledged with a result per item.

On a stack of this module's own with a small rate (OFFICE_RATE_PER_MINUTE) and two regulator-gateway processes:
the limit is counted in PostgreSQL, so it holds across them. The gateway answers every 429 of a service with its own
problem (deploy/gateway: the errors middleware keeps none of the service's headers), so the service's own problem
type and Retry-After are checked where the gateway sends the request: at the service (as tests/e2e/test_abuse.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import psycopg
import pytest
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from devstack.testing import make_stack, poll
from journeys import Flow, resident_id

RATE = 30  # requests per office per minute on this module's stack


@dataclass
class Offices:
    info: StackInfo
    gw: httpx.Client
    service: httpx.Client  # straight to regulator-gateway, as the gateway calls it
    flow: Flow

    @property
    def database_url(self) -> str:
        return self.info.database_urls["regulator-gateway"]

    def create(self, jurisdiction: str) -> tuple[str, dict[str, str]]:
        office = create_regulator_office(self.database_url, name=f"Office {jurisdiction}", jurisdiction=jurisdiction)
        return office["office_id"], bearer(office["api_key"])

    def command(self, *args: str) -> dict:
        """An operator command of the regulator gateway (regulator_gateway.cli), its JSON."""
        done = subprocess.run(
            [sys.executable, "-m", "regulator_gateway.cli", *args],
            env={**os.environ, "DATABASE_URL": self.database_url},
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(done.stdout)

    def stopped_report(self, region: str, text: str) -> str:
        """A verified user registered in ``region`` posts what moderation stops: its report's id (MB-12.2),
        read from the gateway's database (polling an office's API would spend the office's rate)."""
        user = self.flow.register()
        self.flow.confirm_phone(user)
        verified = self.flow.verify_real_name(user, resident_id(region=region))
        assert verified.status_code == 201, verified.text
        user.token = verified.json()["access_token"]
        post = self.flow.post(user, text)

        def filed() -> str | None:
            with psycopg.connect(self.database_url) as conn:
                row = conn.execute(
                    "SELECT id FROM report WHERE post_id = %s AND province_code IS NOT NULL", (post["id"],)
                ).fetchone()
            return str(row[0]) if row else None

        return poll(filed, timeout_s=60, interval_s=0.2, what="the stop's report, with its province")


def bearer(api_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_key}"}


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Offices]:
    stack = make_stack(tmp_path_factory.mktemp("offices"), external_ok=False)
    stack.config.workers = {**stack.config.workers, "regulator-gateway": 2}  # one limit across processes
    stack.config.service_env["regulator-gateway"] = {
        **stack.config.service_env["regulator-gateway"],
        "OFFICE_RATE_PER_MINUTE": str(RATE),
    }
    try:
        info = stack.up()
        with (
            httpx.Client(base_url=info.gateway_url, timeout=15) as gw,
            httpx.Client(base_url=info.service_urls["regulator-gateway"], timeout=15) as service,
        ):
            yield Offices(info, gw, service, Flow(gw, info))
    finally:
        stack.down()


@pytest.mark.requirement("MB-16.1")
@pytest.mark.requirement("MB-3")
def test_a_rotated_key_overlaps_the_old_one_and_a_revoked_key_is_refused(offices: Offices) -> None:
    office, old = offices.create("110000")
    rotated = offices.command("rotate-office-key", "--office", office, "--overlap-hours", "24")
    new = bearer(rotated["api_key"])
    for key in (old, new):  # both work within the overlap
        assert offices.gw.get("/v1/regulator/reports", headers=key).status_code == 200
    keys = offices.command("list-office-keys", "--office", office)["keys"]
    assert rotated["api_key"] not in json.dumps(keys)  # ids only, never a key
    [old_id] = [k["key_id"] for k in keys if k["key_id"] != rotated["key_id"]]
    assert [k["expires_at"] is not None for k in keys] == [True, False]

    offices.command("revoke-office-key", "--office", office, "--key-id", old_id)
    refused = offices.gw.get("/v1/regulator/reports", headers=old)
    assert refused.status_code == 401 and refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("/unauthorized")
    assert offices.gw.get("/v1/regulator/reports", headers=new).status_code == 200
    offices.command("revoke-office-key", "--office", office)  # every key of the office
    assert offices.gw.get("/v1/regulator/reports", headers=new).status_code == 401


def _early_in_a_minute(offices: Offices) -> None:
    """The database's minute (the rate's window) has 20 s left at least, so the requests below share one."""

    def early() -> bool:
        with psycopg.connect(offices.database_url) as conn:
            return conn.execute("SELECT extract(second FROM now()) < 40").fetchone()[0]

    poll(early, timeout_s=30, interval_s=0.5, what="an early moment in a minute")


@pytest.mark.requirement("MB-16.1")
@pytest.mark.requirement("MB-3")
def test_an_office_over_its_rate_is_refused_and_another_office_is_not(offices: Offices) -> None:
    _, busy = offices.create("national")
    _, other = offices.create("310000")
    _early_in_a_minute(offices)
    answers = [offices.gw.get("/v1/regulator/reports", headers=busy).status_code for _ in range(RATE)]
    assert answers == [200] * RATE  # two processes answered them: one count
    refused = offices.gw.get("/v1/regulator/reports", headers=busy)
    assert refused.status_code == 429 and refused.headers["content-type"].startswith("application/problem+json")
    at_service = offices.service.get("/v1/regulator/reports", headers=busy)
    assert at_service.status_code == 429 and at_service.json()["type"].endswith("/office-rate-limited")
    assert 1 <= int(at_service.headers["Retry-After"]) <= 60 and at_service.json()["requirement"] == "MB-16.1"
    assert offices.gw.get("/v1/regulator/reports", headers=other).status_code == 200  # unaffected


@pytest.mark.requirement("MB-16.1")
def test_an_office_reads_its_own_access_record_and_staff_auditors_every_offices(offices: Offices) -> None:
    office, key = offices.create("440000")
    _, other = offices.create("440000")
    missing = uuid.uuid4()
    assert offices.gw.get("/v1/regulator/reports", params={"requirement": "MB-12.2", "stage": "review"},
                          headers=key).status_code == 200  # fmt: skip
    assert offices.gw.get(f"/v1/regulator/reports/{missing}", headers=key).status_code == 404
    assert offices.gw.get("/v1/regulator/reports", headers=other).status_code == 200

    record = offices.gw.get("/v1/regulator/accesses", headers=key)
    assert record.status_code == 200, record.text
    accesses = record.json()["items"]
    [key_id] = [k["key_id"] for k in offices.command("list-office-keys", "--office", office)["keys"]]
    assert [(a["method"], a["route"], a["status"]) for a in accesses] == [
        ("GET", "/v1/regulator/reports", 200),
        ("GET", "/v1/regulator/reports/{report_id}", 404),
    ]
    assert accesses[0]["filters"] == {"requirement": "MB-12.2", "stage": "review"}
    assert {a["key_id"] for a in accesses} == {key_id} and accesses[1]["path"].endswith(str(missing))

    auditor = offices.flow.staff("auditor")
    staff_view = offices.gw.get("/v1/regulator/staff/accesses", params={"office_id": office}, headers=auditor.auth)
    assert staff_view.status_code == 200, staff_view.text
    seen = staff_view.json()["items"]
    assert [a["id"] for a in seen[:2]] == [a["id"] for a in accesses] and {a["office_id"] for a in seen} == {office}
    assert seen[2]["route"] == "/v1/regulator/accesses"  # the office's read of its own record
    assert offices.gw.get("/v1/regulator/staff/accesses", headers=key).status_code in (401, 403)


@pytest.mark.requirement("MB-12.2")
@pytest.mark.requirement("MB-16.1")
def test_reports_are_filtered_and_batch_acknowledged_with_a_result_per_item(offices: Offices) -> None:
    _, beijing = offices.create("110000")
    fresh = offices.stopped_report("110108", "代办银行卡，私聊")
    earlier = offices.stopped_report("110105", "代办银行卡，私聊加微信")
    elsewhere = offices.stopped_report("310104", "代办银行卡，私聊")
    assert offices.gw.put(f"/v1/regulator/reports/{earlier}/acknowledgement", headers=beijing,
                          json={"reference": "BJ-1"}).status_code == 200  # fmt: skip

    listed = offices.gw.get(
        "/v1/regulator/reports", params={"requirement": "MB-12.2", "province": "110000", "limit": 1000}, headers=beijing
    )
    assert listed.status_code == 200, listed.text
    ids = {r["id"] for r in listed.json()["items"]}
    assert {fresh, earlier} <= ids and elsewhere not in ids
    report = next(r for r in listed.json()["items"] if r["id"] == fresh)
    stage = offices.gw.get(
        "/v1/regulator/reports",
        params={"kind": "stop", "stage": report["stage"], "category": report["category"]},
        headers=beijing,
    )
    assert report["kind"] == "stop" and report["stage"] and fresh in {r["id"] for r in stage.json()["items"]}

    missing = str(uuid.uuid4())
    batch = offices.gw.post(
        "/v1/regulator/reports/acknowledgements",
        headers=beijing,
        json={"items": [{"report_id": r, "reference": f"BJ-{n}"} for n, r in
                        enumerate([fresh, earlier, missing, elsewhere], start=2)]},
    )  # fmt: skip
    assert batch.status_code == 200, batch.text
    assert [(r["report_id"], r["result"]) for r in batch.json()["results"]] == [
        (fresh, "acknowledged"),
        (earlier, "already_acknowledged"),
        (missing, "not_found"),
        (elsewhere, "outside_jurisdiction"),
    ]
    assert batch.json()["counts"] == {
        "acknowledged": 1, "already_acknowledged": 1, "not_found": 1, "outside_jurisdiction": 1
    }  # fmt: skip
    read = offices.gw.get(f"/v1/regulator/reports/{fresh}", headers=beijing).json()
    assert read["acknowledged_at"] and read["ack_reference"] == "BJ-2"
    assert offices.gw.get(f"/v1/regulator/reports/{earlier}", headers=beijing).json()["ack_reference"] == "BJ-1"
