"""Interactions' events: protobuf <-> domain values. Consumed: identity's approval of a verified account
(MB-10.2: organisation accounts get approval and delegation by default)."""

from __future__ import annotations

import uuid
from datetime import UTC

from qinglang.identity.v1 import account_pb2

from content.interactions.domain import VerifiedAccount


def verified_account(message: account_pb2.VerifiedAccountApproved) -> VerifiedAccount:
    return VerifiedAccount(
        account_id=uuid.UUID(message.account_id),
        verified_type=message.verified_type,
        approved_at=message.approved_at.ToDatetime(tzinfo=UTC),
    )
