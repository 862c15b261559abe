"""The review queue's events: reporting's complaint cases read (ComplaintCase), a case's decision announced
(CaseDecided). The only module of reviews that maps between protobuf and the domain; names are the contract's."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from contracts.moderation import CASE_DECIDED
from kit.cloudevents import timestamp
from kit.outbox import OutboxRow, announcement
from qinglang.moderation.v1 import review_pb2
from qinglang.reporting.v1 import complaint_pb2

from moderation.reviews.domain import CaseFacts, CaseVerdict


def _uuid(value: str) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def complaint_case(case: complaint_pb2.ComplaintCase) -> CaseFacts:
    """Reporting's case of complaints about one target (MB-14)."""
    return CaseFacts(
        case_id=uuid.UUID(case.case_id),
        target_type=case.target_type,
        target_id=uuid.UUID(case.target_id),
        author_id=_uuid(case.author_id),
        category=case.category,
        categories=tuple(case.categories),
        complaint_count=case.complaint_count,
        weight=case.weight,
        coordinated=case.coordinated,
        priority=case.priority,
        opened_at=case.opened_at.ToDatetime(tzinfo=UTC) if case.HasField("opened_at") else datetime.now(UTC),
        deadline=case.deadline.ToDatetime(tzinfo=UTC) if case.HasField("deadline") else None,
        escalated=case.escalated,
        version=case.version,
        legal_basis=tuple(case.legal_basis),
        victim_proof=case.victim_proof,
    )


def case_decided(
    item: Mapping[str, Any], verdict: CaseVerdict, *, decision_id: uuid.UUID | None, decided_by: str, final: bool
) -> OutboxRow:
    """MB-14: the case's outcome, for reporting to give every complaint of it (key: the case id)."""
    return announcement(
        CASE_DECIDED,
        review_pb2.CaseDecided(
            case_id=str(item["case_id"]),
            review_item_id=str(item["id"]),
            upheld=verdict.upheld,
            action=verdict.action.value,
            decision_id=str(decision_id) if decision_id else "",
            note=verdict.reason,
            category=verdict.category,
            legal_basis=list(verdict.legal_basis),
            decided_by=decided_by,
            decided_at=timestamp(datetime.now(UTC)),
            final=final,
        ),
        key=str(item["case_id"]),
        subject=str(item["case_id"]),
    )
