"""Reports' events: moderation's stop-transmissions and identity's verifications read, reports
announced. The only module of reports that maps between protobuf and the domain; every name comes
from the contract."""

from __future__ import annotations

import uuid
from datetime import UTC

from contracts import identity, moderation, regulator
from kit.cloudevents import Event, timestamp
from kit.outbox import OutboxRow, announcement
from qinglang.identity.v1 import account_pb2, standing_pb2
from qinglang.moderation.v1 import decision_pb2
from qinglang.regulator.v1 import report_pb2

from regulator_gateway.reports.domain import (
    Amendment,
    Jurisdiction,
    Report,
    SanctionReported,
    StoppedPost,
    lift_amendment_id,
)

# Announced: reports filed. Read: moderation's stops (its type says the outcome) and identity's
# verifications (an account's province).
REPORT_TOPIC = regulator.REPORT_TOPIC
TRANSMISSION_STOPPED = moderation.TRANSMISSION_STOPPED
REAL_NAME_VERIFIED = identity.REAL_NAME_VERIFIED
DECISION_RESTORED = moderation.DECISION_RESTORED  # issue 14: a stop lifted, its report amended
SANCTION_IMPOSED = identity.SANCTION_IMPOSED  # issue 15: a suspension, closure or blacklisting reported (PA-13)
SANCTION_LIFTED = identity.SANCTION_LIFTED  # and its lift, which amends the report


def stopped_post(event: Event) -> StoppedPost:
    """A stop-transmission decision (MB-12.2): the post, its author and why."""
    decision: decision_pb2.DecisionIssued = event.message
    return StoppedPost(
        decision_id=uuid.UUID(decision.decision_id),
        post_id=uuid.UUID(decision.post_id),
        account_id=uuid.UUID(decision.author_id),
        category=decision.category,
        legal_basis=list(decision.legal_basis),
        reason=decision.reason,
        decided_at=decision.decided_at.ToDatetime(tzinfo=UTC),
        content_sha256=decision.content_sha256,
        stage=decision.stage or None,  # issue 15: the stop's stage an office filters its reports by
    )


def sanction_reported(event: Event) -> SanctionReported:
    """identity's SanctionImposed: a suspension, closure or blacklisting to report (PA-13)."""
    s: standing_pb2.SanctionImposed = event.message
    return SanctionReported(
        sanction_id=uuid.UUID(s.sanction_id),
        account_id=uuid.UUID(s.account_id),
        sanction_kind=s.kind,
        features=list(s.features),
        reason=s.reason,
        legal_basis=list(dict.fromkeys([*s.legal_basis, "PA-13.1"])),
        starts_at=s.starts_at.ToDatetime(tzinfo=UTC),
        ends_at=s.ends_at.ToDatetime(tzinfo=UTC) if s.HasField("ends_at") else None,
        imposed_by=s.imposed_by,
    )


def sanction_lift(event: Event) -> Amendment:
    """identity's SanctionLifted: the sanction's report gets an amendment (one per sanction)."""
    s: standing_pb2.SanctionLifted = event.message
    return Amendment(
        id=uuid.uuid4(),
        decision_id=uuid.UUID(s.sanction_id),
        amending_decision_id=lift_amendment_id(uuid.UUID(s.sanction_id)),
        kind="lift",
        reason=s.reason,
        legal_basis=list(s.legal_basis),
        decided_by=s.lifted_by,
        decided_at=s.lifted_at.ToDatetime(tzinfo=UTC),
    )


def restoration(event: Event) -> Amendment:
    """MB-12.2: moderation restored stopped content: the stop's report gets an amendment."""
    decision: decision_pb2.DecisionIssued = event.message
    return Amendment(
        id=uuid.uuid4(),
        decision_id=uuid.UUID(decision.supersedes_decision_id),
        amending_decision_id=uuid.UUID(decision.decision_id),
        kind="restore",
        reason=decision.reason,
        legal_basis=list(decision.legal_basis),
        decided_by=decision.decided_by,
        decided_at=decision.decided_at.ToDatetime(tzinfo=UTC),
    )


def jurisdiction(event: Event) -> Jurisdiction:
    """identity's RealNameVerified: the account's province of registration."""
    verified: account_pb2.RealNameVerified = event.message
    return Jurisdiction(uuid.UUID(verified.account_id), verified.province_code)


def report_filed(report: Report, evidence_sha256: str = "") -> OutboxRow:
    """MB-12.2: the report of a stop is held for the regulator (moderation's proof it was reported), with the
    hash of its evidence once held (content's proof the evidence arrived)."""
    return announcement(
        regulator.REPORT_FILED,
        key=str(report.decision_id),
        subject=str(report.id),
        message=report_pb2.ReportFiled(
            report_id=str(report.id),
            decision_id=str(report.decision_id),
            post_id=str(report.post_id) if report.post_id else "",  # a sanction's report has no post
            filed_at=timestamp(report.filed_at),
            evidence_sha256=evidence_sha256,
            version=report.version,
            kind=str(report.kind),
        ),
    )
