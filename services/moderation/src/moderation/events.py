"""Moderation's topics and event types, and the ones it consumes."""

from __future__ import annotations

DECISION_TOPIC = "moderation.decision.v1"
SOURCE = "/qinglang/moderation"
DECISION_ISSUED = "qinglang.moderation.decision.issued.v1"

POST_TOPIC = "content.post.v1"
POST_CREATED = "qinglang.content.post.created.v1"

REPORT_TOPIC = "regulator.report.v1"
REPORT_FILED = "qinglang.regulator.report.filed.v1"
