"""Moderation's topics and event types, and the ones it consumes."""

from __future__ import annotations

DECISION_TOPIC = "moderation.decision.v1"
SOURCE = "/qinglang/moderation"
# One decision message, one event type per outcome: consumers that care about one outcome only
# (the regulator gateway: stops) subscribe to its type and never touch the others.
DECISION_APPROVED = "qinglang.moderation.decision.approved.v1"
DECISION_HELD = "qinglang.moderation.decision.held.v1"
DECISION_LABELLED = "qinglang.moderation.decision.labelled.v1"
TRANSMISSION_STOPPED = "qinglang.moderation.decision.transmission_stopped.v1"

POLICY_TOPIC = "moderation.policy.v1"
POLICY_PUBLISHED = "qinglang.moderation.policy.published.v1"

POST_TOPIC = "content.post.v1"
POST_CREATED = "qinglang.content.post.created.v1"

REPORT_TOPIC = "regulator.report.v1"
REPORT_FILED = "qinglang.regulator.report.filed.v1"

ACCOUNT_TOPIC = "identity.account.v1"
ACCOUNT_REGISTERED = "qinglang.identity.account.registered.v1"
REAL_NAME_VERIFIED = "qinglang.identity.account.real_name_verified.v1"
STANDING_CHANGED = "qinglang.identity.account.standing_changed.v1"
