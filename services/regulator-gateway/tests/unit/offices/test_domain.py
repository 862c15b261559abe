"""MB-16.1: an office's jurisdiction, what it may see, and its key."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from kit.problems import InvalidInput
from regulator_gateway.offices.domain import (
    KEY_PREFIX,
    MAX_OVERLAP_HOURS,
    NATIONAL,
    InvalidJurisdiction,
    Office,
    OfficeRateLimited,
    check_jurisdiction,
    check_rate,
    key_hash,
    new_api_key,
    overlap_end,
    recorded_filters,
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


@pytest.mark.requirement("MB-16.1")
def test_over_the_rate_a_429_says_when_the_next_minute_starts() -> None:
    window = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    check_rate(600, window, window + timedelta(seconds=59), 600)  # the 600th request passes
    with pytest.raises(OfficeRateLimited) as refused:
        check_rate(601, window, window + timedelta(seconds=45.2), 600)
    assert refused.value.status == 429 and refused.value.retry_after_s == 15
    assert refused.value.requirement == "MB-16.1"


def test_an_overlap_is_bounded_and_the_recorded_filters_are_the_declared_ones() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert overlap_end(now, 24) == now + timedelta(hours=24) and overlap_end(now, 0) == now
    for hours in (-1, MAX_OVERLAP_HOURS + 1):
        with pytest.raises(InvalidInput):
            overlap_end(now, hours)
    query = {"category": "bj10.state_security", "cursor": "abc", "phone": "13800138000", "from": "x" * 500,
             "kind": "a\x00b"}  # fmt: skip
    assert recorded_filters({"category", "cursor", "from", "kind"}, query) == {
        "category": "bj10.state_security", "from": "x" * 100, "kind": "a\\x00b"}  # fmt: skip
