"""Content's events: protobuf <-> domain values. The only module that builds or reads a protobuf message;
topics and event types are the contract's (contracts.content, .moderation, .identity)."""

from __future__ import annotations

import uuid
from datetime import UTC

from contracts import content
from kit.cloudevents import timestamp
from kit.outbox import OutboxRow, announcement
from qinglang.content.v1 import post_pb2
from qinglang.identity.v1 import account_pb2, standing_pb2
from qinglang.moderation.v1 import decision_pb2

from content.domain import Cancellation, Decision, NewPost, Refutation, StandingChanged

# --- announced --------------------------------------------------------------------------------


def post_created(post: NewPost) -> OutboxRow:
    return announcement(
        content.POST_CREATED,
        key=str(post.author_id),
        subject=str(post.id),
        message=post_pb2.PostCreated(
            post_id=str(post.id),
            author_id=str(post.author_id),
            text=post.text,
            created_at=timestamp(post.created_at),
            announcement=post.announcement,
            author_province_code=post.province_code,
            author_registered_at=timestamp(post.registered_at) if post.registered_at else None,
        ),
    )


# --- consumed ---------------------------------------------------------------------------------


def decision(message: decision_pb2.DecisionIssued) -> Decision:
    refutation = None
    if message.HasField("refutation"):
        r = message.refutation
        refutation = Refutation(rumour_id=uuid.UUID(r.rumour_id), text=r.text, url=r.url, authority=r.authority)
    return Decision(
        decision_id=uuid.UUID(message.decision_id),
        post_id=uuid.UUID(message.post_id),
        category=message.category,
        legal_basis=tuple(message.legal_basis),
        reason=message.reason,
        decided_at=message.decided_at.ToDatetime(tzinfo=UTC),
        refutation=refutation,
    )


def standing_changed(message: standing_pb2.AccountStandingChanged) -> StandingChanged:
    return StandingChanged(
        account_id=uuid.UUID(message.account_id),
        version=message.version,
        credit_level=message.credit_level,
        limits=tuple(message.limits),
        suspended_until=message.suspended_until.ToDatetime(tzinfo=UTC) if message.HasField("suspended_until") else None,
        closed=message.closed,
    )


def account_cancelled(message: account_pb2.AccountCancelled) -> Cancellation:
    return Cancellation(
        account_id=uuid.UUID(message.account_id),
        cancelled_at=message.cancelled_at.ToDatetime(tzinfo=UTC),
        purge_after=message.purge_after.ToDatetime(tzinfo=UTC),
    )
