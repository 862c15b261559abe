"""Evidence's events: moderation's stop decisions and content's sealed snapshots read. The only module of
evidence that maps between protobuf and the domain; every name comes from the contract."""

from __future__ import annotations

import uuid
from datetime import UTC

from contracts import content
from google.protobuf.json_format import MessageToDict
from kit.cloudevents import Event
from qinglang.content.v1 import post_pb2
from qinglang.moderation.v1 import decision_pb2

from regulator_gateway.evidence.domain import DecisionRecord, Snapshot

STOP_SNAPSHOT_SEALED = content.STOP_SNAPSHOT_SEALED

_KINDS = {
    post_pb2.POST_KIND_UNSPECIFIED: "post",
    post_pb2.POST_KIND_POST: "post",
    post_pb2.POST_KIND_REPOST: "repost",
    post_pb2.POST_KIND_COMMENT: "comment",
    post_pb2.POST_KIND_ARTICLE: "article",
    post_pb2.POST_KIND_CORRECTION: "correction",
}


def _name(enum, value: int) -> str:
    """An enum value's name without its prefix, lower-case: RISK_LEVEL_HIGH -> high."""
    name = enum.Name(value)
    return name.split("_", 2 if name.startswith("RISK_LEVEL") else 1)[-1].lower()


def decision_record(event: Event) -> DecisionRecord:
    """A stop-transmission decision (MB-12.2), as its report's evidence shows it."""
    d: decision_pb2.DecisionIssued = event.message
    return DecisionRecord(
        decision_id=uuid.UUID(d.decision_id),
        post_id=uuid.UUID(d.post_id),
        author_id=uuid.UUID(d.author_id),
        category=d.category,
        legal_basis=tuple(d.legal_basis),
        reason=d.reason,
        rule=d.rule,
        stage=d.stage,
        decided_by=d.decided_by,
        decided_at=d.decided_at.ToDatetime(tzinfo=UTC),
        content_sha256=d.content_sha256,
        engine_version=d.engine_version,
        lexicon_version=d.lexicon_version,
        rumour_registry_version=d.rumour_registry_version,
        routing_rules_version=d.routing_rules_version,
        suggestion=_name(decision_pb2.Suggestion, d.suggestion),
        risk_level=_name(decision_pb2.RiskLevel, d.risk_level),
        matches=tuple(
            MessageToDict(m, preserving_proto_field_name=True, always_print_fields_with_no_presence=True)
            for m in d.matches
        ),
    )


def snapshot(message: post_pb2.StopSnapshotSealed) -> Snapshot:
    """Content's sealed snapshot of a stopped post (MB-12.2)."""
    return Snapshot(
        decision_id=uuid.UUID(message.decision_id),
        post_id=uuid.UUID(message.post_id),
        author_id=uuid.UUID(message.author_id),
        author_province_code=message.author_province_code,
        kind=_KINDS.get(message.kind, "post"),
        text=message.text,
        snapshot_sha256=message.snapshot_sha256,
        media=tuple({"sha256": m.sha256, "content_type": m.content_type, "size": m.size} for m in message.media),
        category=message.category,
        created_at=message.created_at.ToDatetime(tzinfo=UTC),
        was_published=message.was_published,
        stopped_at=message.stopped_at.ToDatetime(tzinfo=UTC),
    )
