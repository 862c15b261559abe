"""Moderation's stops and identity's verifications read as the reports' domain."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from kit.cloudevents import Event
from qinglang.identity.v1 import account_pb2
from qinglang.moderation.v1 import decision_pb2
from regulator_gateway.reports import events


def event(message) -> Event:
    return Event(
        str(uuid.uuid4()), "test", "/test", None, None, message.SerializeToString(), None, None, message=message
    )


@pytest.mark.requirement("MB-12.2")
def test_a_stop_is_read_with_its_category_legal_basis_and_snapshot() -> None:
    decision, post, author = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    stopped = events.stopped_post(
        event(
            decision_pb2.DecisionIssued(
                decision_id=str(decision),
                post_id=str(post),
                author_id=str(author),
                outcome=decision_pb2.OUTCOME_STOP_TRANSMISSION,
                category="bj10.rumour_disturbing_order",
                legal_basis=["MB-12.2", "BJ-10(6)"],
                reason="a rumour",
                decided_at=Timestamp(seconds=1_700_000_000),
                content_sha256="cd" * 32,
                stage="retro_scan",
            )
        )
    )
    assert stopped.stage == "retro_scan"  # issue 15: the stop's stage an office filters by
    assert (stopped.decision_id, stopped.post_id, stopped.account_id) == (decision, post, author)
    assert stopped.category == "bj10.rumour_disturbing_order" and stopped.legal_basis == ["MB-12.2", "BJ-10(6)"]
    assert stopped.decided_at == datetime.fromtimestamp(1_700_000_000, UTC) and stopped.content_sha256 == "cd" * 32


@pytest.mark.requirement("MB-16.1")
def test_a_verification_names_the_accounts_province() -> None:
    account = uuid.uuid4()
    verified = events.jurisdiction(event(account_pb2.RealNameVerified(account_id=str(account), province_code="110000")))
    assert (verified.account_id, verified.province_code) == (account, "110000")
