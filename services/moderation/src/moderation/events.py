"""The contract's events moderation announces and consumes (declared once, in contracts)."""

from __future__ import annotations

from contracts.content import POST_CREATED
from contracts.identity import ACCOUNT_REGISTERED, REAL_NAME_VERIFIED, STANDING_CHANGED
from contracts.moderation import (
    DECISION_APPROVED,
    DECISION_HELD,
    DECISION_LABELLED,
    DECISION_TOPIC,
    POLICY_PUBLISHED,
    POLICY_TOPIC,
    TRANSMISSION_STOPPED,
)
from contracts.regulator import REPORT_FILED

__all__ = [
    "ACCOUNT_REGISTERED",
    "DECISION_APPROVED",
    "DECISION_HELD",
    "DECISION_LABELLED",
    "DECISION_TOPIC",
    "POLICY_PUBLISHED",
    "POLICY_TOPIC",
    "POST_CREATED",
    "REAL_NAME_VERIFIED",
    "REPORT_FILED",
    "STANDING_CHANGED",
    "TRANSMISSION_STOPPED",
]
