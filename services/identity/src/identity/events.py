"""The contract's events identity announces and consumes (declared once, in contracts)."""

from __future__ import annotations

from contracts.auth import REVOCATION_TOPIC
from contracts.identity import (
    ACCOUNT_CANCELLED,
    ACCOUNT_REGISTERED,
    ACCOUNT_TOPIC,
    GRADING_RULES_PUBLISHED,
    OPERATOR_DECLARED,
    REAL_NAME_EXPIRED,
    REAL_NAME_VERIFIED,
    STANDING_CHANGED,
    SUBJECT_BLACKLISTED,
    VERIFIED_ACCOUNT_APPROVED,
)
from contracts.moderation import TRANSMISSION_STOPPED
from contracts.reporting import COMPLAINT_RESOLVED

__all__ = [
    "ACCOUNT_CANCELLED",
    "ACCOUNT_REGISTERED",
    "ACCOUNT_TOPIC",
    "COMPLAINT_RESOLVED",
    "GRADING_RULES_PUBLISHED",
    "OPERATOR_DECLARED",
    "REAL_NAME_EXPIRED",
    "REAL_NAME_VERIFIED",
    "REVOCATION_TOPIC",
    "STANDING_CHANGED",
    "SUBJECT_BLACKLISTED",
    "TRANSMISSION_STOPPED",
    "VERIFIED_ACCOUNT_APPROVED",
]
