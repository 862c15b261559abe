"""Which security assessments may be filed, where, and how they are announced (MB-13, PA-12.1): pure rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from contracts import regulator
from contracts.features import GatedFeature
from qinglang.regulator.v1 import assessment_pb2
from regulator_gateway.assessments import domain, events
from regulator_gateway.assessments.domain import Assessment, Level, Status
from regulator_gateway.filings.domain import Filing, FilingKind, FilingNotFound, needs_acknowledgement, visible_to
from regulator_gateway.offices.domain import NATIONAL, Office


def _new(**overrides: object) -> domain.NewAssessment:
    fields: dict = {
        "feature": GatedFeature.TRENDING.key,
        "version": GatedFeature.TRENDING.version,
        "level": Level.NATIONAL,
        "province_code": None,
        "summary": "assessed",
        "document": b"report",
        "filed_by": uuid.uuid4(),
        "max_document_bytes": 100,
    }
    return domain.new_assessment(**{**fields, **overrides})


@pytest.mark.requirement("MB-13")
def test_only_a_gated_feature_at_its_current_version_or_later_is_assessed() -> None:
    assert _new().feature == "trending"
    assert _new(version=GatedFeature.TRENDING.version + 1).version == 2  # filed early, before it ships
    with pytest.raises(domain.UnknownFeature) as unknown:
        _new(feature="fortune_telling")
    assert unknown.value.requirement == "MB-13"
    with pytest.raises(domain.UnknownFeature):
        _new(feature="trending", version=0)


@pytest.mark.requirement("PA-12.1")
def test_the_level_decides_the_jurisdiction() -> None:
    assert _new().province_code is None
    assert _new(level=Level.PROVINCIAL, province_code="310000").province_code == "310000"
    for level, province in ((Level.NATIONAL, "110000"), (Level.PROVINCIAL, None), (Level.PROVINCIAL, "123")):
        with pytest.raises(domain.InvalidLevel):
            _new(level=level, province_code=province)


@pytest.mark.requirement("PA-12.1")
def test_the_document_is_bounded_and_digested() -> None:
    with pytest.raises(domain.DocumentTooLarge) as large:
        _new(document=b"x" * 101)
    assert large.value.status == 413
    new = _new(document=b"report")
    filing = domain.filing_of(new)
    assert filing.kind is FilingKind.SECURITY_ASSESSMENT
    assert filing.account_id is None and filing.province_code is None
    assert filing.legal_basis == ["MB-13", "PA-12.1"]
    assert filing.details["document_sha256"] == new.document_sha256 and filing.details["document_bytes"] == 6
    assert filing.event_id == f"assessment:{new.id}"


def _assessment(status: Status, **fields: object) -> Assessment:
    now = datetime(2026, 11, 30, tzinfo=UTC)
    base: dict = {
        "id": uuid.uuid4(),
        "feature": "trending",
        "version": 1,
        "level": "provincial",
        "province_code": "110000",
        "summary": "s",
        "document_sha256": "0" * 64,
        "document_bytes": 1,
        "filed_by": uuid.uuid4(),
        "filed_at": now,
        "filing_id": uuid.uuid4(),
        "status": status.value,
        "acknowledged_at": now,
        "receipt_number": "GA-1",
    }
    return Assessment(**{**base, **fields})


@pytest.mark.requirement("MB-13")
def test_the_current_state_is_announced_keyed_by_feature() -> None:
    row = events.current_state(_assessment(Status.ACKNOWLEDGED))
    assert row.topic == regulator.ASSESSMENT_TOPIC.name and row.key == "trending"
    assert row.ce_type == regulator.ASSESSMENT_ACKNOWLEDGED.name
    message = assessment_pb2.FeatureAssessmentAcknowledged.FromString(row.payload)
    assert (message.receipt_number, message.province_code, message.level) == ("GA-1", "110000", "provincial")
    gone = _assessment(Status.WITHDRAWN, withdrawn_at=datetime(2026, 12, 1, tzinfo=UTC), withdraw_reason="changed")
    assert events.current_state(gone).ce_type == regulator.ASSESSMENT_WITHDRAWN.name
    with pytest.raises(domain.AlreadyWithdrawn):
        domain.check_withdrawable(gone)


def _filing(province: str | None, **fields: object) -> Filing:
    return Filing(uuid.uuid4(), "security_assessment", None, province, [], {}, datetime.now(UTC), **fields)


@pytest.mark.requirement("MB-16.1")
def test_an_office_acknowledges_only_in_its_jurisdiction_and_only_once() -> None:
    national = Office(uuid.uuid4(), "national", NATIONAL)
    beijing = Office(uuid.uuid4(), "beijing", "110000")
    with pytest.raises(FilingNotFound):
        visible_to(beijing, _filing(None))  # filed nationally: the national office's alone
    with pytest.raises(FilingNotFound):
        visible_to(beijing, _filing("310000"))
    assert visible_to(national, _filing("310000"))
    done = _filing("110000", acknowledged_at=datetime.now(UTC), acknowledged_by=beijing.id, receipt_number="R1")
    assert needs_acknowledgement(beijing, _filing("110000"), "R1") is True
    assert needs_acknowledgement(beijing, done, "R1") is False  # the same receipt again: nothing changes
    with pytest.raises(Exception) as other:
        needs_acknowledgement(beijing, done, "R2")
    assert getattr(other.value, "status", None) == 409
