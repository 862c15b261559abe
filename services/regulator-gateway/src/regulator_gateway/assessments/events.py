"""Security assessments announced on ``regulator.assessment.v1`` (key: the feature), so the service that
offers a gated feature opens or closes its gate (MB-13, PA-12.1). The only module of assessments that maps
the domain to protobuf; every name comes from the contract."""

from __future__ import annotations

from contracts import regulator
from kit.cloudevents import timestamp
from kit.outbox import OutboxRow, announcement
from qinglang.regulator.v1 import assessment_pb2

from regulator_gateway.assessments.domain import LEGAL_BASIS, Assessment, Status

ASSESSMENT_TOPIC = regulator.ASSESSMENT_TOPIC


def acknowledged(assessment: Assessment) -> OutboxRow:
    """The office acknowledged the assessment: this version of the feature may be offered (MB-13)."""
    assert assessment.acknowledged_at is not None, "only an acknowledged assessment is announced as such"
    return announcement(
        regulator.ASSESSMENT_ACKNOWLEDGED,
        key=assessment.feature,
        subject=str(assessment.id),
        message=assessment_pb2.FeatureAssessmentAcknowledged(
            assessment_id=str(assessment.id),
            feature=assessment.feature,
            version=assessment.version,
            level=assessment.level,
            province_code=assessment.province_code or "",
            filing_id=str(assessment.filing_id),
            receipt_number=assessment.receipt_number or "",
            acknowledged_at=timestamp(assessment.acknowledged_at),
            legal_basis=LEGAL_BASIS,
        ),
    )


def withdrawn(assessment: Assessment) -> OutboxRow:
    """The assessment was withdrawn: the feature's gate for this version closes (MB-13)."""
    assert assessment.withdrawn_at is not None, "only a withdrawn assessment is announced as such"
    return announcement(
        regulator.ASSESSMENT_WITHDRAWN,
        key=assessment.feature,
        subject=str(assessment.id),
        message=assessment_pb2.FeatureAssessmentWithdrawn(
            assessment_id=str(assessment.id),
            feature=assessment.feature,
            version=assessment.version,
            reason=assessment.withdraw_reason or "",
            withdrawn_at=timestamp(assessment.withdrawn_at),
            legal_basis=LEGAL_BASIS,
        ),
    )


def current_state(assessment: Assessment) -> OutboxRow:
    """What the re-announcement says of an assessment that was acknowledged: in force, or withdrawn."""
    return withdrawn(assessment) if assessment.status == Status.WITHDRAWN else acknowledged(assessment)
