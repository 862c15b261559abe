"""The news licence registry, free of I/O (MB-4, PA-8): scopes, validity on the Beijing calendar day, and
the news-licence qualification a public account's registration cites."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from kit.problems import Conflict, DomainError, InvalidInput

LEGAL_BASIS = ["MB-4", "PA-8"]
# The calendar day of a licence's validity is Beijing's (UTC+8 all year).
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


class Scope(StrEnum):
    ORIGINAL = "original"  # 采编发布
    REPOST = "repost"  # 转载
    PLATFORM = "platform"  # 传播平台


class HolderNotVerified(InvalidInput):
    type = "holder-not-verified"
    title = "Holder not verified"


class NumberTaken(Conflict):
    type = "number-taken"
    title = "Licence number taken"


class InvalidDates(InvalidInput):
    type = "invalid-dates"
    title = "Invalid validity dates"


class AlreadyRevoked(Conflict):
    type = "already-revoked"
    title = "Already revoked"


class EvidenceTooLarge(DomainError):
    status = 413
    type = "evidence-too-large"
    title = "Evidence too large"


class UnknownLicence(InvalidInput):
    type = "unknown-licence"
    title = "Unknown news licence"


def beijing_today(now: datetime) -> date:
    return now.astimezone(BEIJING).date()


def check_dates(valid_from: date, valid_until: date) -> None:
    if valid_until < valid_from:
        raise InvalidDates("valid_until is before valid_from.", requirement="PA-8")


def check_evidence_size(sizes: Iterable[int], max_bytes: int) -> None:
    total = sum(sizes)
    if total > max_bytes:
        raise EvidenceTooLarge(
            f"The evidence is {total} bytes; at most {max_bytes} bytes go with a licence.", requirement="PA-8"
        )


def in_force(licence: Mapping[str, Any], today: date) -> bool:
    """Not revoked, and ``today`` (Beijing) within its validity: a lapsed licence stops from the day it lapses."""
    return licence["revoked_at"] is None and licence["valid_from"] <= today <= licence["valid_until"]


def normalise_number(number: str) -> str:
    return "".join(number.split()).upper()


def check_news_qualifications(
    qualifications: Iterable[Mapping[str, str]], licences: Iterable[Mapping[str, Any]], today: date
) -> None:
    """PA-8: a ``news_licence`` qualification names a licence of the registrant's subject in force today."""
    held = {normalise_number(licence["number"]) for licence in licences if in_force(licence, today)}
    for q in qualifications:
        if q["kind"] == "news_licence" and normalise_number(q["number"]) not in held:
            raise UnknownLicence(
                f"The news licence {q['number']} is not a licence of this subject in force today.", requirement="PA-8"
            )
