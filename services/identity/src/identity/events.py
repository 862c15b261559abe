"""Identity's events: the proto <-> domain mapping of every event it announces or consumes (nothing
else builds or parses a message). The topics, types and messages are the contract's (contracts.identity,
contracts.auth; consumed: contracts.moderation, contracts.reporting, contracts.content); each announcement
is an outbox row a handler writes with its state change."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from contracts import EventType, auth, content, identity, moderation, regulator, reporting
from contracts.categories import Bj10Category
from google.protobuf.message import Message
from kit.cloudevents import Event, timestamp
from kit.outbox import OutboxRow, announcement
from qinglang.identity.v1 import account_pb2, public_account_pb2, standing_pb2
from qinglang.regulator.v1 import report_pb2

from identity.standing.domain import report_version_due

# What identity announces on (ServiceSpec.produces) and what it consumes (its subscriptions).
PRODUCES = [identity.ACCOUNT_TOPIC, auth.REVOCATION_TOPIC]
TRANSMISSION_STOPPED = moderation.TRANSMISSION_STOPPED
CASE_RESOLVED = reporting.CASE_RESOLVED
FOLLOWER_COUNT_CHANGED = content.FOLLOWER_COUNT_CHANGED
READ_COUNT_CHANGED = content.READ_COUNT_CHANGED
REPORT_FILED = regulator.REPORT_FILED  # issue 15: the regulator holds a sanction's report
VERIFIED_ACCOUNT_APPROVED = identity.VERIFIED_ACCOUNT_APPROVED

_SUBJECT_TYPES = {
    "individual": account_pb2.SUBJECT_TYPE_INDIVIDUAL,
    "organization": account_pb2.SUBJECT_TYPE_ORGANIZATION,
    "foreign_organization": account_pb2.SUBJECT_TYPE_FOREIGN_ORGANIZATION,
}


def _about(account_id: uuid.UUID, event_type: EventType, message: Message) -> OutboxRow:
    """An event about one account: keyed by it, so its events keep their order."""
    return announcement(event_type, message, key=str(account_id), subject=str(account_id))


# ---- announced -----------------------------------------------------------------------------------


def account_registered(account_id: uuid.UUID, at: datetime) -> OutboxRow:
    return _about(
        account_id,
        identity.ACCOUNT_REGISTERED,
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
        identity.REAL_NAME_VERIFIED,
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
        identity.REAL_NAME_EXPIRED,
        account_pb2.RealNameExpired(
            account_id=str(account_id), expired_at=timestamp(expired_at), legal_basis=["MB-7.2"]
        ),
    )


def account_cancelled(
    account_id: uuid.UUID, *, cancelled_at: datetime, purge_after: datetime, legal_basis: list[str]
) -> OutboxRow:
    return _about(
        account_id,
        identity.ACCOUNT_CANCELLED,
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
        identity.VERIFIED_ACCOUNT_APPROVED,
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
        identity.STANDING_CHANGED,
        standing_pb2.AccountStandingChanged(
            account_id=str(account_id),
            credit_score=view["credit_score"],
            credit_level=view["credit_level"],
            limits=view["limits"],
            sanction_limits=view["sanction_limits"],
            suspended_until=timestamp(view["suspended_until"]) if view["suspended_until"] else None,
            closed=view["closed"],
            version=view["version"],
            cause=cause,
            legal_basis=legal_basis,
            changed_at=timestamp(at),
            grade=view["grade"],
            grading_rules_version=view["grading_rules_version"],
            account_kind=view.get("account_kind") or "user",
            privileges=_privileges(view["privileges"]),
        ),
    )


def _privileges(privileges: Any) -> standing_pb2.GradePrivileges:
    """What the grade allows (MB-9, PA-7.2): moderation applies the review mode, content the rest."""
    return standing_pb2.GradePrivileges(
        review=str(privileges.review),
        daily_posts=privileges.daily_posts,
        daily_articles=privileges.daily_articles,
        daily_pushes=privileges.daily_pushes,
        push_to_subscribers=privileges.push_to_subscribers,
        features=[str(f) for f in privileges.features],
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
        identity.SUBJECT_BLACKLISTED,
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
    return announcement(
        identity.GRADING_RULES_PUBLISHED,
        standing_pb2.GradingRulesPublished(
            version=version,
            rules_json=rules_json,
            published_by=by,
            published_at=timestamp(at),
            legal_basis=["MB-9", "PA-6.2", "PA-7.2"],
        ),
        key="grading-rules",
        subject=f"grading-rules/{version}",
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
        identity.OPERATOR_DECLARED,
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


def public_account_approved(
    public_account_id: uuid.UUID,
    *,
    owner_account_id: uuid.UUID,
    name: str,
    kind: str,
    label: str,
    category: str,
    business_scope: str,
    qualifications: list[dict],
    province_code: str,
    approved_at: datetime,
    reviewed_by: str,
    legal_basis: list[str],
) -> OutboxRow:
    """PA-7.1: what the office of the province files (no personal data: the registrant is an account id)."""
    return _about(
        public_account_id,
        identity.PUBLIC_ACCOUNT_APPROVED,
        public_account_pb2.PublicAccountApproved(
            public_account_id=str(public_account_id),
            owner_account_id=str(owner_account_id),
            name=name,
            kind=kind,
            label=label,
            category=category,
            business_scope=business_scope,
            qualifications=[
                public_account_pb2.Qualification(kind=q["kind"], number=q["number"]) for q in qualifications
            ],
            province_code=province_code,
            approved_at=timestamp(approved_at),
            reviewed_by=reviewed_by,
            legal_basis=legal_basis,
        ),
    )


def news_licence_changed(
    account_id: uuid.UUID,
    *,
    licence_id: uuid.UUID,
    number: str,
    scopes: list[str],
    valid_from: date,
    valid_until: date,
    revoked_at: datetime | None,
    version: int,
    legal_basis: list[str],
) -> OutboxRow:
    """MB-4, PA-8: a licence of the account's subject (dates ISO, Beijing calendar days)."""
    return _about(
        account_id,
        identity.NEWS_LICENCE_CHANGED,
        public_account_pb2.NewsLicenceChanged(
            licence_id=str(licence_id),
            account_id=str(account_id),
            number=number,
            scopes=scopes,
            valid_from=valid_from.isoformat(),
            valid_until=valid_until.isoformat(),
            revoked_at=timestamp(revoked_at) if revoked_at else None,
            version=version,
            legal_basis=legal_basis,
        ),
    )


