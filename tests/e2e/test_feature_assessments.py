"""MB-13, PA-12.1: a gated feature's security assessment, filed by the chief editor with the national office
or a province's, acknowledged by that office with its receipt (what opens the gate), withdrawn (what closes
it), each announced on ``regulator.assessment.v1`` and announced again while in force.

The gates themselves (content refusing a gated feature until its version is acknowledged) are proven where
the features are offered. These tests assess versions above the current one (a version may be assessed
before it ships), so that they leave the current versions' gates as they found them."""

from __future__ import annotations

import asyncio
import base64
import random
import uuid

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from contracts import regulator
from contracts.features import GatedFeature
from devstack.cli import create_regulator_office
from devstack.stack import StackInfo
from journeys import Flow, Staff, regulator_filings
from qinglang.regulator.v1 import assessment_pb2

ASSESSMENTS = "/v1/regulator/staff/assessments"


def _office(platform: StackInfo, jurisdiction: str) -> dict[str, str]:
    office = create_regulator_office(
        platform.database_urls["regulator-gateway"], name=f"Office {jurisdiction}", jurisdiction=jurisdiction
    )
    return {"Authorization": f"Bearer {office['api_key']}"}


def _next_version(feature: GatedFeature) -> int:
    """A later version than any test of this run assessed (each test its own)."""
    return feature.version + random.randint(1_000, 2_000_000_000)


def _file(gateway: httpx.Client, staff: Staff, feature: str, version: int, **fields: object) -> httpx.Response:
    return gateway.post(
        ASSESSMENTS,
        headers=staff.auth,
        json={
            "feature": feature,
            "version": version,
            "level": "national",
            "summary": "舆论属性和社会动员能力安全评估",
            "document": base64.b64encode(b"%PDF-1.7 assessment report").decode(),
            **fields,
        },
    )


def _acknowledge(gateway: httpx.Client, key: dict[str, str], filing_id: str, receipt: str) -> httpx.Response:
    return gateway.put(
        f"/v1/regulator/filings/{filing_id}/acknowledgement", headers=key, json={"receipt_number": receipt}
    )


