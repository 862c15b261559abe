"""Decisions as events, and the events moderation decides on: protobuf <-> domain values. The only
place a decision's topic, event types or protobuf messages are known."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC

from kit.cloudevents import Event, timestamp
from kit.outbox import OutboxRow, outbox_row
from qinglang.content.v1 import post_pb2
from qinglang.moderation.v1 import decision_pb2
from qinglang.regulator.v1 import report_pb2

from moderation.decisions.domain import NewPost

DECISION_TOPIC = "moderation.decision.v1"
SOURCE = "/qinglang/moderation"
# One decision message, one event type per outcome: consumers that care about one outcome only
# (the regulator gateway: stops) subscribe to its type and never touch the others.
DECISION_APPROVED = "qinglang.moderation.decision.approved.v1"
DECISION_HELD = "qinglang.moderation.decision.held.v1"
DECISION_LABELLED = "qinglang.moderation.decision.labelled.v1"
TRANSMISSION_STOPPED = "qinglang.moderation.decision.transmission_stopped.v1"

POST_TOPIC = "content.post.v1"
POST_CREATED = "qinglang.content.post.created.v1"

REPORT_TOPIC = "regulator.report.v1"
REPORT_FILED = "qinglang.regulator.report.filed.v1"

_OUTCOMES = {
    "approve": (decision_pb2.OUTCOME_APPROVE, DECISION_APPROVED),
    "hold_for_review": (decision_pb2.OUTCOME_HOLD_FOR_REVIEW, DECISION_HELD),
    "label": (decision_pb2.OUTCOME_LABEL, DECISION_LABELLED),
    "stop_transmission": (decision_pb2.OUTCOME_STOP_TRANSMISSION, TRANSMISSION_STOPPED),
}
_SUGGESTIONS = {
    "pass": decision_pb2.SUGGESTION_PASS,
    "review": decision_pb2.SUGGESTION_REVIEW,
    "block": decision_pb2.SUGGESTION_BLOCK,
}
_RISKS = {
    "low": decision_pb2.RISK_LEVEL_LOW,
    "medium": decision_pb2.RISK_LEVEL_MEDIUM,
    "high": decision_pb2.RISK_LEVEL_HIGH,
}


def _loads(value: object, default: object) -> object:
    if value is None:
        return default
    return json.loads(value) if isinstance(value, str) else value


def decision_message(row: Mapping) -> decision_pb2.DecisionIssued:
    refutation = _loads(row["refutation"], None)
    return decision_pb2.DecisionIssued(
        decision_id=str(row["id"]),
        post_id=str(row["post_id"]),
        author_id=str(row["author_id"]),
        outcome=_OUTCOMES[row["outcome"]][0],
        category=row["category"],
        legal_basis=list(row["legal_basis"]),
        reason=row["reason"],
        matches=[decision_pb2.Match(**m) for m in _loads(row["matches"], [])],
        content_sha256=row["content_sha256"],
        decided_at=timestamp(row["decided_at"]),
        engine_version=row["engine_version"],
        lexicon_version=row["lexicon_version"],
        suggestion=_SUGGESTIONS[row["suggestion"]],
        risk_level=_RISKS[row["risk"]],
        rule=row["rule"],
        refutation=decision_pb2.Refutation(**refutation) if refutation else None,
        stage=row["stage"],
        supersedes_decision_id=str(row["supersedes"] or ""),
        rumour_registry_version=row["rumour_version"],
        routing_rules_version=row["rules_version"],
        decided_by=row["decided_by"],
    )


def decision_announcement(row: Mapping) -> OutboxRow:
    return outbox_row(
        topic=DECISION_TOPIC,
        ce_type=_OUTCOMES[row["outcome"]][1],
        source=SOURCE,
        key=str(row["post_id"]),
        subject=str(row["post_id"]),
        message=decision_message(row),
    )


def new_post(event: Event) -> NewPost:
    post = event.parse(post_pb2.PostCreated)
    return NewPost(
        post_id=uuid.UUID(post.post_id),
        author_id=uuid.UUID(post.author_id),
        text=post.text,
        created_at=post.created_at.ToDatetime(tzinfo=UTC),
        province_code=post.author_province_code,
        registered_at=post.author_registered_at.ToDatetime(tzinfo=UTC)
        if post.HasField("author_registered_at")
        else None,
    )


def reported_decision(event: Event) -> uuid.UUID:
    """The decision a regulator report was filed for (the stop is confirmed as reported)."""
    return uuid.UUID(event.parse(report_pb2.ReportFiled).decision_id)
