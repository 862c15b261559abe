"""The contract's events content announces and consumes (declared once, in contracts)."""

from __future__ import annotations

from contracts.content import POST_CREATED, POST_TOPIC
from contracts.identity import ACCOUNT_CANCELLED, STANDING_CHANGED
from contracts.moderation import DECISION_APPROVED, DECISION_HELD, DECISION_LABELLED, TRANSMISSION_STOPPED

__all__ = [
    "ACCOUNT_CANCELLED",
    "DECISION_APPROVED",
    "DECISION_HELD",
    "DECISION_LABELLED",
    "POST_CREATED",
    "POST_TOPIC",
    "STANDING_CHANGED",
    "TRANSMISSION_STOPPED",
]
