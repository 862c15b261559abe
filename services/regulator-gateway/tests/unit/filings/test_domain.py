"""MB-16.1: which filings an office lists."""

from __future__ import annotations

import uuid

import pytest
from regulator_gateway.filings.domain import query_for
from regulator_gateway.offices.domain import NATIONAL, Office


@pytest.mark.requirement("MB-16.1")
def test_a_provincial_office_lists_its_province_and_the_national_office_all() -> None:
    assert query_for(Office(uuid.uuid4(), "GD", "440000"), kind=None, after=None, limit=5).province_code == "440000"
    assert query_for(Office(uuid.uuid4(), "CAC", NATIONAL), kind="blacklist", after=None, limit=5).province_code is None
