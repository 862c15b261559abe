"""Moderation's topics and event types, and the ones it consumes."""

from __future__ import annotations

DECISION_TOPIC = "moderation.decision.v1"
SOURCE = "/qinglang/moderation"
# One decision message, two event types: consumers that care about one outcome only (the
# regulator gateway: stops) subscribe to its type and never touch the other.
DECISION_APPROVED = "qinglang.moderation.decision.approved.v1"
TRANSMISSION_STOPPED = "qinglang.moderation.decision.transmission_stopped.v1"

POST_TOPIC = "content.post.v1"
POST_CREATED = "qinglang.content.post.created.v1"

REPORT_TOPIC = "regulator.report.v1"
REPORT_FILED = "qinglang.regulator.report.filed.v1"
