"""The abuse limits' rules, free of I/O: windows, caps and the sign-in back-off (issue 9)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kit.problems import Conflict, TooManyRequests

HOUR = 3600.0
DAY = 86400.0


class CodeSendLimited(TooManyRequests):
    type = "code-send-limited"
    title = "Too many codes sent"


class CodeAttemptsExhausted(TooManyRequests):
    type = "code-attempts-exhausted"
    title = "Too many wrong codes"


class SignInThrottled(TooManyRequests):
    type = "sign-in-throttled"
    title = "Too many failed sign-ins"


class RegistrationLimited(TooManyRequests):
    type = "registration-limited"
    title = "Too many registrations"


class MobileCapReached(Conflict):
    type = "mobile-cap-reached"
    title = "Mobile number cap reached"


@dataclass(frozen=True)
class Cap:
    """At most ``limit`` events in any ``seconds``-long window."""

    limit: int
    seconds: float

    def retry_after(self, newest_first: list[datetime], now: datetime) -> float | None:
        """None when one more event fits; else the seconds until it does."""
        if len(newest_first) < self.limit:
            return None
        return (newest_first[self.limit - 1] + timedelta(seconds=self.seconds) - now).total_seconds()


@dataclass(frozen=True)
class AbuseLimits:
    code_min_interval_s: float = 60.0
    code_sends_per_number: tuple[Cap, ...] = (Cap(5, HOUR), Cap(10, DAY))
    code_sends_per_account: tuple[Cap, ...] = (Cap(10, DAY),)
    code_wrong_per_number: Cap = Cap(5, HOUR)
    sign_in_free_failures: int = 5
    sign_in_backoff_base_s: float = 1.0
    sign_in_backoff_max_s: float = 300.0
    sign_in_window_s: float = HOUR
    sign_in_other_address_delay_s: float = 1.0
    sign_in_failures_per_address: Cap = Cap(100, HOUR)
    registrations_per_address: Cap = Cap(30, HOUR)
    accounts_per_mobile: int = 1
    # CM, BJ-9.2: this many registrations from one network within the window open a bulk cohort.
    bulk_cohort_min: int = 5
    bulk_cohort_window_s: float = HOUR

    def backoff_s(self, failures: int) -> float:
        """How long an account with this many failures in a row waits (0: not backing off)."""
        if failures < self.sign_in_free_failures:
            return 0.0
        step = min(failures - self.sign_in_free_failures, 32)
        return min(self.sign_in_backoff_base_s * 2**step, self.sign_in_backoff_max_s)

    @property
    def longest_window_s(self) -> float:
        caps = [*self.code_sends_per_number, *self.code_sends_per_account, self.code_wrong_per_number]
        caps += [self.sign_in_failures_per_address, self.registrations_per_address]
        return max([c.seconds for c in caps] + [self.sign_in_window_s, self.code_min_interval_s])


def address_network(address: str) -> str:
    """The network a registration came from (CM): a /24 for IPv4, a /64 for IPv6 (one household, campus or
    carrier NAT may share it: a cohort only discounts, it never refuses); anything else as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def cohort_opens(registrations_in_window: int, minimum: int) -> bool:
    """BULK_COHORT_MIN registrations from one network within the window open a cohort."""
    return registrations_in_window >= minimum


class CohortStatus(StrEnum):
    """A bulk registration cohort is flagged (its members' reads discounted) until staff clear it."""

    FLAGGED = "flagged"
    CLEARED = "cleared"


class CohortAlreadyCleared(Conflict):
    type = "cohort-already-cleared"
    title = "Cohort already cleared"


# Why a cohort is flagged, and why staff may clear it (the heuristic caught a campus or carrier NAT).
COHORT_BASIS = ["CM", "BJ-9.2", "BJ-7(7)"]
