"""identity/staff/domain.py: an operator cannot disable themself nor leave the platform without an active
operator (MB-6.1, PA-5.1)."""

from __future__ import annotations

import pytest
from identity.staff.domain import LastOperator, check_may_disable, check_roles_change
from kit.problems import Conflict


@pytest.mark.requirement("MB-6.1")
def test_an_operator_cannot_disable_themself() -> None:
    with pytest.raises(Conflict) as refused:
        check_may_disable("a", "a", ["operator"], other_operators=3)
    assert refused.value.requirement == "MB-6.1"


@pytest.mark.requirement("MB-6.1")
def test_the_last_active_operator_stays() -> None:
    with pytest.raises(LastOperator):
        check_may_disable("b", "a", ["operator", "auditor"], other_operators=0)
    check_may_disable("b", "a", ["operator"], other_operators=1)
    check_may_disable("b", "a", ["reviewer"], other_operators=0)
    with pytest.raises(LastOperator):
        check_roles_change(["operator"], ["auditor"], disabled=False, other_operators=0)
    check_roles_change(["operator"], ["auditor"], disabled=True, other_operators=0)  # not active: no operator lost
    check_roles_change(["operator"], ["auditor"], disabled=False, other_operators=1)
    check_roles_change(["operator"], ["operator", "auditor"], disabled=False, other_operators=0)
