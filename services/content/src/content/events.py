"""Content's events: protobuf <-> domain values. The only module that knows a topic, an event type or a
protobuf message."""

from __future__ import annotations

import uuid
from datetime import UTC

from kit.cloudevents import Event, timestamp
from kit.outbox import OutboxRow, outbox_row
from qinglang.content.v1 import post_pb2
from qinglang.identity.v1 import account_pb2, standing_pb2
from qinglang.moderation.v1 import decision_pb2

from content.domain import Cancellation, Decision, NewPost, Refutation, StandingChanged

POST_TOPIC = "content.post.v1"
SOURCE = "/qinglang/content"
POST_CREATED = "qinglang.content.post.created.v1"

ACCOUNT_TOPIC = "identity.account.v1"
STANDING_CHANGED = "qinglang.identity.account.standing_changed.v1"
ACCOUNT_CANCELLED = "qinglang.identity.account.cancelled.v1"

DECISION_TOPIC = "moderation.decision.v1"
DECISION_APPROVED = "qinglang.moderation.decision.approved.v1"
DECISION_HELD = "qinglang.moderation.decision.held.v1"
DECISION_LABELLED = "qinglang.moderation.decision.labelled.v1"
TRANSMISSION_STOPPED = "qinglang.moderation.decision.transmission_stopped.v1"


# --- announced --------------------------------------------------------------------------------


def post_created(post: NewPost) -> OutboxRow:
    return outbox_row(
        topic=POST_TOPIC,
        ce_type=POST_CREATED,
        source=SOURCE,
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


def decision(event: Event) -> Decision:
    message = event.parse(decision_pb2.DecisionIssued)
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


def standing_changed(event: Event) -> StandingChanged:
    message = event.parse(standing_pb2.AccountStandingChanged)
    return StandingChanged(
        account_id=uuid.UUID(message.account_id),
        version=message.version,
        credit_level=message.credit_level,
        limits=tuple(message.limits),
        suspended_until=message.suspended_until.ToDatetime(tzinfo=UTC) if message.HasField("suspended_until") else None,
        closed=message.closed,
    )


def account_cancelled(event: Event) -> Cancellation:
    message = event.parse(account_pb2.AccountCancelled)
    return Cancellation(
        account_id=uuid.UUID(message.account_id),
        cancelled_at=message.cancelled_at.ToDatetime(tzinfo=UTC),
        purge_after=message.purge_after.ToDatetime(tzinfo=UTC),
    )
