"""Content's topics and event types, and the ones it consumes."""

from __future__ import annotations

POST_TOPIC = "content.post.v1"
SOURCE = "/qinglang/content"
POST_CREATED = "qinglang.content.post.created.v1"

ACCOUNT_TOPIC = "identity.account.v1"
STANDING_CHANGED = "qinglang.identity.account.standing_changed.v1"
ACCOUNT_CANCELLED = "qinglang.identity.account.cancelled.v1"

DECISION_TOPIC = "moderation.decision.v1"
DECISION_APPROVED = "qinglang.moderation.decision.approved.v1"
DECISION_HELD = "qinglang.moderation.decision.held.v1"
DECISION_LABELLED = "qinglang.moderation.decision.labelled.v1"
TRANSMISSION_STOPPED = "qinglang.moderation.decision.transmission_stopped.v1"
