"""MB-16.1: an office's jurisdiction, what it may see, and its key."""

from __future__ import annotations

import uuid

import pytest
from regulator_gateway.offices.domain import (
    KEY_PREFIX,
    NATIONAL,
    InvalidJurisdiction,
    Office,
    check_jurisdiction,
    key_hash,
    new_api_key,
)


@pytest.mark.requirement("MB-16.1")
def test_the_national_office_sees_every_province_a_provincial_one_its_own() -> None:
    national, beijing = Office(uuid.uuid4(), "CAC", NATIONAL), Office(uuid.uuid4(), "Beijing", "110000")
    assert national.may_see("310000") and national.may_see(None)
    assert beijing.may_see("110000") and not beijing.may_see("310000") and not beijing.may_see(None)


@pytest.mark.parametrize("jurisdiction", ["123", "110108", "national ", "010000", ""])
def test_a_jurisdiction_is_national_or_a_province_code(jurisdiction: str) -> None:
    assert check_jurisdiction("national") == "national" and check_jurisdiction("440000") == "440000"
    with pytest.raises(InvalidJurisdiction, match="province code"):
        check_jurisdiction(jurisdiction)


def test_a_key_is_random_and_stored_only_as_its_hash() -> None:
    first, second = new_api_key(), new_api_key()
    assert first.startswith(KEY_PREFIX) and first != second
    assert len(key_hash(first)) == 32 and key_hash(first) != key_hash(second) and first.encode() not in key_hash(first)