def registration_cohort_flagged(
    cohort_id: uuid.UUID, account_ids: list[uuid.UUID], *, size: int, at: datetime
) -> OutboxRow:
    """CM, BJ-9.2, BJ-7(7): accounts registered in bulk (never the address)."""
    return announcement(
        identity.REGISTRATION_COHORT_FLAGGED,
        account_pb2.RegistrationCohortFlagged(
            cohort_id=str(cohort_id),
            account_ids=[str(a) for a in account_ids],
            cohort_size=size,
            flagged_at=timestamp(at),
            legal_basis=["CM", "BJ-9.2", "BJ-7(7)"],
        ),
        key=f"cohort:{cohort_id}",
        subject=f"cohort/{cohort_id}",
    )


def registration_cohort_cleared(
    cohort_id: uuid.UUID, account_ids: list[uuid.UUID], *, at: datetime, legal_basis: list[str]
) -> OutboxRow:
    """Staff cleared a flagged cohort: its members' reads count again (never the address)."""
    return announcement(
        identity.REGISTRATION_COHORT_CLEARED,
        account_pb2.RegistrationCohortCleared(
            cohort_id=str(cohort_id),
            account_ids=[str(a) for a in account_ids],
            cleared_at=timestamp(at),
            legal_basis=legal_basis,
        ),
        key=f"cohort:{cohort_id}",  # the key of its RegistrationCohortFlagged: one partition, in order
        subject=f"cohort/{cohort_id}",
    )


# ---- consumed ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TransmissionStopped:
    """Moderation stopped a post's transmission (MB-12.2): what identity's standing needs of it."""

    decision_id: str
    author_id: uuid.UUID
    category: str
    legal_basis: list[str]

    @property
    def rumour(self) -> bool:
        return self.category == Bj10Category.RUMOUR_DISTURBING_ORDER


