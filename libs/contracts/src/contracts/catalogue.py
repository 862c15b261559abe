"""Topics and event types as values: what a topic is called, who announces on it, and which
message each event type carries. Declared in the owners' modules; registered here on import."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from google.protobuf.message import Message

M = TypeVar("M", bound=Message)

SOURCE_PREFIX = "/qinglang/"  # CloudEvents source of a service's events: /qinglang/<service>


@dataclass(frozen=True, slots=True)
class Topic:
    """A Kafka topic: ``<owner>.<aggregate>.v<N>``, announced on by one service only."""

    name: str
    owner: str  # the service that announces on it (its name as deployed)

    @property
    def source(self) -> str:
        """The CloudEvents source of every event on this topic."""
        return SOURCE_PREFIX + self.owner

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class EventType(Generic[M]):
    """One CloudEvents type: a past-tense fact on one topic, carrying one protobuf message."""

    name: str  # the ce_type, "qinglang.<owner>.<aggregate>.<fact>.v<N>"
    topic: Topic
    message: type[M] = field(repr=False)

    def parse(self, data: bytes) -> M:
        """The message in an event's body (raises ``google.protobuf.message.DecodeError``)."""
        message = self.message()
        message.ParseFromString(data)
        return message

    def __str__(self) -> str:
        return self.name


class Catalogue:
    """Every topic and event type of the platform, by name."""

    def __init__(self) -> None:
        self.topics: dict[str, Topic] = {}
        self.types: dict[str, EventType] = {}

    def topic(self, name: str, *, owner: str) -> Topic:
        if name in self.topics:
            raise ValueError(f"topic {name} declared twice")
        topic = self.topics[name] = Topic(name, owner)
        return topic

    def event(self, name: str, topic: Topic, message: type[M]) -> EventType[M]:
        if name in self.types:
            raise ValueError(f"event type {name} declared twice")
        event = self.types[name] = EventType(name, topic, message)
        return event

    def known(self, type_name: str) -> bool:
        return type_name in self.types


CATALOGUE = Catalogue()
