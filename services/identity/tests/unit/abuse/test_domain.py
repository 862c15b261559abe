"""The pure parts of the abuse limits (identity/abuse.py): windows and the sign-in back-off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from identity.abuse.domain import AbuseLimits, Cap


def test_a_cap_says_when_the_oldest_counted_event_leaves_the_window() -> None:
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    cap = Cap(3, 3600)
    times = [now - timedelta(minutes=m) for m in (1, 10, 50)]  # newest first
    assert cap.retry_after(times[:2], now) is None  # room for one more
    assert cap.retry_after(times, now) == 600.0  # the 50-minute-old event leaves in 10 minutes


def test_the_sign_in_back_off_doubles_after_the_free_failures_and_is_capped() -> None:
    limits = AbuseLimits(sign_in_free_failures=5, sign_in_backoff_base_s=1, sign_in_backoff_max_s=300)
    assert [limits.backoff_s(n) for n in (0, 4, 5, 6, 7, 12, 13, 100)] == [0, 0, 1, 2, 4, 128, 256, 300]


def test_a_registration_network_is_a_slash_24_or_a_slash_64() -> None:
    from identity.abuse.domain import address_network

    assert address_network("10.1.2.3") == address_network("10.1.2.250") == "10.1.2.0/24"
    assert address_network("10.1.3.3") != address_network("10.1.2.3")
    assert address_network("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert address_network("::ffff:10.1.2.3") == "10.1.2.0/24"
    assert address_network("unknown") == "unknown"
