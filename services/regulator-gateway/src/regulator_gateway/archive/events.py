"""The user log entries every service announces (``<owner>.userlog.v1``, UserLogRecorded), read as domain
entries: the only protobuf mapping of the archive. Every name comes from the contract."""

from __future__ import annotations

import uuid
from datetime import UTC

from contracts.userlog import USER_LOG_RECORDED
from kit.cloudevents import Event
from qinglang.audit.v1 import user_log_pb2

from regulator_gateway.archive.domain import Entry

# The announcing service of each event type (the record's ``source``).
SOURCES = {event_type.name: service for service, event_type in USER_LOG_RECORDED.items()}
USER_LOG_TYPES = tuple(USER_LOG_RECORDED.values())


def _account(value: str) -> tuple[uuid.UUID | None, str]:
    """The account's id; one that is not a uuid (a producer's bug) is kept in the detail, never dropped."""
    if not value:
        return None, ""
    try:
        return uuid.UUID(value), ""
    except ValueError:
        return None, f" [account_id: {value[:64]}]"


def entry(event: Event) -> Entry:
    message: user_log_pb2.UserLogRecorded = event.message  # type: ignore[assignment]
    account_id, unparsed = _account(message.account_id)
    return Entry(
        record_id=uuid.UUID(message.record_id),
        source=SOURCES[event.type],
        kind=message.kind,
        occurred_at=message.occurred_at.ToDatetime(tzinfo=UTC),
        account_id=account_id,
        actor_id=message.actor_id or None,
        sealed_address=bytes(message.sealed_address),
        client_id=message.client_id,
        subject_type=message.subject_type,
        subject_id=message.subject_id,
        succeeded=message.succeeded,
        detail=message.detail + unparsed,
        legal_basis=tuple(message.legal_basis),
    )
