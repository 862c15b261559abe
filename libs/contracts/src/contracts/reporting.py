"""Reporting announces complaints from the public (MB-14) on ``reporting.complaint.v1``."""

from __future__ import annotations

from qinglang.reporting.v1 import complaint_pb2

from contracts.catalogue import CATALOGUE

OWNER = "reporting"

COMPLAINT_TOPIC = CATALOGUE.topic("reporting.complaint.v1", owner=OWNER)

COMPLAINT_FILED = CATALOGUE.event(
    "qinglang.reporting.complaint.filed.v1", COMPLAINT_TOPIC, complaint_pb2.ComplaintFiled
)
COMPLAINT_RESOLVED = CATALOGUE.event(
    "qinglang.reporting.complaint.resolved.v1", COMPLAINT_TOPIC, complaint_pb2.ComplaintResolved
)

# MB-14 / PA-15.2: complaints about one target grouped into a case (a review item in moderation).
CASE_OPENED = CATALOGUE.event(
    "qinglang.reporting.complaint_case.opened.v1", COMPLAINT_TOPIC, complaint_pb2.ComplaintCase
)
CASE_CHANGED = CATALOGUE.event(
    "qinglang.reporting.complaint_case.changed.v1", COMPLAINT_TOPIC, complaint_pb2.ComplaintCase
)
CASE_RESOLVED = CATALOGUE.event(
    "qinglang.reporting.complaint_case.resolved.v1", COMPLAINT_TOPIC, complaint_pb2.ComplaintCaseResolved
)
