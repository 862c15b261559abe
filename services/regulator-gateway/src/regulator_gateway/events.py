"""The contract's events the regulator gateway announces and consumes (declared once, in contracts)."""

from __future__ import annotations

from contracts.identity import (
    GRADING_RULES_PUBLISHED,
    OPERATOR_DECLARED,
    REAL_NAME_VERIFIED,
    SUBJECT_BLACKLISTED,
    VERIFIED_ACCOUNT_APPROVED,
)
from contracts.moderation import TRANSMISSION_STOPPED
from contracts.regulator import REPORT_FILED, REPORT_TOPIC

__all__ = [
    "GRADING_RULES_PUBLISHED",
    "OPERATOR_DECLARED",
    "REAL_NAME_VERIFIED",
    "REPORT_FILED",
    "REPORT_TOPIC",
    "SUBJECT_BLACKLISTED",
    "TRANSMISSION_STOPPED",
    "VERIFIED_ACCOUNT_APPROVED",
]
