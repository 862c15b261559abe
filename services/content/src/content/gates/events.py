"""The regulator gateway's news of security assessments (contracts.regulator): protobuf -> domain."""

from __future__ import annotations

import uuid
from datetime import UTC

from qinglang.regulator.v1 import assessment_pb2

from content.gates.domain import AssessmentAcknowledged, AssessmentWithdrawn


def assessment_acknowledged(message: assessment_pb2.FeatureAssessmentAcknowledged) -> AssessmentAcknowledged:
    return AssessmentAcknowledged(
        assessment_id=uuid.UUID(message.assessment_id),
        feature=message.feature,
        version=message.version,
        level=message.level,
        province_code=message.province_code,
        receipt_number=message.receipt_number,
        acknowledged_at=message.acknowledged_at.ToDatetime(tzinfo=UTC),
        legal_basis=tuple(message.legal_basis),
    )


def assessment_withdrawn(message: assessment_pb2.FeatureAssessmentWithdrawn) -> AssessmentWithdrawn:
    return AssessmentWithdrawn(
        assessment_id=uuid.UUID(message.assessment_id),
        feature=message.feature,
        version=message.version,
        reason=message.reason,
        withdrawn_at=message.withdrawn_at.ToDatetime(tzinfo=UTC),
        legal_basis=tuple(message.legal_basis),
    )
