"""A period asked for in a query string (``from``, ``to``), as statistics routes take it.

Read as timezone-aware instants (a time without an offset is UTC) with ``from`` before ``to``; anything else
is a 422 ``invalid-period`` problem, never a 500 (comparing a naive time with an aware one, or a default
``from`` before year 1, would raise). The kit knows no rule: the caller names the requirement it serves.

    since, until = bounded_period(since, until, last=timedelta(days=30), requirement="PA-15.2")
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Query

from kit.problems import InvalidInput

# The query parameters themselves: ``from`` and ``to`` (Python keeps ``from`` for itself).
Since = Annotated[datetime | None, Query(alias="from", description="Start of the period (inclusive)")]
Until = Annotated[datetime | None, Query(alias="to", description="End of the period (exclusive)")]


class InvalidPeriod(InvalidInput):
    type = "invalid-period"
    title = "Invalid period"


def aware(moment: datetime) -> datetime:
    """The instant itself; a time written without an offset is read as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ordered(since: datetime | None, until: datetime | None, requirement: str | None) -> None:
    for moment in (since, until):
        try:
            if moment is not None:
                moment.astimezone(UTC)  # what the database driver does with it
        except OverflowError:
            raise InvalidPeriod("The period is out of range.", requirement=requirement) from None
    if since is not None and until is not None and since >= until:
        raise InvalidPeriod("`from` must be before `to`.", requirement=requirement)


def open_period(
    since: datetime | None, until: datetime | None, *, requirement: str | None = None
) -> tuple[datetime | None, datetime | None]:
    """``from`` .. ``to``, either end open (None) when not given."""
    since, until = (aware(since) if since else None), (aware(until) if until else None)
    _ordered(since, until, requirement)
    return since, until


def bounded_period(
    since: datetime | None,
    until: datetime | None,
    *,
    last: timedelta,
    requirement: str | None = None,
    now: datetime | None = None,
) -> tuple[datetime, datetime]:
    """``from`` .. ``to``; by default ``to`` is now and ``from`` the span ``last`` before ``to``."""
    until = aware(until) if until else (now or datetime.now(UTC))
    try:
        since = aware(since) if since else until - last
    except OverflowError:
        raise InvalidPeriod("The period is out of range.", requirement=requirement) from None
    _ordered(since, until, requirement)
    return since, until
