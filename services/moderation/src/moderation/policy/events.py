"""Policy changes as events: every moderation process reloads what changed (MB-6.1)."""

from __future__ import annotations

from datetime import UTC, datetime

from contracts.moderation import POLICY_PUBLISHED
from kit.cloudevents import timestamp
from kit.outbox import OutboxRow, announcement
from qinglang.moderation.v1 import policy_pb2


def policy_published(*, kind: str, version: str, by: str, basis: list[str]) -> OutboxRow:
    """Tell every moderation process to reload `kind` (MB-6.1: changes reach them without a restart)."""
    return announcement(
        POLICY_PUBLISHED,
        policy_pb2.PolicyPublished(
            kind=kind, version=version, changed_by=by, changed_at=timestamp(datetime.now(UTC)), legal_basis=basis
        ),
        key=kind,
        subject=kind,
    )
