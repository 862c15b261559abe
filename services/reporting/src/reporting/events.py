"""Reporting's events: complaints announced as the contract's messages, and content's post
announcements read (who wrote each post). The only module that maps between protobuf and reporting's
domain; every name comes from the contract."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from contracts import content, reporting
from kit.cloudevents import Event, timestamp
from kit.outbox import OutboxRow, announcement
from qinglang.content.v1 import post_pb2
from qinglang.reporting.v1 import complaint_pb2

from reporting.domain import LEGAL_BASIS, OUTCOME_LEGAL_BASIS, Complaint

# Announced: complaints filed and resolved. Read: content's new posts (who wrote each).
PRODUCES = [reporting.COMPLAINT_TOPIC]
POST_CREATED = content.POST_CREATED


@dataclass(frozen=True, slots=True)
class Authorship:
    post_id: uuid.UUID
    author_id: uuid.UUID


def authorship(event: Event) -> Authorship:
    """A new post (content's PostCreated): the post and who wrote it."""
    created: post_pb2.PostCreated = event.message
    return Authorship(uuid.UUID(created.post_id), uuid.UUID(created.author_id))


def complaint_filed(complaint: Complaint) -> OutboxRow:
    """MB-14: a complaint filed, for review (keyed by the post, so a post's complaints keep their order)."""
    return announcement(
        reporting.COMPLAINT_FILED,
        key=str(complaint.target_id),
        subject=str(complaint.id),
        message=complaint_pb2.ComplaintFiled(
            complaint_id=str(complaint.id),
            complainant_id=str(complaint.complainant_id),
            target_type=complaint.target_type,
            target_id=str(complaint.target_id),
            reason=complaint.reason.value,
            filed_at=timestamp(complaint.filed_at),
            legal_basis=LEGAL_BASIS,
        ),
    )


def complaint_resolved(complaint: Complaint) -> OutboxRow:
    """MB-14 / PA-6.2: a complaint's outcome; an upheld one names the author it is against."""
    assert complaint.decided_at is not None and complaint.upheld is not None
    return announcement(
        reporting.COMPLAINT_RESOLVED,
        key=str(complaint.target_id),
        subject=str(complaint.id),
        message=complaint_pb2.ComplaintResolved(
            complaint_id=str(complaint.id),
            target_id=str(complaint.target_id),
            upheld=complaint.upheld,
            account_id=str(complaint.account_id or ""),
            note=complaint.outcome_note or "",
            decided_by=complaint.decided_by or "",
            decided_at=timestamp(complaint.decided_at),
            legal_basis=OUTCOME_LEGAL_BASIS,
        ),
    )
