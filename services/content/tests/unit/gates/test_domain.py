"""Feature gates' pure rules (MB-13, PA-12.1): newer state only, a withdrawal final for its assessment,
and a gate open only for the version the code offers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from content.gates import events
from content.gates.domain import (
    AssessmentAcknowledged,
    AssessmentWithdrawn,
    FeatureNotAssessed,
    Gate,
    check_open,
    next_gate,
)
from contracts.features import GatedFeature
from google.protobuf.timestamp_pb2 import Timestamp
from qinglang.regulator.v1 import assessment_pb2

T0 = datetime(2026, 3, 1, tzinfo=UTC)
A, B = uuid.uuid4(), uuid.uuid4()
KEY = GatedFeature.TRENDING.key


def ack(assessment: uuid.UUID = A, at: datetime = T0, version: int = 1) -> AssessmentAcknowledged:
    return AssessmentAcknowledged(assessment, KEY, version, "national", "", "R-1", at, ("MB-13", "PA-12.1"))


def withdrawn(assessment: uuid.UUID = A, at: datetime = T0 + timedelta(hours=1)) -> AssessmentWithdrawn:
    return AssessmentWithdrawn(assessment, KEY, 1, "the feature changed", at, ("MB-13",))


def apply(*facts: AssessmentAcknowledged | AssessmentWithdrawn) -> Gate | None:
    gate = None
    for fact in facts:
        gate = next_gate(gate, fact) or gate
    return gate


@pytest.mark.requirement("MB-13")
def test_an_acknowledgement_opens_the_gate_and_a_repeat_changes_nothing() -> None:
    gate = next_gate(None, ack())
    assert gate is not None and gate.is_open and gate.receipt_number == "R-1"
    assert next_gate(gate, ack()) is None


@pytest.mark.requirement("MB-13")
def test_a_withdrawal_closes_it_for_good_even_when_the_acknowledgement_comes_again() -> None:
    gate = apply(ack(), withdrawn())
    assert gate is not None and not gate.is_open
    assert next_gate(gate, ack()) is None  # the reconciler's late re-announcement
    # Out of order: the withdrawal first, then the acknowledgement it withdrew.
    gate = apply(withdrawn(), ack())
    assert gate is not None and not gate.is_open and gate.acknowledged_at == T0


@pytest.mark.requirement("MB-13")
def test_a_newer_assessment_reopens_and_an_older_ones_news_does_not_close_it() -> None:
    later = T0 + timedelta(hours=2)
    gate = apply(ack(A), withdrawn(A), ack(B, later))
    assert gate is not None and gate.is_open and gate.assessment_id == B
    assert next_gate(gate, ack(A)) is None  # A's old acknowledgement, redelivered
    assert next_gate(gate, withdrawn(A)) is None  # A's old withdrawal, redelivered
    # Delivered out of order: B first, then A's older facts: B stays in force.
    assert apply(ack(B, later), ack(A), withdrawn(A)).assessment_id == B  # type: ignore[union-attr]


@pytest.mark.requirement("MB-13")
def test_check_open_refuses_naming_mb13_until_the_codes_version_is_acknowledged() -> None:
    feature = GatedFeature.TRENDING
    with pytest.raises(FeatureNotAssessed) as refused:
        check_open(feature, None)
    assert refused.value.status == 403 and refused.value.requirement == "MB-13"
    assert refused.value.extensions["legal_basis"] == ["MB-13", "PA-12.1"]
    check_open(feature, next_gate(None, ack()))
    # An acknowledged older version does not open a newer one (a change needs a new assessment).
    with pytest.raises(FeatureNotAssessed):
        check_open(feature, next_gate(None, ack(version=feature.version + 1)))
    with pytest.raises(FeatureNotAssessed, match="withdrawn"):
        check_open(feature, apply(ack(), withdrawn()))


def test_events_map_the_regulator_gateways_messages() -> None:
    at = Timestamp()
    at.FromDatetime(T0)
    fact = events.assessment_acknowledged(
        assessment_pb2.FeatureAssessmentAcknowledged(
            assessment_id=str(A), feature=KEY, version=1, level="national", receipt_number="R-9", acknowledged_at=at
        )
    )
    assert fact == AssessmentAcknowledged(A, KEY, 1, "national", "", "R-9", T0, ())
    gone = events.assessment_withdrawn(
        assessment_pb2.FeatureAssessmentWithdrawn(assessment_id=str(A), feature=KEY, version=1, withdrawn_at=at)
    )
    assert gone.withdrawn_at == T0 and gone.assessment_id == A
