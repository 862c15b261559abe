from __future__ import annotations

from kit.settings import KitSettings
from pydantic import Field


class ReportingSettings(KitSettings):
    service_name: str = "reporting"
    # MB-14 / PA-15.2: a case's handling window in hours, by category code, else by family (the part before
    # the first dot: "bj10", "infringement"), else "default". BJ-10's prohibited content is far more urgent
    # than an infringement of one's rights, and spam least (README, "Complaints").
    complaint_deadline_hours: dict[str, float] = Field(
        default_factory=lambda: {
            "bj10": 24.0,
            "infringement": 72.0,
            "impersonation": 72.0,
            "spam": 168.0,
            "default": 72.0,
        }
    )
    # An unhandled case is escalated (announced again, urgent) at this fraction of its window.
    complaint_escalate_at: float = Field(default=0.75, gt=0, le=1)
    # How often the deadline loop looks for cases to escalate and deadlines breached.
    complaint_deadline_scan_s: float = Field(default=30.0, gt=0)
    # Non-negotiable 5 (abuse limits): complaints one account may file per window.
    complaint_filing_limit: int = Field(default=20, ge=1)
    complaint_filing_window_s: float = Field(default=3600.0, gt=0)
    # 恶意举报甄别: a reporter's complaints dismissed within this many days lower their weight.
    complaint_screening_window_days: float = Field(default=30.0, gt=0)
    # A coordinated burst: at least N distinct reporters of one target within M minutes, most of them
    # registered less than X days ago or with credit below Y.
    complaint_burst_count: int = Field(default=5, ge=2)
    complaint_burst_minutes: float = Field(default=10.0, gt=0)
    complaint_new_account_days: float = Field(default=7.0, ge=0)
    complaint_low_credit_below: int = 100
