"""Notifications' events: protobuf -> domain values for the facts the notifier reads that no other
feature of content parses (posts' own parsers serve PostPublished, decisions and standing)."""

from __future__ import annotations

import uuid
from datetime import UTC

from qinglang.content.v1 import social_pb2
from qinglang.identity.v1 import account_pb2
from qinglang.reporting.v1 import complaint_pb2

from content.notifications.domain import ComplaintOutcome, Followed, RealNameExpired


def followed(message: social_pb2.FollowStarted) -> Followed:
    return Followed(
        follower_id=uuid.UUID(message.follower_id),
        followee_id=uuid.UUID(message.followee_id),
        followed_at=message.followed_at.ToDatetime(tzinfo=UTC) if message.HasField("followed_at") else None,
    )


def real_name_expired(message: account_pb2.RealNameExpired) -> RealNameExpired:
    return RealNameExpired(
        account_id=uuid.UUID(message.account_id),
        expired_at=message.expired_at.ToDatetime(tzinfo=UTC),
        legal_basis=tuple(message.legal_basis),
    )


def complaint_resolved(message: complaint_pb2.ComplaintResolved) -> ComplaintOutcome | None:
    """MB-14: a complaint's outcome; None for one without its complainant (announced before issue 14)."""
    if not message.complainant_id:
        return None
    return ComplaintOutcome(
        complaint_id=uuid.UUID(message.complaint_id),
        complainant_id=uuid.UUID(message.complainant_id),
        case_id=message.case_id,
        target_type=message.target_type or "post",
        target_id=message.target_id,
        upheld=message.upheld,
        action=message.action,
        note=message.note,
        legal_basis=tuple(message.legal_basis),
    )
