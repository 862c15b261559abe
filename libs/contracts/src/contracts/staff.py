"""Staff: the roles identity grants and every service checks, and the staff audit's name.

Every staff request a service admits or refuses is appended to that service's ``staff_action`` table
(the kit's audit; readable by ``STAFF_AUDITORS``).
"""

from __future__ import annotations

from enum import StrEnum


class StaffRole(StrEnum):
    REVIEWER = "reviewer"
    SENIOR_REVIEWER = "senior_reviewer"
    CHIEF_EDITOR = "chief_editor"  # 总编辑: owns policy changes and final decisions (MB-6.1, PA-5.1)
    OPERATOR = "operator"
    AUDITOR = "auditor"


# Who may read a service's staff audit.
STAFF_AUDITORS: tuple[StaffRole, ...] = (StaffRole.AUDITOR, StaffRole.CHIEF_EDITOR)
# Every staff role: for what any member of staff may read (long jobs' progress, policy history).
EVERY_STAFF_ROLE: tuple[StaffRole, ...] = tuple(StaffRole)
