"""The regulator gateway announces each report it holds for an office on ``regulator.report.v1``
(MB-12.2: the platform's proof that a stop was reported), and the regulator's acknowledgements of
features' security assessments on ``regulator.assessment.v1`` (MB-13, PA-12.1: what opens a gate)."""

from __future__ import annotations

from qinglang.regulator.v1 import assessment_pb2, report_pb2

from contracts.catalogue import CATALOGUE

OWNER = "regulator-gateway"

REPORT_TOPIC = CATALOGUE.topic("regulator.report.v1", owner=OWNER)

REPORT_FILED = CATALOGUE.event("qinglang.regulator.report.filed.v1", REPORT_TOPIC, report_pb2.ReportFiled)

ASSESSMENT_TOPIC = CATALOGUE.topic("regulator.assessment.v1", owner=OWNER)

ASSESSMENT_ACKNOWLEDGED = CATALOGUE.event(
    "qinglang.regulator.assessment.acknowledged.v1", ASSESSMENT_TOPIC, assessment_pb2.FeatureAssessmentAcknowledged
)
ASSESSMENT_WITHDRAWN = CATALOGUE.event(
    "qinglang.regulator.assessment.withdrawn.v1", ASSESSMENT_TOPIC, assessment_pb2.FeatureAssessmentWithdrawn
)
