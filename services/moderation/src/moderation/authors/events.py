"""Identity's account events, as the facts moderation keeps about authors (MB-9)."""

from __future__ import annotations

import uuid
from datetime import UTC

from kit.cloudevents import Event
from qinglang.identity.v1 import account_pb2, standing_pb2

from moderation.authors.domain import AuthorFacts

ACCOUNT_TOPIC = "identity.account.v1"
ACCOUNT_REGISTERED = "qinglang.identity.account.registered.v1"
REAL_NAME_VERIFIED = "qinglang.identity.account.real_name_verified.v1"
STANDING_CHANGED = "qinglang.identity.account.standing_changed.v1"


def registered(event: Event) -> AuthorFacts:
    message = event.parse(account_pb2.AccountRegistered)
    # A protobuf Timestamp is UTC: read it as such, whatever the server's time zone.
    return AuthorFacts(uuid.UUID(message.account_id), registered_at=message.registered_at.ToDatetime(tzinfo=UTC))


def real_name_verified(event: Event) -> AuthorFacts:
    message = event.parse(account_pb2.RealNameVerified)
    return AuthorFacts(uuid.UUID(message.account_id), province_code=message.province_code)


def standing_changed(event: Event) -> AuthorFacts:
    message = event.parse(standing_pb2.AccountStandingChanged)
    return AuthorFacts(uuid.UUID(message.account_id), credit=message.credit_score, grade=message.grade)
