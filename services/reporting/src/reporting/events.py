"""Reporting's events: complaints and their cases announced as the contract's messages; content's post
announcements (who wrote each post, and what it is), identity's accounts (registration, credit) and
moderation's decisions of cases read. The only module that maps between protobuf and reporting's domain;
every name comes from the contract."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from contracts import content, identity, moderation, reporting
from kit.cloudevents import Event, timestamp
from kit.outbox import OutboxRow, announcement
from qinglang.content.v1 import post_pb2
from qinglang.identity.v1 import account_pb2, public_account_pb2, standing_pb2
from qinglang.moderation.v1 import review_pb2
from qinglang.reporting.v1 import complaint_pb2

from reporting.domain import LEGAL_BASIS, OUTCOME_LEGAL_BASIS, Case, Complaint

# Announced: complaints filed and resolved, cases opened, changed and resolved. Read: content's new posts,
# identity's accounts, moderation's decisions of cases.
PRODUCES = [reporting.COMPLAINT_TOPIC]
POST_CREATED = content.POST_CREATED
ACCOUNT_REGISTERED = identity.ACCOUNT_REGISTERED
PUBLIC_ACCOUNT_APPROVED = identity.PUBLIC_ACCOUNT_APPROVED
STANDING_CHANGED = identity.STANDING_CHANGED
CASE_DECIDED = moderation.CASE_DECIDED

_KINDS = {
    post_pb2.POST_KIND_POST: "post",
    post_pb2.POST_KIND_REPOST: "repost",
    post_pb2.POST_KIND_COMMENT: "comment",
    post_pb2.POST_KIND_ARTICLE: "article",
    post_pb2.POST_KIND_CORRECTION: "correction",
}


@dataclass(frozen=True, slots=True)
class Authorship:
    post_id: uuid.UUID
    author_id: uuid.UUID
    kind: str | None = None  # post, repost, comment, article, correction


@dataclass(frozen=True, slots=True)
class AccountFact:
    """What identity said of an account: it exists (registered, or a public account approved), its credit."""

    account_id: uuid.UUID
    registered_at: datetime | None = None
    credit_score: int | None = None
    version: int | None = None
    public: bool = False


@dataclass(frozen=True, slots=True)
class CaseDecision:
    """Moderation's reviewer decided a case's review item (MB-14, MB-6.1)."""

    case_id: uuid.UUID
    upheld: bool
    action: str
    decision_id: uuid.UUID | None
    note: str
    decided_by: str
    decided_at: datetime


def authorship(event: Event) -> Authorship:
    """A new post (content's PostCreated): the post, who wrote it, what kind of post it is."""
    created: post_pb2.PostCreated = event.message
    return Authorship(uuid.UUID(created.post_id), uuid.UUID(created.author_id), _KINDS.get(created.kind, "post"))


def account_registered(message: account_pb2.AccountRegistered) -> AccountFact:
    return AccountFact(uuid.UUID(message.account_id), registered_at=message.registered_at.ToDatetime(tzinfo=UTC))


def public_account_approved(message: public_account_pb2.PublicAccountApproved) -> AccountFact:
    return AccountFact(uuid.UUID(message.public_account_id), public=True)


def standing_changed(message: standing_pb2.AccountStandingChanged) -> AccountFact:
    return AccountFact(uuid.UUID(message.account_id), credit_score=message.credit_score, version=message.version)


def case_decided(message: review_pb2.CaseDecided) -> CaseDecision:
    return CaseDecision(
        case_id=uuid.UUID(message.case_id),
        upheld=message.upheld,
        action=message.action or "none",
        decision_id=uuid.UUID(message.decision_id) if message.decision_id else None,
        note=message.note,
        decided_by=message.decided_by,
        decided_at=message.decided_at.ToDatetime(tzinfo=UTC) if message.HasField("decided_at") else datetime.now(UTC),
    )


def complaint_filed(complaint: Complaint) -> OutboxRow:
    """MB-14: a complaint filed (keyed by the target, so a target's complaints keep their order)."""
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


def case_announced(case: Case, *, opened: bool) -> OutboxRow:
    """MB-14 / PA-15.2 / BJ-13: a case opened or changed (a newer version), for moderation's review queue."""
    return announcement(
        reporting.CASE_OPENED if opened else reporting.CASE_CHANGED,
        key=str(case.target_id),
        subject=str(case.id),
        message=complaint_pb2.ComplaintCase(
            case_id=str(case.id),
            target_type=case.target_type,
            target_id=str(case.target_id),
            author_id=str(case.author_id or ""),
            category=case.category,
            categories=list(case.categories),
            complaint_count=case.complaint_count,
            weight=case.weight,
            coordinated=case.coordinated,
            priority=case.priority,
            opened_at=timestamp(case.opened_at),
            deadline=timestamp(case.deadline),
            escalated=case.escalated,
            version=case.version,
            legal_basis=case.legal_basis,
            victim_proof=case.victim_proof,
        ),
    )


def complaint_resolved(complaint: Complaint) -> OutboxRow:
    """MB-14 / PA-6.2: a complaint's outcome, told to its complainant (content notifies them)."""
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
            complainant_id=str(complaint.complainant_id),
            case_id=str(complaint.case_id or ""),
            target_type=complaint.target_type,
            action=complaint.action or "none",
        ),
    )


def case_resolved(case: Case) -> OutboxRow:
    """MB-14 / PA-6.2: a case's outcome, once: an upheld one costs the account responsible credit, once."""
    assert case.decided_at is not None and case.upheld is not None
    return announcement(
        reporting.CASE_RESOLVED,
        key=str(case.target_id),
        subject=str(case.id),
        message=complaint_pb2.ComplaintCaseResolved(
            case_id=str(case.id),
            target_type=case.target_type,
            target_id=str(case.target_id),
            upheld=case.upheld,
            account_id=str(case.author_id or "") if case.upheld else "",
            action=case.action or "none",
            note=case.note or "",
            decided_by=case.decided_by or "",
            decided_at=timestamp(case.decided_at),
            legal_basis=OUTCOME_LEGAL_BASIS,
            category=case.category,
        ),
    )