def transmission_stopped(event: Event) -> TransmissionStopped:
    """The event type says the decision is a stop (never re-checked); the message says which and why."""
    decision = event.message
    return TransmissionStopped(
        decision.decision_id, uuid.UUID(decision.author_id), decision.category, list(decision.legal_basis)
    )


@dataclass(frozen=True)
class CaseResolved:
    """A complaint case's outcome (reporting's ComplaintCaseResolved): upheld against an account, or not."""

    case_id: str
    account_id: uuid.UUID | None
    upheld: bool
    legal_basis: list[str]
    decided_by: str


def case_resolved(event: Event) -> CaseResolved:
    outcome = event.message
    return CaseResolved(
        outcome.case_id,
        uuid.UUID(outcome.account_id) if outcome.account_id else None,
        outcome.upheld,
        list(outcome.legal_basis),
        outcome.decided_by,
    )


@dataclass(frozen=True)
class FollowerCountChanged:
    """Content's count of an account's followers (MB-9), ordered by its version."""

    account_id: uuid.UUID
    followers: int
    version: int


def follower_count_changed(event: Event) -> FollowerCountChanged:
    count = event.message
    return FollowerCountChanged(uuid.UUID(count.account_id), count.followers, count.version)


@dataclass(frozen=True)
class ReadCountChanged:
    """Content's count of reads of an account's articles (MB-9, PA-7.2), ordered by its version."""

    account_id: uuid.UUID
    reads: int
    flagged_reads: int
    version: int


def read_count_changed(event: Event) -> ReadCountChanged:
    count = event.message
    return ReadCountChanged(uuid.UUID(count.account_id), count.reads, count.flagged_reads, count.version)


# ---- sanctions reported to the regulator (PA-13; issue 15) ---------------------------------------------


def sanction_imposed(sanction: Mapping[str, Any]) -> OutboxRow:
    """A suspension, closure or blacklisting, for the regulator gateway to report (PA-13.1, PA-13.2)."""
    message = standing_pb2.SanctionImposed(
        sanction_id=str(sanction["id"]),
        account_id=str(sanction["account_id"]),
        kind=sanction["kind"],
        features=list(sanction["features"] or []),
        reason=sanction["reason"],
        legal_basis=list(sanction["legal_basis"]),
        starts_at=timestamp(sanction["starts_at"]),
        imposed_by=sanction["created_by"],
    )
    if sanction["ends_at"] is not None:
        message.ends_at.CopyFrom(timestamp(sanction["ends_at"]))
    return _about(sanction["account_id"], identity.SANCTION_IMPOSED, message)


def sanction_lifted(sanction: Mapping[str, Any]) -> OutboxRow:
    """A reported sanction lifted before its end: its report is amended (PA-6.2, PA-13.1)."""
    return _about(
        sanction["account_id"],
        identity.SANCTION_LIFTED,
        standing_pb2.SanctionLifted(
            sanction_id=str(sanction["id"]),
            account_id=str(sanction["account_id"]),
            kind=sanction["kind"],
            reason=sanction["lift_reason"] or "",
            lifted_by=sanction["lifted_by"] or "",
            lifted_at=timestamp(sanction["lifted_at"]),
            legal_basis=["PA-13.1", "PA-6.2"],
        ),
    )


def sanction_announcements(sanction: Mapping[str, Any]) -> list[OutboxRow]:
    """What the regulator gateway must hear of a sanction as it stands: nothing, its imposition, and its lift."""
    due = report_version_due(sanction["kind"], sanction["lifted_at"] is not None)
    return [sanction_imposed(sanction), *([sanction_lifted(sanction)] if due == 2 else [])] if due else []


def sanction_lift_announcements(sanction: Mapping[str, Any]) -> list[OutboxRow]:
    """A lift the regulator gateway must hear of (a reported sanction's): its report's amendment."""
    return [sanction_lifted(sanction)] if report_version_due(sanction["kind"], True) == 2 else []


def report_confirmed(event: Event) -> tuple[uuid.UUID, int] | None:
    """The regulator gateway's ReportFiled of a sanction's report: the sanction and the version it holds."""
    message: report_pb2.ReportFiled = event.message
    if message.kind != "sanction":
        return None
    return uuid.UUID(message.decision_id), message.version
