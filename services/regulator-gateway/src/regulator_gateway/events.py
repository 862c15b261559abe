"""The regulator gateway's topics and event types, and the ones it consumes."""

from __future__ import annotations

REPORT_TOPIC = "regulator.report.v1"
SOURCE = "/qinglang/regulator-gateway"
REPORT_FILED = "qinglang.regulator.report.filed.v1"

DECISION_TOPIC = "moderation.decision.v1"
TRANSMISSION_STOPPED = "qinglang.moderation.decision.transmission_stopped.v1"

ACCOUNT_TOPIC = "identity.account.v1"
REAL_NAME_VERIFIED = "qinglang.identity.account.real_name_verified.v1"
SUBJECT_BLACKLISTED = "qinglang.identity.account.subject_blacklisted.v1"
OPERATOR_DECLARED = "qinglang.identity.account.operator_declared.v1"
GRADING_RULES_PUBLISHED = "qinglang.identity.grading_rules.published.v1"
VERIFIED_ACCOUNT_APPROVED = "qinglang.identity.account.verified_account_approved.v1"
