"""Identity's account messages (contracts.identity) and content's follower counts (contracts.content), as
the facts moderation keeps about authors (MB-9)."""

from __future__ import annotations

import uuid
from datetime import UTC

from qinglang.content.v1 import social_pb2
from qinglang.identity.v1 import account_pb2, standing_pb2

from moderation.authors.domain import AuthorFacts, FollowerCount


def registered(message: account_pb2.AccountRegistered) -> AuthorFacts:
    # A protobuf Timestamp is UTC: read it as such, whatever the server's time zone.
    return AuthorFacts(uuid.UUID(message.account_id), registered_at=message.registered_at.ToDatetime(tzinfo=UTC))


def real_name_verified(message: account_pb2.RealNameVerified) -> AuthorFacts:
    return AuthorFacts(uuid.UUID(message.account_id), province_code=message.province_code)


def standing_changed(message: standing_pb2.AccountStandingChanged) -> AuthorFacts:
    # MB-9, PA-7.2: the grade's review mode travels with its privileges (an older identity sends none).
    review = message.privileges.review if message.HasField("privileges") else ""
    return AuthorFacts(
        uuid.UUID(message.account_id), credit=message.credit_score, grade=message.grade, review_mode=review or None
    )


def follower_count_changed(message: social_pb2.FollowerCountChanged) -> FollowerCount:
    return FollowerCount(uuid.UUID(message.account_id), followers=message.followers, version=message.version)