async def _events_about(
    kafka: str, subject: str, *, count: int = 1_000_000, until: str | None = None, timeout_s: float = 30
) -> list[tuple[str, bytes]]:
    """The events on the assessment topic about ``subject``, (type, payload), oldest first: the first ``count``,
    or those up to the first of type ``until``."""
    consumer = AIOKafkaConsumer(
        regulator.ASSESSMENT_TOPIC.name,
        bootstrap_servers=kafka,
        group_id=f"test-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[tuple[str, bytes]] = []
    try:
        async with asyncio.timeout(timeout_s):
            while True:
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    for record in records:
                        headers = dict(record.headers)
                        if headers.get("ce_subject") == subject.encode():
                            found.append((headers["ce_type"].decode(), record.value))
                            if len(found) == count or found[-1][0] == until:
                                return found
    finally:
        await consumer.stop()


@pytest.mark.requirement("PA-12.1")
@pytest.mark.requirement("MB-13")
@pytest.mark.requirement("MB-16.1")
def test_a_national_assessment_is_filed_acknowledged_by_the_national_office_and_announced(
    flow: Flow, gateway: httpx.Client, platform: StackInfo
) -> None:
    chief = flow.staff("chief_editor")
    version = _next_version(GatedFeature.TRENDING)
    filed = _file(gateway, chief, "trending", version)
    assert filed.status_code == 201, filed.text
    assessment = filed.json()
    assert assessment["status"] == "filed" and assessment["level"] == "national"
    assert assessment["province_code"] is None and len(assessment["document_sha256"]) == 64

    # The filing: the national office's only (a provincial office neither lists nor may acknowledge it).
    national, beijing = _office(platform, "national"), _office(platform, "110000")
    [filing] = [
        f for f in regulator_filings(gateway, national, "security_assessment") if f["id"] == assessment["filing_id"]
    ]
    assert filing["details"]["feature"] == "trending" and filing["details"]["version"] == version
    assert filing["legal_basis"] == ["MB-13", "PA-12.1"] and filing["account_id"] is None
    assert filing["acknowledged_at"] is None
    assert all(f["id"] != filing["id"] for f in regulator_filings(gateway, beijing, "security_assessment"))
    outside = _acknowledge(gateway, beijing, filing["id"], "京网信-1")
    assert outside.status_code == 404 and outside.json()["requirement"] == "MB-16.1"
    assert gateway.get(f"{ASSESSMENTS}/{assessment['id']}", headers=chief.auth).json()["status"] == "filed"

    # The national office acknowledges with its receipt: the assessment is in force.
    receipt = f"国网信备-{uuid.uuid4().hex[:8]}"
    acknowledged = _acknowledge(gateway, national, filing["id"], receipt)
    assert acknowledged.status_code == 200, acknowledged.text
    assert acknowledged.json()["receipt_number"] == receipt and acknowledged.json()["acknowledged_at"]
    again = _acknowledge(gateway, national, filing["id"], receipt)  # the same receipt: idempotent
    assert again.status_code == 200 and again.json()["acknowledged_at"] == acknowledged.json()["acknowledged_at"]
    other = _acknowledge(gateway, national, filing["id"], "another-receipt")
    assert other.status_code == 409 and other.json()["type"].endswith("/already-acknowledged")
    read = gateway.get(f"{ASSESSMENTS}/{assessment['id']}", headers=chief.auth).json()
    assert read["status"] == "acknowledged" and read["receipt_number"] == receipt

    # Announced through the outbox (what opens the gate where the feature is offered), then announced again
    # while in force (a broker that forgot loses no gate): the test stack re-announces every second.
    announced = asyncio.run(_events_about(platform.kafka_bootstrap_servers, assessment["id"], count=2))
    assert [t for t, _ in announced] == [regulator.ASSESSMENT_ACKNOWLEDGED.name] * 2
    for _, payload in announced:
        message = assessment_pb2.FeatureAssessmentAcknowledged.FromString(payload)
        assert (message.feature, message.version, message.receipt_number) == ("trending", version, receipt)
        assert message.level == "national" and message.filing_id == filing["id"]
        assert list(message.legal_basis) == ["MB-13", "PA-12.1"]


@pytest.mark.requirement("PA-12.1")
@pytest.mark.requirement("MB-16.1")
def test_a_provincial_assessment_is_that_provinces_to_acknowledge(
    flow: Flow, gateway: httpx.Client, platform: StackInfo
) -> None:
    chief = flow.staff("chief_editor")
    version = _next_version(GatedFeature.LIVE_TOPICS)
    filed = _file(gateway, chief, "live_topics", version, level="provincial", province_code="310000")
    assert filed.status_code == 201, filed.text
    assessment = filed.json()
    shanghai, beijing = _office(platform, "310000"), _office(platform, "110000")
    [filing] = [
        f for f in regulator_filings(gateway, shanghai, "security_assessment") if f["id"] == assessment["filing_id"]
    ]
    assert filing["province_code"] == "310000"
    assert all(f["id"] != filing["id"] for f in regulator_filings(gateway, beijing, "security_assessment"))
    assert _acknowledge(gateway, beijing, filing["id"], "京-2").status_code == 404  # MB-16.1: another province
    assert _acknowledge(gateway, shanghai, filing["id"], "沪网信备-7").status_code == 200
    read = gateway.get(f"{ASSESSMENTS}/{assessment['id']}", headers=chief.auth).json()
    assert read["status"] == "acknowledged" and read["receipt_number"] == "沪网信备-7"


@pytest.mark.requirement("MB-13")
def test_a_withdrawal_takes_the_assessment_out_of_force_and_is_announced(
    flow: Flow, gateway: httpx.Client, platform: StackInfo
) -> None:
    chief = flow.staff("chief_editor")
    version = _next_version(GatedFeature.PUBLIC_ACCOUNT_COMMENTS)
    assessment = flow.open_gate("public_account_comments", version)
    assert assessment["status"] == "acknowledged" and assessment["version"] == version
    assert flow.open_gate("public_account_comments", version)["id"] == assessment["id"]  # in force: reused

    url = f"{ASSESSMENTS}/{assessment['id']}/withdrawal"
    assert gateway.post(url, headers=flow.staff("operator").auth, json={"reason": "x"}).status_code == 403
    withdrawn = gateway.post(url, headers=chief.auth, json={"reason": "the comment feature changed"})
    assert withdrawn.status_code == 200, withdrawn.text
    assert (
        withdrawn.json()["status"] == "withdrawn"
        and withdrawn.json()["withdraw_reason"] == "the comment feature changed"
    )
    again = gateway.post(url, headers=chief.auth, json={"reason": "again"})
    assert again.status_code == 409 and again.json()["requirement"] == "MB-13"

    withdrawal = regulator.ASSESSMENT_WITHDRAWN.name
    announced = asyncio.run(_events_about(platform.kafka_bootstrap_servers, assessment["id"], until=withdrawal))
    types = [t for t, _ in announced]  # acknowledged (and announced again while in force), then withdrawn
    assert types[-1] == withdrawal and set(types[:-1]) == {regulator.ASSESSMENT_ACKNOWLEDGED.name}
    gone = assessment_pb2.FeatureAssessmentWithdrawn.FromString(announced[-1][1])
    assert (gone.feature, gone.version, gone.reason) == (
        "public_account_comments",
        version,
        "the comment feature changed",
    )

    # Out of force, the version needs a new assessment, which may now be filed.
    renewed = flow.open_gate("public_account_comments", version)
    assert renewed["id"] != assessment["id"] and renewed["status"] == "acknowledged"
    listed = gateway.get(ASSESSMENTS, headers=flow.staff("auditor").auth, params={"feature": "public_account_comments"})
    assert listed.status_code == 200
    statuses = {a["id"]: a["status"] for a in listed.json()["items"] if a["version"] == version}
    assert statuses == {assessment["id"]: "withdrawn", renewed["id"]: "acknowledged"}


@pytest.mark.requirement("MB-13")
@pytest.mark.requirement("PA-12.1")
def test_what_may_not_be_filed_is_refused(flow: Flow, gateway: httpx.Client, platform: StackInfo) -> None:
    chief = flow.staff("chief_editor")
    unknown = _file(gateway, chief, "fortune_telling", 1)
    assert unknown.status_code == 422 and unknown.json()["type"].endswith("/unknown-feature")
    assert unknown.json()["requirement"] == "MB-13"
    assert _file(gateway, chief, "trending", 0).status_code == 422  # below every version
    misplaced = _file(gateway, chief, "trending", _next_version(GatedFeature.TRENDING), province_code="110000")
    assert misplaced.status_code == 422 and misplaced.json()["requirement"] == "PA-12.1"
    nowhere = _file(gateway, chief, "trending", _next_version(GatedFeature.TRENDING), level="provincial")
    assert nowhere.status_code == 422
    garbled = _file(gateway, chief, "trending", _next_version(GatedFeature.TRENDING), document="not base64!")
    assert garbled.status_code == 422

    version = _next_version(GatedFeature.TRENDING)
    assert _file(gateway, chief, "trending", version).status_code == 201
    twice = _file(gateway, chief, "trending", version)
    assert twice.status_code == 409 and twice.json()["type"].endswith("/already-filed")
    filings = regulator_filings(gateway, _office(platform, "national"), "security_assessment")
    assert sum(f["details"]["version"] == version for f in filings) == 1  # the refused one left no filing

    for role in ("reviewer", "senior_reviewer", "operator", "auditor"):
        refused = _file(gateway, flow.staff(role), "trending", _next_version(GatedFeature.TRENDING))
        assert refused.status_code == 403, role
