"""Staff roles (MB-6.1, PA-5.1): the token carries `kind: staff` and the roles, which the services check."""

from __future__ import annotations

from enum import StrEnum


class StaffRole(StrEnum):
    REVIEWER = "reviewer"
    SENIOR_REVIEWER = "senior_reviewer"
    CHIEF_EDITOR = "chief_editor"  # 总编辑: owns policy changes (MB-6.1, PA-5.1)
    OPERATOR = "operator"
    AUDITOR = "auditor"
