"""CloudEvents in Kafka binary mode, with a protobuf body (the CloudEvents SDK's Kafka binding).

Attributes ride as ``ce_*`` headers, the W3C ``traceparent`` as its own header, the body is the
serialized protobuf message and ``content-type`` is ``application/protobuf``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from cloudevents.core.bindings.kafka import KafkaMessage, from_binary, to_binary
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

PROTOBUF_CONTENT_TYPE = "application/protobuf"
TRACEPARENT_HEADER = "traceparent"
# The JSON format passes bytes through untouched; it is only the SDK's carrier here.
_FORMAT = JSONFormat()


@dataclass(frozen=True, slots=True)
class Event:
    """One received event: its CloudEvents attributes, its raw body and where it came from."""

    id: str
    type: str
    source: str
    subject: str | None
    time: datetime | None
    data: bytes
    key: str | None
    traceparent: str | None
    topic: str = ""
    partition: int = -1
    offset: int = -1
    # The typed message, parsed by the consumer with the subscribed contracts.EventType.
    message: Message | None = None


def new_event_id() -> uuid.UUID:
    return uuid.uuid4()


def encode(
    *,
    ce_id: str,
    ce_type: str,
    source: str,
    subject: str | None,
    time: datetime,
    data: bytes,
    key: str | None,
    traceparent: str | None,
    dataschema: str | None = None,
) -> KafkaMessage:
    attributes = {
        "id": ce_id,
        "type": ce_type,
        "source": source,
        "time": time.astimezone(UTC),
        "datacontenttype": PROTOBUF_CONTENT_TYPE,
    }
    if subject:
        attributes["subject"] = subject
    if dataschema:
        attributes["dataschema"] = dataschema
    message = to_binary(CloudEvent(attributes, data), _FORMAT, key_mapper=lambda _e: key)
    if traceparent:
        message.headers[TRACEPARENT_HEADER] = traceparent.encode()
    return message


class UndecodableEvent(ValueError):
    """A record that is not a binary-mode CloudEvent."""


def decode(headers: list[tuple[str, bytes]] | tuple, key: bytes | None, value: bytes | None, **where: object) -> Event:
    header_map = {name: raw for name, raw in headers}
    if "ce_id" not in header_map or "ce_type" not in header_map:
        raise UndecodableEvent("record has no ce_id/ce_type headers")
    try:
        event = from_binary(KafkaMessage(headers=header_map, key=key, value=value or b""), _FORMAT)
    except Exception as exc:  # the SDK raises several types for one cause: bad attributes
        raise UndecodableEvent(str(exc)) from exc
    traceparent = header_map.get(TRACEPARENT_HEADER)
    data = event.get_data()
    return Event(
        id=event.get_id(),
        type=event.get_type(),
        source=event.get_source(),
        subject=event.get_subject(),
        time=event.get_time(),
        data=data if isinstance(data, bytes) else (value or b""),
        key=key.decode() if key else None,
        traceparent=traceparent.decode() if traceparent else None,
        **where,  # type: ignore[arg-type]
    )


def timestamp(moment: datetime) -> Timestamp:
    """A protobuf Timestamp of an aware datetime, for event messages."""
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp
