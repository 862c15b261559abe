"""Complaint statistics' events (PA-15.2): reporting's complaint cases read (the only protobuf mapping here)."""

from __future__ import annotations

import uuid
from datetime import UTC

from contracts import reporting
from qinglang.reporting.v1 import complaint_pb2

from regulator_gateway.complaints.domain import CaseResolved, CaseSeen

CASE_OPENED = reporting.CASE_OPENED
CASE_CHANGED = reporting.CASE_CHANGED
CASE_RESOLVED = reporting.CASE_RESOLVED


def case_seen(message: complaint_pb2.ComplaintCase) -> CaseSeen:
    return CaseSeen(
        case_id=uuid.UUID(message.case_id),
        target_type=message.target_type,
        author_id=uuid.UUID(message.author_id) if message.author_id else None,
        category=message.category,
        opened_at=message.opened_at.ToDatetime(tzinfo=UTC),
        deadline=message.deadline.ToDatetime(tzinfo=UTC),
        version=message.version,
        complaints=message.complaint_count,
    )


def case_resolved(message: complaint_pb2.ComplaintCaseResolved) -> CaseResolved:
    return CaseResolved(
        case_id=uuid.UUID(message.case_id),
        target_type=message.target_type,
        author_id=uuid.UUID(message.account_id) if message.account_id else None,
        category=message.category,
        upheld=message.upheld,
        action=message.action or "none",
        decided_at=message.decided_at.ToDatetime(tzinfo=UTC),
    )
