"""Every service's UserLogRecorded read as an archive entry (MB-16.2): the announcing service from the
contract's event type, a staff actor kept as written, an account id that is not a uuid kept in the detail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from contracts.userlog import USER_LOG_RECORDED, UserLogKind
from kit.cloudevents import Event, timestamp
from qinglang.audit.v1 import user_log_pb2
from regulator_gateway.archive import events

pytestmark = pytest.mark.requirement("MB-16.2")


def event(service: str, **fields) -> Event:
    message = user_log_pb2.UserLogRecorded(record_id=str(uuid.uuid4()), legal_basis=["MB-16.2"], **fields)
    message.occurred_at.CopyFrom(timestamp(datetime(2026, 5, 1, 8, tzinfo=UTC)))
    kind = USER_LOG_RECORDED[service]
    return Event(str(uuid.uuid4()), kind.name, service, None, None, b"", None, None, message=message)


def test_every_services_entries_are_read_with_their_source() -> None:
    assert set(events.SOURCES.values()) == {"identity", "content", "moderation", "reporting", "regulator-gateway"}
    account = uuid.uuid4()
    read = events.entry(event("content", kind=UserLogKind.POST_PUBLISHED, account_id=str(account), succeeded=True))
    assert (read.source, read.kind, read.account_id, read.actor_id) == ("content", "post.published", account, None)
    assert read.occurred_at == datetime(2026, 5, 1, 8, tzinfo=UTC) and read.sealed_address == b""


def test_a_staff_actor_and_an_odd_account_id_are_kept() -> None:
    staff = events.entry(event("moderation", kind=UserLogKind.STAFF_ACTION, actor_id="staff:abc", detail="GET /x"))
    assert staff.actor_id == "staff:abc" and staff.account_id is None
    odd = events.entry(event("identity", kind=UserLogKind.SIGN_IN_FAILED, account_id="not-a-uuid"))
    assert odd.account_id is None and odd.detail.endswith("[account_id: not-a-uuid]")
