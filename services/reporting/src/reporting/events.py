"""Reporting's topics and event types."""

from __future__ import annotations

COMPLAINT_TOPIC = "reporting.complaint.v1"
SOURCE = "/qinglang/reporting"
COMPLAINT_FILED = "qinglang.reporting.complaint.filed.v1"
COMPLAINT_RESOLVED = "qinglang.reporting.complaint.resolved.v1"

# Consumed: content's post announcements (who wrote each post).
POST_TOPIC = "content.post.v1"
POST_CREATED = "qinglang.content.post.created.v1"
