"""Reports' rules: seen only in their jurisdiction (MB-16.1), acknowledged once."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from kit.problems import InvalidInput
from regulator_gateway.offices.domain import NATIONAL, Office
from regulator_gateway.reports.domain import (
    Acknowledgement,
    AlreadyAcknowledged,
    Report,
    ReportNotFound,
    acknowledgement,
    check_batch,
    needs_acknowledgement,
    query_for,
    visible_to,
)

BEIJING = Office(uuid.uuid4(), "Beijing", "110000")
NATION = Office(uuid.uuid4(), "CAC", NATIONAL)


def report(province: str | None = "110000") -> Report:
    now = datetime.now(UTC)
    return Report(
        id=uuid.uuid4(),
        decision_id=uuid.uuid4(),
        post_id=uuid.uuid4(),
        account_id=uuid.uuid4(),
        category="bj10.rumour_disturbing_order",
        legal_basis=["MB-12.2"],
        reason="rumour",
        decided_at=now,
        content_sha256="0" * 64,
        province_code=province,
        filed_at=now,
    )


@pytest.mark.requirement("MB-16.1")
def test_a_report_outside_the_jurisdiction_is_not_found() -> None:
    shanghai = report("310000")
    assert visible_to(NATION, shanghai) is shanghai
    with pytest.raises(ReportNotFound):
        visible_to(BEIJING, shanghai)
    with pytest.raises(ReportNotFound):
        visible_to(BEIJING, report(None))  # province not known yet: only the national office sees it
    with pytest.raises(ReportNotFound):
        visible_to(NATION, None)


@pytest.mark.requirement("MB-16.1")
def test_an_office_lists_its_own_province_and_the_national_office_all() -> None:
    assert query_for(BEIJING, acknowledged=None, after=None, limit=10).province_code == "110000"
    assert query_for(NATION, acknowledged=True, after=None, limit=10).province_code is None


def test_an_acknowledgement_is_recorded_once_and_repeating_it_is_harmless() -> None:
    fresh = report()
    assert needs_acknowledgement(BEIJING, fresh, "R-1")
    acknowledged = replace(fresh, acknowledged_at=datetime.now(UTC), acknowledged_by=BEIJING.id, ack_reference="R-1")
    assert not needs_acknowledgement(BEIJING, acknowledged, "R-1")
    with pytest.raises(AlreadyAcknowledged):
        needs_acknowledgement(BEIJING, acknowledged, "R-2")
    with pytest.raises(AlreadyAcknowledged):
        needs_acknowledgement(NATION, acknowledged, "R-1")


@pytest.mark.requirement("MB-12.2")
def test_one_rule_says_what_an_acknowledgement_comes_to_and_a_batch_names_a_report_once() -> None:
    beijing = Office(uuid.uuid4(), "Beijing", "110000")
    now = datetime.now(UTC)
    report = Report(uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "bj10.state_security", ["MB-12.2"],
                    "r", now, "ab" * 32, "110000", now)  # fmt: skip
    assert acknowledgement(beijing, None) is Acknowledgement.NOT_FOUND
    assert acknowledgement(beijing, replace(report, province_code="310000")) is Acknowledgement.OUTSIDE_JURISDICTION
    assert acknowledgement(beijing, report) is Acknowledgement.ACKNOWLEDGED
    acked = replace(report, acknowledged_at=now, acknowledged_by=beijing.id)
    assert acknowledgement(beijing, acked) is Acknowledgement.ALREADY_ACKNOWLEDGED
    same = uuid.uuid4()
    with pytest.raises(InvalidInput):
        check_batch([same, uuid.uuid4(), same])
    with pytest.raises(InvalidInput):
        check_batch([])
