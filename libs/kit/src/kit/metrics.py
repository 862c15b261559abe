"""Prometheus metrics of the kit's machinery, served at /metrics by every service."""

from __future__ import annotations

from prometheus_client import Counter

EVENTS_HANDLED = Counter(
    "qinglang_events_handled_total", "Events a consumer group handled (first delivery only)", ["group", "ce_type"]
)
EVENTS_DEAD_LETTERED = Counter("qinglang_events_dead_lettered_total", "Events parked in dead_letter_event", ["group"])
OUTBOX_PUBLISHED = Counter("qinglang_outbox_published_total", "Outbox rows the broker acknowledged", ["topic"])
OUTBOX_SEND_FAILURES = Counter("qinglang_outbox_send_failures_total", "Outbox sends that failed (retried)")
BROKER_STATE_LOST = Counter(
    "qinglang_broker_state_lost_total", "Times the broker watch found a broker that lost its state"
)
EVENTS_SKIPPED = Counter(
    "qinglang_events_skipped_total",
    "Events a consumer group read and did not handle: a type of the topic it does not subscribe to "
    "(reason=not_subscribed) or a type the contract does not know (reason=unknown)",
    ["group", "ce_type", "reason"],
)
