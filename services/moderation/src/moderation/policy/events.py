"""Policy changes as events: every moderation process reloads what changed (MB-6.1)."""

from __future__ import annotations

from datetime import UTC, datetime

from kit.cloudevents import timestamp
from kit.outbox import OutboxRow, outbox_row
from qinglang.moderation.v1 import policy_pb2

from moderation.decisions.events import SOURCE

POLICY_TOPIC = "moderation.policy.v1"
POLICY_PUBLISHED = "qinglang.moderation.policy.published.v1"


def policy_published(*, kind: str, version: str, by: str, basis: list[str]) -> OutboxRow:
    """Tell every moderation process to reload `kind` (MB-6.1: changes reach them without a restart)."""
    return outbox_row(
        topic=POLICY_TOPIC,
        ce_type=POLICY_PUBLISHED,
        source=SOURCE,
        key=kind,
        subject=kind,
        message=policy_pb2.PolicyPublished(
            kind=kind, version=version, changed_by=by, changed_at=timestamp(datetime.now(UTC)), legal_basis=basis
        ),
    )
