"""Identity's topics and event types."""

from __future__ import annotations

ACCOUNT_TOPIC = "identity.account.v1"
SOURCE = "/qinglang/identity"
ACCOUNT_REGISTERED = "qinglang.identity.account.registered.v1"
REAL_NAME_VERIFIED = "qinglang.identity.account.real_name_verified.v1"
REAL_NAME_EXPIRED = "qinglang.identity.account.real_name_expired.v1"
VERIFIED_ACCOUNT_APPROVED = "qinglang.identity.account.verified_account_approved.v1"
GRADING_RULES_PUBLISHED = "qinglang.identity.grading_rules.published.v1"
OPERATOR_DECLARED = "qinglang.identity.account.operator_declared.v1"
ACCOUNT_CANCELLED = "qinglang.identity.account.cancelled.v1"
STANDING_CHANGED = "qinglang.identity.account.standing_changed.v1"
SUBJECT_BLACKLISTED = "qinglang.identity.account.subject_blacklisted.v1"

COMPLAINT_TOPIC = "reporting.complaint.v1"
COMPLAINT_RESOLVED = "qinglang.reporting.complaint.resolved.v1"

DECISION_TOPIC = "moderation.decision.v1"
TRANSMISSION_STOPPED = "qinglang.moderation.decision.transmission_stopped.v1"
