"""identity/realname/domain.py: the cap on accounts per subject (BJ-9, PA-7.3)."""

from __future__ import annotations

import pytest
from identity.realname.domain import AccountCapReached, SubjectType, check_account_cap


@pytest.mark.requirement("BJ-9")
@pytest.mark.requirement("PA-7.3")
def test_the_cap_counts_the_subjects_other_accounts() -> None:
    check_account_cap(SubjectType.INDIVIDUAL, 4, 5)
    with pytest.raises(AccountCapReached) as refused:
        check_account_cap(SubjectType.INDIVIDUAL, 5, 5)
    assert refused.value.requirement == "BJ-9"
