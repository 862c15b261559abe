"""Decisions and policy changes as events (protobuf in CloudEvents, through the outbox)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

import asyncpg
from kit.cloudevents import timestamp
from kit.outbox import OutboxRow, announcement, enqueue_row
from qinglang.moderation.v1 import decision_pb2, policy_pb2

from moderation import events

_OUTCOMES = {
    "approve": (decision_pb2.OUTCOME_APPROVE, events.DECISION_APPROVED),
    "hold_for_review": (decision_pb2.OUTCOME_HOLD_FOR_REVIEW, events.DECISION_HELD),
    "label": (decision_pb2.OUTCOME_LABEL, events.DECISION_LABELLED),
    "stop_transmission": (decision_pb2.OUTCOME_STOP_TRANSMISSION, events.TRANSMISSION_STOPPED),
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
    return announcement(
        _OUTCOMES[row["outcome"]][1],
        key=str(row["post_id"]),
        subject=str(row["post_id"]),
        message=decision_message(row),
    )


async def announce_decision(conn: asyncpg.Connection, row: Mapping) -> None:
    await enqueue_row(conn, decision_announcement(row))


async def announce_policy(conn: asyncpg.Connection, *, kind: str, version: str, by: str, basis: list[str]) -> None:
    """Tell every moderation process to reload `kind` (MB-6.1: changes reach them without a restart)."""
    await enqueue_row(
        conn,
        announcement(
            events.POLICY_PUBLISHED,
            key=kind,
            subject=kind,
            message=policy_pb2.PolicyPublished(
                kind=kind, version=version, changed_by=by, changed_at=timestamp(datetime.now(UTC)), legal_basis=basis
            ),
        ),
    )
