"""identity/clients/domain.py: ICP numbers (BJ-7(6))."""

from __future__ import annotations

import pytest
from identity.clients.domain import icp_number
from kit.problems import InvalidInput


@pytest.mark.requirement("BJ-7(6)")
@pytest.mark.parametrize("number", ["京ICP备2021012345号-1", " 沪ICP证123456号 "])
def test_icp_filing_and_licence_numbers_are_accepted(number: str) -> None:
    assert icp_number(number) == number.strip()


@pytest.mark.requirement("BJ-7(6)")
def test_anything_else_is_refused() -> None:
    with pytest.raises(InvalidInput):
        icp_number("ICP12345")
