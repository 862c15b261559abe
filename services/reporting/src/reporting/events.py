"""Reporting's events: complaints announced as protobuf messages, and the post announcements it reads
(who wrote each post). The only module that maps between protobuf and reporting's domain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from kit.cloudevents import Event, timestamp
from kit.outbox import OutboxRow, outbox_row
from qinglang.content.v1 import post_pb2
from qinglang.reporting.v1 import complaint_pb2

from reporting.domain import LEGAL_BASIS, OUTCOME_LEGAL_BASIS, Complaint

COMPLAINT_TOPIC = "reporting.complaint.v1"
SOURCE = "/qinglang/reporting"
COMPLAINT_FILED = "qinglang.reporting.complaint.filed.v1"
COMPLAINT_RESOLVED = "qinglang.reporting.complaint.resolved.v1"

# Consumed: content's post announcements (who wrote each post).
POST_TOPIC = "content.post.v1"
POST_CREATED = "qinglang.content.post.created.v1"


@dataclass(frozen=True, slots=True)
class Authorship:
    post_id: uuid.UUID
    author_id: uuid.UUID


def authorship(event: Event) -> Authorship:
    """content.post.v1 PostCreated: the post and who wrote it."""
    created = event.parse(post_pb2.PostCreated)
    return Authorship(uuid.UUID(created.post_id), uuid.UUID(created.author_id))


def complaint_filed(complaint: Complaint) -> OutboxRow:
    """MB-14: a complaint filed, for review (keyed by the post, so a post's complaints keep their order)."""
    return outbox_row(
        topic=COMPLAINT_TOPIC,
        ce_type=COMPLAINT_FILED,
        source=SOURCE,
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
    return outbox_row(
        topic=COMPLAINT_TOPIC,
        ce_type=COMPLAINT_RESOLVED,
        source=SOURCE,
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
