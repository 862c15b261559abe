"""Moderation announces its decisions on ``moderation.decision.v1`` (key: the post id) and lexicon
releases on ``moderation.policy.v1``.

One decision message, one event type per outcome: a consumer that cares about one outcome (the
regulator gateway: stops) subscribes to its type and never sees the others, and a handler never
re-checks the outcome its event type already states.
"""

from __future__ import annotations

from qinglang.moderation.v1 import decision_pb2, policy_pb2, review_pb2

from contracts.catalogue import CATALOGUE, EventType

OWNER = "moderation"

DECISION_TOPIC = CATALOGUE.topic("moderation.decision.v1", owner=OWNER)
POLICY_TOPIC = CATALOGUE.topic("moderation.policy.v1", owner=OWNER)
REVIEW_TOPIC = CATALOGUE.topic("moderation.review.v1", owner=OWNER)

DECISION_APPROVED = CATALOGUE.event(
    "qinglang.moderation.decision.approved.v1", DECISION_TOPIC, decision_pb2.DecisionIssued
)
DECISION_HELD = CATALOGUE.event("qinglang.moderation.decision.held.v1", DECISION_TOPIC, decision_pb2.DecisionIssued)
DECISION_LABELLED = CATALOGUE.event(
    "qinglang.moderation.decision.labelled.v1", DECISION_TOPIC, decision_pb2.DecisionIssued
)
TRANSMISSION_STOPPED = CATALOGUE.event(
    "qinglang.moderation.decision.transmission_stopped.v1", DECISION_TOPIC, decision_pb2.DecisionIssued
)

# A wrongly stopped post, comment or article restored by staff (stage "restore", outcome APPROVE, superseding
# the stop): content serves it again, the regulator gateway amends the stop's report. Not in DECISION_TYPES:
# an ordinary approval's consumers never see it.
DECISION_RESTORED = CATALOGUE.event(
    "qinglang.moderation.decision.restored.v1", DECISION_TOPIC, decision_pb2.DecisionIssued
)

# The event type each outcome is announced as (MB-12.2: a stop is its own fact).
DECISION_TYPES: dict[int, EventType[decision_pb2.DecisionIssued]] = {
    decision_pb2.OUTCOME_APPROVE: DECISION_APPROVED,
    decision_pb2.OUTCOME_HOLD_FOR_REVIEW: DECISION_HELD,
    decision_pb2.OUTCOME_LABEL: DECISION_LABELLED,
    decision_pb2.OUTCOME_STOP_TRANSMISSION: TRANSMISSION_STOPPED,
}

POLICY_PUBLISHED = CATALOGUE.event("qinglang.moderation.policy.published.v1", POLICY_TOPIC, policy_pb2.PolicyPublished)

# MB-14 / MB-6.1: a complaint case's review item decided (reporting tells the reporters).
CASE_DECIDED = CATALOGUE.event("qinglang.moderation.review.case_decided.v1", REVIEW_TOPIC, review_pb2.CaseDecided)
