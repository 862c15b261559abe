"""Decisions as events, and the events moderation decides on: protobuf <-> domain values. Topics and
event types are the contract's (contracts.moderation, .content, .regulator)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC

from contracts.moderation import DECISION_RESTORED, DECISION_TYPES
from kit.cloudevents import timestamp
from kit.outbox import OutboxRow, announcement
from qinglang.content.v1 import post_pb2
from qinglang.moderation.v1 import decision_pb2
from qinglang.regulator.v1 import report_pb2

from moderation.decisions.domain import NewPost
from moderation.engine.decide import Outcome

_OUTCOMES = {
    Outcome.APPROVE: decision_pb2.OUTCOME_APPROVE,
    Outcome.HOLD_FOR_REVIEW: decision_pb2.OUTCOME_HOLD_FOR_REVIEW,
    Outcome.LABEL: decision_pb2.OUTCOME_LABEL,
    Outcome.STOP_TRANSMISSION: decision_pb2.OUTCOME_STOP_TRANSMISSION,
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
        outcome=_OUTCOMES[Outcome(row["outcome"])],
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
    """A decision announced as the event type of its outcome (the contract's DECISION_TYPES)."""
    message = decision_message(row)
    return announcement(DECISION_TYPES[message.outcome], message, key=str(row["post_id"]), subject=str(row["post_id"]))


def restore_announcement(row: Mapping) -> OutboxRow:
    """MB-12.2: a stop lifted by staff (stage restore, outcome APPROVE, superseding the stop), announced as its
    own type: content serves the post again, the regulator gateway amends the stop's report."""
    message = decision_message(row)
    return announcement(DECISION_RESTORED, message, key=str(row["post_id"]), subject=str(row["post_id"]))


def new_post(post: post_pb2.PostCreated) -> NewPost:
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


def reported_decision(report: report_pb2.ReportFiled) -> uuid.UUID:
    """The decision a regulator report was filed for (the stop is confirmed as reported)."""
    return uuid.UUID(report.decision_id)
