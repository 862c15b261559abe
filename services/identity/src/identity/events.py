"""Identity's events: its topics and types, and the proto <-> domain mapping (nothing else builds or
parses a message). Each announcement is an outbox row a handler writes with its state change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from kit.cloudevents import Event, timestamp
from kit.outbox import OutboxRow, outbox_row
from qinglang.identity.v1 import account_pb2, standing_pb2
from qinglang.moderation.v1 import decision_pb2
from qinglang.reporting.v1 import complaint_pb2

ACCOUNT_TOPIC = "identity.account.v1"
SOURCE = "/qinglang/identity"
ACCOUNT_REGISTERED = "qinglang.identity.account.registered.v1"
REAL_NAME_VERIFIED = "qinglang.identity.account.real_name_verified.v1"
REAL_NAME_EXPIRED = "qinglang.identity.account.real_name_expired.v1"
VERIFIED_ACCOUNT_APPROVED = "qinglang.identity.account.verified_account_approved.v1"
GRADING_RULES_PUBLISHED = "qinglang.identity.grading_rules.published.v1"
OPERATOR_DECLARED = "qinglang.identity.account.operator_declared.v1"
ACCOUNT_CANCELLED = "qinglang.identity.account.cancelled.v1"
STANDING_CHANGED = "qinglang.identity.account.standing_changed.v1"
SUBJECT_BLACKLISTED = "qinglang.identity.account.subject_blacklisted.v1"

COMPLAINT_TOPIC = "reporting.complaint.v1"
COMPLAINT_RESOLVED = "qinglang.reporting.complaint.resolved.v1"

DECISION_TOPIC = "moderation.decision.v1"
TRANSMISSION_STOPPED = "qinglang.moderation.decision.transmission_stopped.v1"

_SUBJECT_TYPES = {
    "individual": account_pb2.SUBJECT_TYPE_INDIVIDUAL,
    "organization": account_pb2.SUBJECT_TYPE_ORGANIZATION,
    "foreign_organization": account_pb2.SUBJECT_TYPE_FOREIGN_ORGANIZATION,
}


def _about(account_id: uuid.UUID, ce_type: str, message) -> OutboxRow:
    return outbox_row(
        topic=ACCOUNT_TOPIC,
        ce_type=ce_type,
        source=SOURCE,
        key=str(account_id),
        subject=str(account_id),
        message=message,
    )


# ---- announced -----------------------------------------------------------------------------------


def account_registered(account_id: uuid.UUID, at: datetime) -> OutboxRow:
    return _about(
        account_id,
        ACCOUNT_REGISTERED,
        account_pb2.AccountRegistered(account_id=str(account_id), registered_at=timestamp(at)),
    )


def real_name_verified(
    account_id: uuid.UUID,
    *,
    subject_type: str,
    province_code: str,
    verified_at: datetime,
    expires_at: datetime,
    legal_basis: list[str],
    renewal: bool,
) -> OutboxRow:
    return _about(
        account_id,
        REAL_NAME_VERIFIED,
        account_pb2.RealNameVerified(
            account_id=str(account_id),
            subject_type=_SUBJECT_TYPES[subject_type],
            province_code=province_code,
            verified_at=timestamp(verified_at),
            legal_basis=legal_basis,
            expires_at=timestamp(expires_at),
            renewal=renewal,
        ),
    )


def real_name_expired(account_id: uuid.UUID, expired_at: datetime) -> OutboxRow:
    return _about(
        account_id,
        REAL_NAME_EXPIRED,
        account_pb2.RealNameExpired(
            account_id=str(account_id), expired_at=timestamp(expired_at), legal_basis=["MB-7.2"]
        ),
    )


def account_cancelled(
    account_id: uuid.UUID, *, cancelled_at: datetime, purge_after: datetime, legal_basis: list[str]
) -> OutboxRow:
    return _about(
        account_id,
        ACCOUNT_CANCELLED,
        account_pb2.AccountCancelled(
            account_id=str(account_id),
            cancelled_at=timestamp(cancelled_at),
            purge_after=timestamp(purge_after),
            legal_basis=legal_basis,
        ),
    )


def verified_account_approved(
    account_id: uuid.UUID,
    *,
    verified_type: str,
    display_name: str | None,
    province_code: str,
    approved_at: datetime,
    legal_basis: list[str],
    proof_sha256: list[str],
) -> OutboxRow:
    return _about(
        account_id,
        VERIFIED_ACCOUNT_APPROVED,
        account_pb2.VerifiedAccountApproved(
            account_id=str(account_id),
            verified_type=verified_type,
            display_name=display_name or "",  # never the proof name (MB-7.3)
            province_code=province_code,
            approved_at=timestamp(approved_at),
            legal_basis=legal_basis,
            proof_sha256=proof_sha256,
        ),
    )


def without_verified_name(payload: bytes) -> bytes | None:
    """An approval announced before migration 0011 without the legal name it carried; None when it
    carried none (MB-7.3)."""
    approved = account_pb2.VerifiedAccountApproved.FromString(payload)
    if not approved.verified_name:
        return None
    approved.ClearField("verified_name")
    return approved.SerializeToString()


def standing_changed(
    account_id: uuid.UUID, view: dict, *, cause: str, legal_basis: list[str], at: datetime
) -> OutboxRow:
    return _about(
        account_id,
        STANDING_CHANGED,
        standing_pb2.AccountStandingChanged(
            account_id=str(account_id),
            credit_score=view["credit_score"],
            credit_level=view["credit_level"],
            limits=view["limits"],
            suspended_until=timestamp(view["suspended_until"]) if view["suspended_until"] else None,
            closed=view["closed"],
            version=view["version"],
            cause=cause,
            legal_basis=legal_basis,
            changed_at=timestamp(at),
            grade=view["grade"],
            grading_rules_version=view["grading_rules_version"],
        ),
    )


def subject_blacklisted(
    account_id: uuid.UUID,
    *,
    blacklist_id: uuid.UUID,
    province_code: str,
    reason: str,
    legal_basis: list[str],
    listed_at: datetime,
) -> OutboxRow:
    return _about(
        account_id,
        SUBJECT_BLACKLISTED,
        standing_pb2.SubjectBlacklisted(
            blacklist_id=str(blacklist_id),
            account_id=str(account_id),
            province_code=province_code,
            reason=reason,
            legal_basis=legal_basis,
            listed_at=timestamp(listed_at),
        ),
    )


def grading_rules_published(version: int, rules_json: str, *, by: str, at: datetime) -> OutboxRow:
    return outbox_row(
        topic=ACCOUNT_TOPIC,
        ce_type=GRADING_RULES_PUBLISHED,
        source=SOURCE,
        key="grading-rules",
        subject=f"grading-rules/{version}",
        message=standing_pb2.GradingRulesPublished(
            version=version,
            rules_json=rules_json,
            published_by=by,
            published_at=timestamp(at),
            legal_basis=["MB-9", "PA-6.2", "PA-7.2"],
        ),
    )


def operator_declared(
    account_id: uuid.UUID,
    *,
    declaration_id: uuid.UUID,
    registrant: str,
    business_scope: str,
    accounts: list[uuid.UUID],
    province_code: str,
    declared_at: datetime,
) -> OutboxRow:
    return _about(
        account_id,
        OPERATOR_DECLARED,
        standing_pb2.OperatorDeclared(
            declaration_id=str(declaration_id),
            account_id=str(account_id),
            registrant=registrant,
            business_scope=business_scope,
            account_ids=[str(a) for a in accounts],
            province_code=province_code,
            declared_at=timestamp(declared_at),
            legal_basis=["PA-7.3"],
        ),
    )


# ---- consumed ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TransmissionStopped:
    """Moderation stopped a post's transmission (MB-12.2): what identity's standing needs of it."""

    decision_id: str
    author_id: uuid.UUID
    category: str
    legal_basis: list[str]


def transmission_stopped(event: Event) -> TransmissionStopped:
    """The event type says the decision is a stop; the message says which and why."""
    decision = event.parse(decision_pb2.DecisionIssued)
    return TransmissionStopped(
        decision.decision_id, uuid.UUID(decision.author_id), decision.category, list(decision.legal_basis)
    )


@dataclass(frozen=True)
class ComplaintResolved:
    complaint_id: str
    account_id: uuid.UUID | None
    upheld: bool
    legal_basis: list[str]
    decided_by: str


def complaint_resolved(event: Event) -> ComplaintResolved:
    outcome = event.parse(complaint_pb2.ComplaintResolved)
    return ComplaintResolved(
        outcome.complaint_id,
        uuid.UUID(outcome.account_id) if outcome.account_id else None,
        outcome.upheld,
        list(outcome.legal_basis),
        outcome.decided_by,
    )
