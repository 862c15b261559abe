"""Staff administration rules, free of I/O (MB-6.1, PA-5.1): an operator cannot disable themself, and the
last active operator is neither disabled nor stripped of the role (someone must be able to administer)."""

from __future__ import annotations

from collections.abc import Iterable

from contracts.staff import StaffRole
from kit.problems import Conflict


class LastOperator(Conflict):
    type = "last-operator"
    title = "The last operator"


def check_may_disable(target_id: str, actor_id: str, target_roles: Iterable[str], other_operators: int) -> None:
    if target_id == actor_id:
        raise Conflict("An operator cannot disable themself.", requirement="MB-6.1")
    if StaffRole.OPERATOR in set(target_roles) and other_operators == 0:
        raise LastOperator("This is the last active operator; it cannot be disabled.", requirement="MB-6.1")


def check_roles_change(before: Iterable[str], after: Iterable[str], *, disabled: bool, other_operators: int) -> None:
    removed = StaffRole.OPERATOR in set(before) and StaffRole.OPERATOR not in set(after)
    if removed and not disabled and other_operators == 0:
        raise LastOperator("This is the last active operator; the role cannot be removed.", requirement="MB-6.1")
