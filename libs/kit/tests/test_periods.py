"""Periods from query strings (kit.periods): aware, ordered, refused as a 422 problem rather than a 500."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from kit.periods import InvalidPeriod, bounded_period, open_period

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


def test_a_bounded_period_defaults_to_the_last_span_up_to_now() -> None:
    assert bounded_period(None, None, last=timedelta(days=30), now=NOW) == (NOW - timedelta(days=30), NOW)
    naive = datetime(2026, 4, 1)
    assert bounded_period(naive, None, last=timedelta(days=30), now=NOW) == (naive.replace(tzinfo=UTC), NOW)


def test_an_open_period_keeps_its_open_ends_and_reads_a_naive_time_as_utc() -> None:
    assert open_period(None, None) == (None, None)
    # A naive `from` against an aware `to` is compared as instants (it raised TypeError: a 500).
    since, until = open_period(datetime(2026, 4, 1), NOW)
    assert since == datetime(2026, 4, 1, tzinfo=UTC) and until == NOW


def test_from_not_before_to_or_out_of_range_is_an_invalid_period_naming_the_rule() -> None:
    with pytest.raises(InvalidPeriod) as refused:
        open_period(NOW, datetime(2026, 5, 1, 12), requirement="MB-6.1")
    assert (refused.value.status, refused.value.type, refused.value.requirement) == (422, "invalid-period", "MB-6.1")
    with pytest.raises(InvalidPeriod):
        bounded_period(NOW, NOW - timedelta(seconds=1), last=timedelta(days=30))
    with pytest.raises(InvalidPeriod, match="out of range"):
        bounded_period(None, datetime(1, 1, 2, tzinfo=UTC), last=timedelta(days=30), requirement="PA-15.2")
    with pytest.raises(InvalidPeriod, match="out of range"):  # year 1 at UTC+14 is before any UTC instant
        open_period(datetime.fromisoformat("0001-01-01T00:00:00+14:00"), None)
