"""Filings: what one is, and which an office sees (MB-16.1). No I/O."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from regulator_gateway.offices.domain import Office


class FilingKind(StrEnum):
    BLACKLIST = "blacklist"  # PA-13.2
    VERIFIED_ACCOUNT = "verified_account"  # MB-10.1
    MULTI_ACCOUNT_OPERATOR = "multi_account_operator"  # PA-7.3
    GRADING_RULES = "grading_rules"  # MB-9


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
