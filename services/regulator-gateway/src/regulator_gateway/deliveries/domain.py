"""Pushes of reports to an office's own endpoint: rules without I/O (MB-12.2, MB-16.1; issue 15).

An office may pull its jurisdiction's reports (``GET /v1/regulator/reports``) or have them pushed: each report,
and each new version of it (an amendment), is POSTed as JSON to the office's endpoint, signed with the gateway's
Ed25519 key (HTTP Message Signatures, RFC 9421: method, authority, target URI and the body's Content-Digest), and
retried with back-off until the office answers 2xx with its own reference — its acknowledgement. One that stays
unacknowledged past the deadline escalates: staff see it, and it keeps being retried.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from kit.problems import InvalidInput

PUSH_BASIS = ("MB-12.2", "MB-16.1")
ANCHOR_BASIS = ("MB-16.2", "PA-16.2")
_MAX_REFERENCE = 200


class DeliveryState(StrEnum):
    PENDING = "pending"  # not acknowledged yet, within its deadline
    OVERDUE = "overdue"  # not acknowledged past its deadline: escalated
    DELIVERED = "delivered"  # the office answered with its reference


@dataclass(frozen=True, slots=True)
class Backoff:
    base_s: float
    max_s: float

    def delay_s(self, attempts: int, *, jitter: float | None = None) -> float:
        """Seconds before the next attempt after ``attempts`` failed ones: doubling from ``base_s``, capped at
        ``max_s``, with up to a fifth of it as jitter (offices that come back are not hit all at once)."""
        delay = min(self.max_s, self.base_s * 2 ** max(0, attempts - 1))
        share = random.random() if jitter is None else jitter
        return delay * (1 + 0.2 * share)


class ItemKind(StrEnum):
    REPORT = "report"  # a report's version (MB-12.2, PA-13, BJ-7(8))
    ANCHOR = "anchor"  # a day's signed anchor of the user-log archive (MB-16.2)


@dataclass(frozen=True, slots=True)
class Delivery:
    id: uuid.UUID
    office_id: uuid.UUID
    item_kind: ItemKind
    report_id: uuid.UUID | None
    anchor_day: date | None
    version: int
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    last_attempt_at: datetime | None
    last_status: int | None
    last_error: str | None
    delivered_at: datetime | None
    reference: str | None
    escalated_at: datetime | None

    @property
    def state(self) -> DeliveryState:
        if self.delivered_at is not None:
            return DeliveryState.DELIVERED
        return DeliveryState.OVERDUE if self.escalated_at is not None else DeliveryState.PENDING


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery taken for one attempt: where to, and what."""

    delivery: Delivery
    url: str
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt came to."""

    status: int | None  # the office's HTTP status; None when it did not answer
    reference: str | None  # its acknowledgement's reference, when it gave one
    error: str | None = None

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and bool(self.reference)


def outcome_of(status: int, answer: Any) -> Outcome:
    """An office's answer: acknowledged only by a 2xx carrying its reference (a string, at most 200 characters)."""
    if not 200 <= status < 300:
        return Outcome(status, None, f"answered {status}")
    reference = answer.get("reference") if isinstance(answer, dict) else None
    if not isinstance(reference, str) or not reference.strip() or len(reference) > _MAX_REFERENCE:
        return Outcome(status, None, "answered without a usable reference")
    return Outcome(status, reference.strip())


def overdue_before(now: datetime, deadline_s: float) -> datetime:
    """Deliveries created before this moment and still unacknowledged are overdue."""
    return now - timedelta(seconds=deadline_s)


def check_endpoint(url: str, *, allow_http: bool) -> str:
    """An office's endpoint: an absolute https URL (http only where the settings allow it: development)."""
    parts = urlsplit(url.strip())
    schemes = {"https", "http"} if allow_http else {"https"}
    if parts.scheme not in schemes or not parts.hostname or len(url) > 2000:
        raise InvalidInput(
            f"The endpoint must be an absolute {' or '.join(sorted(schemes))} URL.", requirement="MB-16.1"
        )
    return url.strip()
