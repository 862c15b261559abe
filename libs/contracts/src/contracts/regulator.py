"""The regulator gateway announces each report it holds for an office on ``regulator.report.v1``
(MB-12.2: the platform's proof that a stop was reported)."""

from __future__ import annotations

from qinglang.regulator.v1 import report_pb2

from contracts.catalogue import CATALOGUE

OWNER = "regulator-gateway"

REPORT_TOPIC = CATALOGUE.topic("regulator.report.v1", owner=OWNER)

REPORT_FILED = CATALOGUE.event("qinglang.regulator.report.filed.v1", REPORT_TOPIC, report_pb2.ReportFiled)
