"""The contract's events reporting announces and consumes (declared once, in contracts)."""

from __future__ import annotations

from contracts.content import POST_CREATED
from contracts.reporting import COMPLAINT_FILED, COMPLAINT_RESOLVED, COMPLAINT_TOPIC

__all__ = ["COMPLAINT_FILED", "COMPLAINT_RESOLVED", "COMPLAINT_TOPIC", "POST_CREATED"]
