"""Filings: what one is, and which an office sees (MB-16.1). No I/O."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from kit.problems import Conflict, NotFound

from regulator_gateway.offices.domain import Office


class FilingKind(StrEnum):
    BLACKLIST = "blacklist"  # PA-13.2
    VERIFIED_ACCOUNT = "verified_account"  # MB-10.1
    MULTI_ACCOUNT_OPERATOR = "multi_account_operator"  # PA-7.3
    GRADING_RULES = "grading_rules"  # MB-9
    SECURITY_ASSESSMENT = "security_assessment"  # MB-13, PA-12.1: filed by the chief editor
    PUBLIC_ACCOUNT = "public_account"  # PA-7.1


@dataclass(frozen=True, slots=True)
class NewFiling:
    """A filing as announced: one per announcing event (its CloudEvents id), never two."""

    event_id: str
    kind: FilingKind
    account_id: uuid.UUID | None
    province_code: str | None  # None: filed nationally
    legal_basis: list[str]
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Filing:
    id: uuid.UUID
    kind: str
    account_id: uuid.UUID | None
    province_code: str | None
    legal_basis: list[str]
    details: dict[str, Any]
    filed_at: datetime
    acknowledged_at: datetime | None = None
    acknowledged_by: uuid.UUID | None = None
    receipt_number: str | None = None


@dataclass(frozen=True, slots=True)
class FilingQuery:
    """Which filings an office lists: its jurisdiction's, of one kind or all, oldest first, after a cursor."""

    province_code: str | None  # None: every province (the national office)
    kind: str | None
    after: tuple[datetime, uuid.UUID] | None
    limit: int


def query_for(office: Office, *, kind: str | None, after: tuple[datetime, uuid.UUID] | None, limit: int) -> FilingQuery:
    # MB-16.1: the national office sees every filing, a provincial office its own province's.
    return FilingQuery(None if office.national else office.jurisdiction, kind, after, limit)


class FilingNotFound(NotFound):
    pass


class FilingAlreadyAcknowledged(Conflict):
    type = "already-acknowledged"
    title = "Already acknowledged"


def visible_to(office: Office, filing: Filing | None) -> Filing:
    """MB-16.1: a filing outside the office's jurisdiction is not found, as one that does not exist (a
    nationally filed one is the national office's alone)."""
    if filing is None or not office.may_see(filing.province_code):
        raise FilingNotFound("No such filing in your jurisdiction.", requirement="MB-16.1")
    return filing


def needs_acknowledgement(office: Office, filing: Filing, receipt_number: str) -> bool:
    """Whether to record this receipt: the same one again (from the same office) is harmless, another is
    refused (a filing has one receipt)."""
    if filing.acknowledged_at is None:
        return True
    if filing.acknowledged_by == office.id and filing.receipt_number == receipt_number:
        return False
    raise FilingAlreadyAcknowledged(
        "This filing was already acknowledged with another receipt.",
        requirement="MB-16.1",
        acknowledged_at=filing.acknowledged_at.isoformat(),
    )
