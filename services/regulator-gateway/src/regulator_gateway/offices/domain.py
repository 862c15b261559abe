"""Offices, their jurisdictions and keys: rules without I/O (MB-16.1)."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kit.problems import InvalidInput, NotFound, TooManyRequests, Unauthorized

NATIONAL = "national"
KEY_PREFIX = "qlr_"
_PROVINCE = re.compile(r"^[1-9][0-9]0000$")


@dataclass(frozen=True)
class Office:
    id: uuid.UUID
    name: str
    jurisdiction: str

    @property
    def national(self) -> bool:
        return self.jurisdiction == NATIONAL

    def may_see(self, province_code: str | None) -> bool:
        # MB-16.1: the national office sees everything, a provincial office its own province.
        return self.national or (province_code is not None and province_code == self.jurisdiction)


class InvalidJurisdiction(InvalidInput):
    pass


class MissingApiKey(Unauthorized):
    pass


class UnknownApiKey(Unauthorized):
    pass


class OfficeNotFound(NotFound):
    pass


class KeyNotFound(NotFound):
    pass


class OfficeRateLimited(TooManyRequests):
    type = "office-rate-limited"
    title = "Office rate limit reached"


@dataclass(frozen=True)
class OfficeKey:
    """One of an office's API keys (MB-16.1): never the key, only its id (a prefix of its hash) and life."""

    id: str
    office_id: uuid.UUID
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True)
class Caller:
    """An office as one of its requests names it: the office and the key it sent."""

    office: Office
    key_id: str


@dataclass(frozen=True)
class Access:
    """One entry of an office's access record (MB-16.1, MB-3): what it asked and what it was answered.
    ``filters`` are the route's declared query filters only (never personal data, never the cursor)."""

    office_id: uuid.UUID
    key_id: str
    method: str
    path: str
    route: str
    status: int
    filters: dict[str, str] = field(default_factory=dict)
    accessed_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class AccessQuery:
    """Which accesses to list: one office's (None: every office's, for staff auditors), in a time range, oldest
    first, after a cursor."""

    office_id: uuid.UUID | None
    since: datetime | None
    until: datetime | None
    after: tuple[datetime, int] | None
    limit: int


# Issue 15: how long a rotated-away key keeps working, by default and at most.
DEFAULT_OVERLAP_HOURS = 24
MAX_OVERLAP_HOURS = 24 * 30
RATE_WINDOW = timedelta(minutes=1)
# Filters recorded in the access record: the route's declared query parameters, bounded; never the cursor.
_UNRECORDED_FILTERS = frozenset({"cursor"})
_FILTER_MAX_CHARS = 100


def key_id(api_key: str) -> str:
    """The key's public name: the first 8 bytes of its SHA-256, hex (migration 0010 named existing keys so)."""
    return key_hash(api_key)[:8].hex()


def overlap_end(now: datetime, overlap_hours: float) -> datetime:
    """When the keys a rotation replaces stop working (MB-16.1): after the overlap, 0 for at once."""
    if not 0 <= overlap_hours <= MAX_OVERLAP_HOURS:
        raise InvalidInput(f"The overlap is 0 to {MAX_OVERLAP_HOURS} hours.", requirement="MB-16.1")
    return now + timedelta(hours=overlap_hours)


def check_rate(requests: int, window_start: datetime, now: datetime, per_minute: int) -> None:
    """MB-16.1, MB-3: at most ``per_minute`` requests per office in a minute's fixed window; over it a 429
    that says when the next window opens."""
    if requests > per_minute:
        raise OfficeRateLimited(
            f"This office made more than {per_minute} requests this minute; retry when the next minute starts.",
            retry_after_s=(window_start + RATE_WINDOW - now).total_seconds(),
            requirement="MB-16.1",
        )


def storable(text: str) -> str:
    """What was sent, as PostgreSQL can keep it (text and jsonb refuse NUL): a request is recorded whatever it held."""
    return text.replace("\x00", "\\x00")


def recorded_filters(declared: set[str], query: dict[str, str]) -> dict[str, str]:
    """The query's filters as the access record keeps them: declared names only, values bounded."""
    return {
        name: storable(value[:_FILTER_MAX_CHARS])
        for name, value in sorted(query.items())
        if name in declared and name not in _UNRECORDED_FILTERS
    }


def key_hash(api_key: str) -> bytes:
    # A 256-bit random key needs no slow hash: SHA-256 is a fine lookup for it.
    return hashlib.sha256(api_key.encode()).digest()


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def check_jurisdiction(jurisdiction: str) -> str:
    if jurisdiction != NATIONAL and not _PROVINCE.match(jurisdiction):
        raise InvalidJurisdiction("jurisdiction is 'national' or a province code such as 110000")
    return jurisdiction
