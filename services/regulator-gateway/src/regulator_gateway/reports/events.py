"""Reports' events: moderation's stop-transmissions and identity's verifications read, reports
announced. The only module of reports that maps between protobuf and the domain."""

from __future__ import annotations

import uuid
from datetime import UTC

from kit.cloudevents import Event, timestamp
from kit.outbox import OutboxRow, outbox_row
from qinglang.identity.v1 import account_pb2
from qinglang.moderation.v1 import decision_pb2
from qinglang.regulator.v1 import report_pb2

from regulator_gateway.reports.domain import Jurisdiction, Report, StoppedPost

REPORT_TOPIC = "regulator.report.v1"
SOURCE = "/qinglang/regulator-gateway"
REPORT_FILED = "qinglang.regulator.report.filed.v1"

DECISION_TOPIC = "moderation.decision.v1"
TRANSMISSION_STOPPED = "qinglang.moderation.decision.transmission_stopped.v1"

ACCOUNT_TOPIC = "identity.account.v1"
REAL_NAME_VERIFIED = "qinglang.identity.account.real_name_verified.v1"


def stopped_post(event: Event) -> StoppedPost | None:
    """A stop-transmission decision (None: a decision of another outcome)."""
    decision = event.parse(decision_pb2.DecisionIssued)
    if decision.outcome != decision_pb2.OUTCOME_STOP_TRANSMISSION:
        return None
    return StoppedPost(
        decision_id=uuid.UUID(decision.decision_id),
        post_id=uuid.UUID(decision.post_id),
        account_id=uuid.UUID(decision.author_id),
        category=decision.category,
        legal_basis=list(decision.legal_basis),
        reason=decision.reason,
        decided_at=decision.decided_at.ToDatetime(tzinfo=UTC),
        content_sha256=decision.content_sha256,
    )


def jurisdiction(event: Event) -> Jurisdiction:
    """identity's RealNameVerified: the account's province of registration."""
    verified = event.parse(account_pb2.RealNameVerified)
    return Jurisdiction(uuid.UUID(verified.account_id), verified.province_code)


def report_filed(report: Report) -> OutboxRow:
    """MB-12.2: the report of a stop is held for the regulator (moderation's proof it was reported)."""
    return outbox_row(
        topic=REPORT_TOPIC,
        ce_type=REPORT_FILED,
        source=SOURCE,
        key=str(report.decision_id),
        subject=str(report.id),
        message=report_pb2.ReportFiled(
            report_id=str(report.id),
            decision_id=str(report.decision_id),
            post_id=str(report.post_id),
            filed_at=timestamp(report.filed_at),
        ),
    )
